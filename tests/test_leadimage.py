"""A lead image measured by its own bytes: what it is, its length and its size; anything else is no image."""

from __future__ import annotations

import warnings
from io import BytesIO
from pathlib import Path

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


def test_an_image_pillow_has_notes_on_is_measured_in_silence() -> None:
    # Its EXIF block is damaged, as cameras and editors often leave it: Pillow warns, cron would mail it.
    # (A 40 x 30 JPEG made by Pillow, a few of its bytes changed at random until Pillow warned.)
    data = (Path(__file__).with_name("pages") / "corrupt-exif.jpg").read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        measured = measure(URL, "", data)
    assert measured is not None
    assert measured.media_type == "image/jpeg"
    assert caught == []
