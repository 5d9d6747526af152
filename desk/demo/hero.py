"""A generated stand-in for the demo story's hero photo.

The real AAP photo is not ours to ship, so the demo uses a plain graphic
that says what it is; its alt text says so too.
"""

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675


def placeholder_jpeg(label):
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top, bottom = (38, 52, 74), (98, 112, 134)
    for y in range(HEIGHT):
        share = y / (HEIGHT - 1)
        colour = tuple(
            round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)
        )
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    title = ImageFont.load_default(size=52)
    note = ImageFont.load_default(size=28)
    draw.text(
        (WIDTH / 2, HEIGHT / 2 - 20), label, font=title, fill="white", anchor="mm"
    )
    draw.text(
        (WIDTH / 2, HEIGHT / 2 + 50),
        "Placeholder image: photo not available",
        font=note,
        fill=(220, 226, 236),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
