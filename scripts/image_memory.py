"""Peak memory of storing the worst uploads we accept (docs/images.md).

    .venv/bin/python scripts/image_memory.py [megapixels]

Each case runs in a fresh child process, which reports its peak resident
memory (Linux's VmHWM) before and after: what one gunicorn worker would add
to its own size while storing that upload and making its card thumbnail.
The files are made first, in this process, at the pixel limit by default.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import os, sys
import django


def peak():
    # VmHWM is this process's own high-water mark (getrusage's maxrss would
    # carry over the parent's across fork and exec).
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) // 1024


django.setup()
from django.core.files import File
from articles import images, stripping
path, job = sys.argv[1], sys.argv[2]
before = peak()
with open(path, "rb") as fp:
    file = File(fp, name=os.path.basename(path))
    if job == "strip":
        stripping.strip_metadata(file)
    else:
        images.card_thumbnail_image(file)
after = peak()
print(before, after)
"""


def make(folder, name, mode, pixels, fmt, **options):
    width = int((pixels * 4 / 3) ** 0.5)
    height = pixels // width
    frames = options.pop("frames", 1)
    # Noise in one corner, so that decoders cannot skip the work.
    picture = Image.new(mode, (width, height), "navy")
    picture.paste(Image.effect_noise((256, 256), 64).convert(mode))
    path = folder / name
    if frames > 1:
        # Each frame different, so that no encoder can fold them together.
        more = [Image.new(mode, picture.size, (n * 20, 0, 0)) for n in range(1, frames)]
        picture.save(path, fmt, save_all=True, append_images=more, **options)
    else:
        picture.save(path, fmt, **options)
    return path, width, height


def main():
    megapixels = float(sys.argv[1]) if len(sys.argv) > 1 else None
    sys.path.insert(0, str(ROOT))
    from articles import images

    limit = megapixels * 1_000_000 if megapixels else images.MAX_PIXELS
    webp = megapixels * 1_000_000 if megapixels else images.PIXEL_LIMITS["WEBP"]
    animated = images.MAX_ANIMATION_PIXELS // 10
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn it a quarter
    cases = [
        ("photo.jpg", "RGB", limit, "JPEG", {"exif": exif, "quality": 90}),
        ("scan.jpg", "CMYK", limit, "JPEG", {"exif": exif}),
        ("flat.png", "RGBA", limit, "PNG", {"exif": exif}),
        ("flat-rgb.png", "RGB", limit, "PNG", {}),
        ("graphic.png", "P", limit, "PNG", {}),
        ("photo.webp", "RGBA", webp, "WEBP", {"exif": exif, "quality": 90}),
        ("drawing.webp", "RGBA", webp, "WEBP", {"exif": exif, "lossless": True}),
        ("flat.gif", "P", limit, "GIF", {}),
        ("ten.gif", "RGB", animated, "GIF", {"frames": 10, "duration": 100}),
        ("ten.webp", "RGBA", animated, "WEBP", {"frames": 10, "lossless": True}),
    ]
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ENV_FILE": "",
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "x",
        "HTTPS": "false",
        "PYTHONPATH": str(ROOT),
    }
    print(f"{'file':14} {'pixels':>13} {'bytes':>10}  job    peak MB (worker before)")
    with tempfile.TemporaryDirectory() as folder:
        for name, mode, pixels, fmt, options in cases:
            path, width, height = make(
                Path(folder), name, mode, int(pixels), fmt, **options
            )
            for job in ("strip", "thumbnail"):
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), job],
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=ROOT,
                )
                if result.returncode:
                    outcome = result.stderr.strip().splitlines()[-1]
                else:
                    before, after = map(int, result.stdout.split())
                    outcome = f"{after - before:5d} ({before})"
                size = f"{width}x{height}"
                print(
                    f"{name:14} {size:>13} {path.stat().st_size:>10}  {job:9} {outcome}"
                )
            path.unlink()


if __name__ == "__main__":
    main()
