"""Checking uploaded hero images before they are stored.

Pillow reads the file's header (format and size) without decoding the
pixels, so an oversized image or a decompression bomb is refused cheaply,
then `verify()` checks the file is not truncated or corrupt.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
MAX_BYTES = 10 * 1024 * 1024
# Storing an upload decodes it and encodes it again (articles/stripping.py),
# and its card thumbnail decodes it once more. Measured with
# scripts/image_memory.py (docs/images.md), that costs a worker about 8 bytes
# a pixel at its peak for JPEG, PNG and GIF (the picture, and a turned copy
# of it), and up to 28 for WebP (its codec's own buffers, largest when it
# encodes losslessly): these limits keep one upload under about 200 MB
# whatever its format and however well it compresses (a 155 KB PNG can
# hold 40 megapixels of one colour).
MAX_PIXELS = 24_000_000  # 6000 x 4000, a 24-megapixel camera's full size
PIXEL_LIMITS = {"WEBP": 7_000_000}
# An animation is decoded whole, every frame at full size.
MAX_ANIMATION_PIXELS = 24_000_000
NOT_READABLE = (
    "This file is not an image we can read, or it is damaged. "
    "Upload a JPEG, PNG, WebP or GIF."
)


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
                kind = image.format
                if kind not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "This is a %(kind)s image; upload a JPEG, PNG, WebP or GIF.",
                        code="image_format",
                        params={"kind": kind or "unknown"},
                    )
                check_pixels(image)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(MAX_PIXELS) from error
    except ValidationError:
        raise
    except Exception as error:
        # Pillow raises many kinds (UnidentifiedImageError, OSError,
        # SyntaxError, struct.error...) for files that are not sound images.
        raise ValidationError(NOT_READABLE, code="invalid_image") from error
    finally:
        file.seek(0)


def check_pixels(picture):
    """Raise ValidationError unless `picture` (opened, its header read)
    is small enough to decode: see MAX_PIXELS."""
    width, height = picture.size
    limit = PIXEL_LIMITS.get(picture.format, MAX_PIXELS)
    if width * height > limit:
        raise _too_many_pixels(limit, width, height)
    frames = getattr(picture, "n_frames", 1)
    if frames > 1 and frames * width * height > MAX_ANIMATION_PIXELS:
        raise ValidationError(
            "This animation is too large: %(frames)s frames of %(width)s × "
            "%(height)s pixels; the limit is %(limit)s megapixels over all its "
            "frames. Make it smaller or shorter and upload it again.",
            code="too_many_pixels",
            params={
                "frames": frames,
                "width": width,
                "height": height,
                "limit": f"{MAX_ANIMATION_PIXELS / 1_000_000:g}",
            },
        )


def _too_many_pixels(limit, width=None, height=None):
    size = f" ({width} × {height} pixels)" if width else ""
    return ValidationError(
        "This image is too large%(size)s; the limit is %(limit)s megapixels. "
        "Export it smaller (2000 pixels wide is plenty) and upload it again.",
        code="too_many_pixels",
        params={"size": size, "limit": f"{limit / 1_000_000:g}"},
    )


# Story cards show the hero image at most 14rem (224 CSS px) wide: twice that
# for high-density screens, cropped to the cards' 16:9.
CARD_SIZE = (480, 270)


def card_thumbnail_name(image_name):
    # The whole stored name, extension included: photo.png and photo.jpg are
    # different pictures and must not share a thumbnail.
    return f"thumbnails/{image_name}-{CARD_SIZE[0]}x{CARD_SIZE[1]}.jpg"


def ensure_card_thumbnail(image):
    """The storage name of `image`'s card-sized JPEG, made if missing.

    Returns "" when there is no image or it cannot be read (a missing or
    damaged file): the card then falls back to the full image, and saving the
    story never fails over its picture.
    """
    if not image:
        return ""
    name = card_thumbnail_name(image.name)
    storage = image.storage
    if storage.exists(name):
        return name
    try:
        with storage.open(image.name, "rb") as file:
            card = card_thumbnail_image(file)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return ""
    buffer = io.BytesIO()
    card.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return storage.save(name, ContentFile(buffer.getvalue()))


def card_thumbnail_image(file):
    """The card-sized picture of the image in `file`, decoding no more of it
    than the card needs: a JPEG at an eighth, a quarter or half its size,
    anything else made smaller at once, before it is turned or laid over
    white."""
    # Twice the card's width on every side, whichever way up it turns out.
    enough = 2 * CARD_SIZE[0]
    with Image.open(file) as picture:
        try:
            check_pixels(picture)
        except ValidationError as refused:
            raise ValueError(refused.messages[0]) from refused
        picture.draft("RGB", (enough, enough))
        small = picture
        factor = min(picture.size) // enough
        if factor > 1 and picture.mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
            small = picture.reduce(factor)
        upright = ImageOps.exif_transpose(small)
        card = ImageOps.fit(_on_white(upright), CARD_SIZE, Image.Resampling.LANCZOS)
    # Nothing of the original's `info` (a JPEG comment would be written
    # into the thumbnail from it).
    card.info = {}
    return card


def _on_white(picture):
    """RGB, with any transparency laid over white as the page shows it."""
    if picture.mode in ("RGBA", "LA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        backdrop = Image.new("RGB", rgba.size, "white")
        backdrop.paste(rgba, mask=rgba.getchannel("A"))
        return backdrop
    return picture.convert("RGB")


def image_format(file):
    """Pillow's name for the format of the picture in `file` ("JPEG")."""
    file.seek(0)
    try:
        with Image.open(file) as picture:
            return picture.format
    finally:
        file.seek(0)


def is_stored(name):
    """Whether a stored picture of that name is still there."""
    return bool(name) and default_storage.exists(name)


def dimensions(image):
    """(width, height) of a stored image, or (None, None) when its file
    cannot be read: a story is never refused over a missing picture file."""
    try:
        with image.storage.open(image.name, "rb") as file, Image.open(file) as picture:
            return picture.size
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None, None
