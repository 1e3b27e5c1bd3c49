"""A story's lead image measured by its bytes: what it is and its size in pixels, with Pillow.

Feeds announce an image as an enclosure with its media type and length, and
the pages give its width and height so that they do not jump as it loads:
all four come from the image itself, never from what a server or a page
claims. Pillow reads only the image's header here; it does not decode it.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from PIL import Image as Pillow

from .model import Image

# The kinds of image every feed reader and browser shows.
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_BYTES = 8 * 1024 * 1024  # a story's lead image is some 100 KB
MAX_SIDE = 20_000  # pixels: beyond this it is no photograph


def measure(url: str, alt: str, data: bytes) -> Image | None:
    """The image `data` found at `url`, or None when it is not a JPEG, PNG, GIF or WebP image of a sane size."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on a damaged EXIF block are no line for cron mail
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(BytesIO(data), formats=list(MEDIA_TYPES)) as image:
                kind, (width, height) = image.format, image.size
    except (OSError, ValueError, SyntaxError, Pillow.DecompressionBombError, Pillow.DecompressionBombWarning):
        return None
    if kind not in MEDIA_TYPES or not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return None
    return Image(url=url, alt=alt, media_type=MEDIA_TYPES[kind], length=len(data), width=width, height=height)
