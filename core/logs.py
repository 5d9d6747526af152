"""Logging that stays readable through an outage.

With the database unreachable every page not in the cache answers 503
(core/views.py), and Django logs each of them with a full traceback: a
busy site writes megabytes a minute saying one thing. This filter turns
those records into one line, and lets one through per `window` seconds in
each process, with the number it held back.
"""

import logging
import time

from django.db import DatabaseError


class DatabaseOutage(logging.Filter):
    def __init__(self, window=30):
        super().__init__()
        self.window = window
        self.next_at = 0.0
        self.held_back = 0

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if getattr(record, "status_code", None) != 503 or not isinstance(
            error, DatabaseError
        ):
            return True
        now = time.monotonic()
        if now < self.next_at:
            self.held_back += 1
            return False
        first_line = (str(error).strip().splitlines() or [""])[0]
        record.msg = "Database unavailable (%s: %s); answering 503%s"
        record.args = (
            type(error).__name__,
            first_line,
            f" ({self.held_back} more since the last line)" if self.held_back else "",
        )
        record.exc_info = record.exc_text = None
        self.next_at, self.held_back = now + self.window, 0
        return True
