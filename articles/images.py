"""Checking uploaded hero images before they are stored.

Pillow reads the file's header (format and size) without decoding the
pixels, so an oversized image or a decompression bomb is refused cheaply,
then `verify()` checks the file is not truncated or corrupt.
"""

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000: more than any camera a reporter carries


def validate_image_file(file):
    """Raise ValidationError unless `file` is a sound JPEG, PNG, WebP or GIF
    within the size and pixel limits."""
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationError(
            "This image is %(size)s; the limit is %(limit)s. "
            "Export it smaller (2000 pixels wide is plenty) and upload it again.",
            code="file_too_big",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(MAX_BYTES),
            },
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its two bomb thresholds; refuse there too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind, (width, height) = image.format, image.size
                if kind not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "This is a %(kind)s image; upload a JPEG, PNG, WebP or GIF.",
                        code="image_format",
                        params={"kind": kind or "unknown"},
                    )
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels(width, height)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except ValidationError:
        raise
    except Exception as error:
        # Pillow raises many kinds (UnidentifiedImageError, OSError,
        # SyntaxError, struct.error...) for files that are not sound images.
        raise ValidationError(
            "This file is not an image we can read, or it is damaged. "
            "Upload a JPEG, PNG, WebP or GIF.",
            code="invalid_image",
        ) from error
    finally:
        file.seek(0)


def _too_many_pixels(width=None, height=None):
    size = f" ({width} × {height} pixels)" if width else ""
    return ValidationError(
        "This image is too large%(size)s; the limit is %(limit)s megapixels.",
        code="too_many_pixels",
        params={"size": size, "limit": MAX_PIXELS // 1_000_000},
    )
