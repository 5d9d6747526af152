"""Pictures as cameras and phones write them, metadata and all, and the
checks that a stored file has none of it left."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

# Written into every kind of metadata below, so that no copy of any of it
# can hide in a stored file.
SECRET = "Reporter-home-42-Smith-St"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    f"<dc:creator>{SECRET}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

# Stored 60 x 40, with its top-left 30 x 20 red and the rest blue.
SIZE = (60, 40)
RED, BLUE = (220, 20, 20), (20, 20, 220)


def exif(orientation=None):
    """EXIF as a phone writes it: the camera, a description and where the
    photo was taken (33°52′4″S 151°12′26″E)."""
    tags = Image.Exif()
    tags[ExifTags.Base.Make] = "PhoneCam"
    tags[ExifTags.Base.ImageDescription] = SECRET
    if orientation:
        tags[ExifTags.Base.Orientation] = orientation
    tags[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S",
        ExifTags.GPS.GPSLatitude: (33.0, 52.0, 4.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (151.0, 12.0, 26.0),
    }
    return tags


def drawing(mode="RGB"):
    picture = Image.new(mode, SIZE, BLUE)
    picture.paste(RED, (0, 0, 30, 20))
    return picture


def photo_bytes(kind="JPEG", *, orientation=None, mode="RGB"):
    """A picture of format `kind` carrying EXIF with GPS, XMP, a comment
    (PNG: text chunks) and an ICC profile, as far as the format holds each."""
    picture = drawing(mode)
    options = {"exif": exif(orientation).tobytes()}
    if kind == "JPEG":
        options |= {"xmp": XMP, "comment": SECRET, "icc_profile": ICC, "quality": 95}
    elif kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", SECRET)
        text.add_itxt("Description", SECRET, lang="en")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options |= {"pnginfo": text, "icc_profile": ICC}
    elif kind == "WEBP":
        options |= {"xmp": XMP, "icc_profile": ICC, "lossless": True}
    elif kind == "GIF":
        options = {"comment": SECRET}
    buffer = io.BytesIO()
    picture.save(buffer, kind, **options)
    return buffer.getvalue()


def photo_upload(kind="JPEG", name=None, **options):
    name = name or f"photo.{ {'JPEG': 'jpg'}.get(kind, kind.lower()) }"
    return SimpleUploadedFile(name, photo_bytes(kind, **options))


def assert_no_metadata(data):
    """Nothing of the metadata `photo_bytes` writes is left in `data`."""
    assert SECRET.encode() not in data
    assert b"PhoneCam" not in data
    assert b"ns.adobe.com/xap" not in data
    assert b"Exif\0\0" not in data
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        assert not picture.getexif()
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        for key in ("exif", "xmp", "comment", "XML:com.adobe.xmp", "Comment"):
            assert key not in picture.info, key
        if picture.format == "PNG":
            assert not picture.text
            assert b"eXIf" not in data and b"tEXt" not in data and b"iTXt" not in data


def colour_at(picture, xy):
    """ "red" or "blue", whichever the pixel is nearer (lossy formats blur)."""
    red, _, blue = picture.convert("RGB").getpixel(xy)[:3]
    return "red" if red > blue else "blue"
