"""A lead image measured by its own bytes: what it is, its length and its size; anything else is no image."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image as Pillow

from feedgen_unodc.leadimage import measure
from feedgen_unodc.model import Image

URL = "https://www.unodc.org/images/evidence.jpg"


def image(kind: str, size: tuple[int, int] = (40, 30)) -> bytes:
    data = BytesIO()
    Pillow.new("RGB", size, "navy").save(data, kind)
    return data.getvalue()


@pytest.mark.parametrize(
    ("kind", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"), ("WEBP", "image/webp")]
)
def test_an_image_every_reader_shows_is_measured(kind: str, media_type: str) -> None:
    data = image(kind)
    assert measure(URL, "Investigators", data) == Image(URL, "Investigators", media_type, len(data), 40, 30)


@pytest.mark.parametrize(
    "data",
    [
        image("BMP"),  # a kind not every reader shows
        image("PNG", (20_001, 1)),  # wider than any photograph
        image("JPEG")[:40],  # cut short
        b"<html><body>Not found</body></html>",  # an error page sent as image/jpeg
        b"",
    ],
    ids=["BMP", "too wide", "cut short", "HTML", "empty"],
)
def test_anything_else_is_no_image(data: bytes) -> None:
    assert measure(URL, "", data) is None
