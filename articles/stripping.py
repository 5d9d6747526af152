"""Pictures stored without what the camera wrote about them.

A photo straight from a phone carries EXIF (the camera, the time, often
the GPS position of the reporter's home), XMP (editing history, names),
comments and PNG text chunks. Readers get the stored file byte for byte, on
the page, in `og:image`, JSON-LD and feed enclosures, so every upload is
decoded and encoded again with nothing but its pixels, its colour profile
and what animation and transparency need: Pillow writes no metadata it is
not handed. The EXIF orientation is applied first, so that a picture that
was upright only because of its tag stays upright without it.

Each picture is stored under the extension of the format Pillow read in
it, whatever the upload was called: a GIF named `.pdf` is a `.gif`, served
as `image/gif`.
"""

import dataclasses
import io
import struct
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, ImageSequence

from . import images

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
JPEG_QUALITY = 90  # what a photo desk exports at: no visible loss

# What our own files hold, besides the pixels (see `metadata_found`).
PNG_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"iCCP", b"IDAT", b"IEND"}
APNG_CHUNKS = {b"acTL", b"fcTL", b"fdAT"}
WEBP_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF"}
JPEG_SEGMENTS = {("APP0", b"JFIF"), ("APP2", b"ICC_PROFILE"), ("APP14", b"Adobe")}


@dataclasses.dataclass(frozen=True)
class Stripped:
    content: bytes
    kind: str  # Pillow's format name: JPEG, PNG, WEBP or GIF

    @property
    def extension(self):
        return EXTENSIONS[self.kind]


def strip_metadata(file):
    """`file`'s picture, upright, encoded again without metadata.

    Raises ValidationError (as `images.validate_image_file` does) for a
    file that is not a picture we take, or one too big to decode safely.
    """
    images.validate_image_file(file)
    try:
        with Image.open(file) as source:
            kind = source.format
            if getattr(source, "n_frames", 1) > 1:
                content = _animation(source)
            else:
                content = _still(source)
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        # Sound enough for `verify()`, but not to decode (a damaged stream).
        raise ValidationError(images.NOT_READABLE, code="invalid_image") from error
    finally:
        file.seek(0)
    return Stripped(content=content, kind=kind)


def stored_name(upload_name, kind):
    """The name to store a picture of format `kind` under, from the name it
    was uploaded with: its extension is the format's, and any other dots
    become hyphens (`photo.gif.pdf` is stored as `photo-gif.gif`, never
    under two extensions a server might read either of)."""
    stem = PurePosixPath(upload_name or "").stem.replace(".", "-") or "image"
    return f"{stem}.{EXTENSIONS[kind]}"


def _still(source):
    kind, icc = source.format, source.info.get("icc_profile")
    lossless = kind == "WEBP" and _webp_is_lossless(source)
    source.load()
    # In place: a picture needing no turn is not copied (a copy of a large
    # one is as big again), and the source's buffer is dropped as it turns.
    ImageOps.exif_transpose(source, in_place=True)
    picture = source
    # Only what drawing it needs: a JPEG comment, for one, would otherwise
    # be written again from `info`.
    picture.info = {
        key: picture.info[key]
        for key in ("transparency", "background")
        if key in picture.info
    }
    buffer = io.BytesIO()
    picture.save(buffer, format=kind, **_options(kind, icc, lossless))
    return buffer.getvalue()


def _animation(source):
    """An animation stays one: an editor who chose a moving picture meant
    it. Pillow hands each frame whole (drawn over the ones before), so each
    is written whole and timed as it was."""
    kind, icc = source.format, source.info.get("icc_profile")
    lossless = kind == "WEBP" and _webp_is_lossless(source)
    loop = source.info.get("loop")
    frames, durations = [], []
    for frame in ImageSequence.Iterator(source):
        durations.append(frame.info.get("duration", 0))
        still = frame.copy()
        ImageOps.exif_transpose(still, in_place=True)
        still.info = {}
        frames.append(still)
    options = _options(kind, icc, lossless) | {
        "save_all": True,
        "append_images": frames[1:],
        "duration": durations,
    }
    if loop is not None:
        options["loop"] = loop
    buffer = io.BytesIO()
    frames[0].save(buffer, format=kind, **options)
    return buffer.getvalue()


def _options(kind, icc, lossless):
    icc = {"icc_profile": icc} if icc else {}
    if kind == "JPEG":
        # Not progressive or optimized: libjpeg then holds the whole picture's
        # coefficients again in memory, for a few per cent of its size.
        return icc | {"quality": JPEG_QUALITY}
    if kind == "WEBP":
        return icc | ({"lossless": True} if lossless else {"quality": JPEG_QUALITY})
    if kind == "PNG":
        return icc
    return {}  # GIF: Pillow writes no colour profile in one


def _webp_is_lossless(source):
    """Whether a WebP was stored losslessly (a VP8L bitstream): a drawing
    saved that way is kept that way, a photo is kept at high quality."""
    fp = source.fp
    at = fp.tell()
    try:
        fp.seek(0)
        return any(name == b"VP8L" for name, _ in _riff_chunks(fp, nested=True))
    finally:
        fp.seek(at)


# Finding metadata in a stored file, to say what a file holds and to leave
# alone one that is already clean (`manage.py strip_image_metadata`).


def metadata_found(file):
    """The kinds of metadata in a picture file ("EXIF", "XMP", "comment",
    "text", "IPTC", ...): empty for a file this module wrote."""
    file.seek(0)
    try:
        with Image.open(file) as picture:
            kind = picture.format
            if kind == "JPEG":
                return _jpeg_metadata(picture)
            if kind == "GIF":
                return _gif_metadata(picture)
        file.seek(0)
        if kind == "PNG":
            return _png_metadata(file)
        if kind == "WEBP":
            return _webp_metadata(file)
        return []
    finally:
        file.seek(0)


def _jpeg_metadata(picture):
    found = []
    for marker, data in picture.applist:
        if marker == "COM":
            found.append("comment")
        elif marker == "APP1" and data.startswith(b"Exif"):
            found.append("EXIF")
        elif marker == "APP1" and b"ns.adobe.com/xap" in data[:64]:
            found.append("XMP")
        elif marker == "APP13":
            found.append("IPTC")
        elif not any(marker == m and data.startswith(s) for m, s in JPEG_SEGMENTS):
            found.append(f"{marker} block")
    return _unique(found)


def _gif_metadata(picture):
    found = []
    for frame in ImageSequence.Iterator(picture):
        if "comment" in frame.info:
            found.append("comment")
        if "xmp" in frame.info:
            found.append("XMP")
        if "extension" in frame.info:
            found.append("application block")
    return _unique(found)


def _png_metadata(file):
    names = {
        b"eXIf": "EXIF",
        b"tEXt": "text",
        b"zTXt": "text",
        b"iTXt": "text",
        b"tIME": "time",
    }
    found = []
    file.read(8)
    while header := file.read(8):
        if len(header) < 8:
            break
        length, name = struct.unpack(">I4s", header)
        file.seek(length + 4, io.SEEK_CUR)
        if name not in PNG_CHUNKS | APNG_CHUNKS:
            found.append(names.get(name, f"{name.decode('latin-1')} chunk"))
        if name == b"IEND":
            break
    return _unique(found)


def _webp_metadata(file):
    names = {b"EXIF": "EXIF", b"XMP ": "XMP"}
    found = [
        names.get(name, f"{name.decode('latin-1').strip()} chunk")
        for name, _ in _riff_chunks(file)
        if name not in WEBP_CHUNKS
    ]
    return _unique(found)


def _riff_chunks(fp, *, nested=False):
    """(name, size) of each chunk of a WebP file; with `nested`, the
    chunks inside each animation frame too."""
    fp.seek(12)
    yield from _chunks(fp, end=None, nested=nested)


def _chunks(fp, *, end, nested):
    while end is None or fp.tell() < end:
        header = fp.read(8)
        if len(header) < 8:
            return
        name, size = struct.unpack("<4sI", header)
        start = fp.tell()
        yield name, size
        if nested and name == b"ANMF":
            fp.seek(start + 16)  # the frame's position, size and timing
            yield from _chunks(fp, end=start + size, nested=False)
        fp.seek(start + size + (size & 1))


def _unique(found):
    return list(dict.fromkeys(found))
