"""Share links: plain URLs to each network's own share page.

Nothing loads from a third party until the reader clicks: no SDKs, no
counters, no trackers.
"""

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    href: str


def _q(value):
    # Percent-encode as a query component; spaces become %20, never "+".
    return quote(value, safe="")


def share_links(*, url, title):
    u, t = _q(url), _q(title)
    return [
        ShareLink(
            "facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"
        ),
        ShareLink("x", "X", f"https://x.com/intent/tweet?text={t}&url={u}"),
        ShareLink(
            "linkedin",
            "LinkedIn",
            f"https://www.linkedin.com/sharing/share-offsite/?url={u}",
        ),
        ShareLink("whatsapp", "WhatsApp", f"https://wa.me/?text={t}%20{u}"),
        ShareLink(
            "reddit", "Reddit", f"https://www.reddit.com/submit?url={u}&title={t}"
        ),
        ShareLink(
            "bluesky", "Bluesky", f"https://bsky.app/intent/compose?text={t}%20{u}"
        ),
        ShareLink("telegram", "Telegram", f"https://t.me/share/url?url={u}&text={t}"),
        ShareLink("email", "Email", f"mailto:?subject={t}&body={u}"),
    ]
