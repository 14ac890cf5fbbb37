"""What the imaging core reads from a photo's EXIF: its orientation and size as shown,
the camera, lens and exposure, when it was shot, and damaged EXIF that must not
stop an upload.

Pure Pillow: no database, no Django.
"""

from __future__ import annotations

import io
import random
import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from galleries.imaging import (
    ImageRejected,
    inspect,
    render,
)
from galleries.tests.images import (
    LIMIT,
    photo,
)


@pytest.mark.parametrize("number", range(1, 9))
def test_size_is_reported_as_displayed_after_orientation(number):
    landscape = inspect(photo(f"orientation/landscape_{number}.jpg"), max_pixels=LIMIT)
    assert (landscape.width, landscape.height) == (600, 450)
    portrait = inspect(photo(f"orientation/portrait_{number}.jpg"), max_pixels=LIMIT)
    assert (portrait.width, portrait.height) == (450, 600)


def test_a_camera_photo_shot_in_portrait_is_a_portrait():
    info = inspect(photo("camera/canon_hdr_NO.jpg"), max_pixels=LIMIT)
    renditions = render(photo("camera/canon_hdr_NO.jpg"))

    assert (info.width, info.height, info.orientation) == (1536, 2048, 6)
    assert (renditions.width, renditions.height) == (1536, 2048)
    assert [(r.width, r.height) for r in renditions.named("grid")] == [(300, 400)] * 2
    assert [(r.width, r.height) for r in renditions.named("preview")] == [(1536, 2048)]


@pytest.mark.parametrize(
    ("relative", "camera", "lens", "taken_at", "exposure"),
    [
        (
            "camera/Canon_40D.jpg",
            "Canon EOS 40D",
            None,
            datetime(2008, 5, 30, 15, 56, 1),
            "1/160 s",
        ),
        (
            "camera/DSCN0010.jpg",
            "Nikon COOLPIX P6000",
            None,
            datetime(2008, 10, 22, 16, 28, 39),
            "1/75 s",
        ),
        (
            "camera/iphone_hdr_NO.jpg",
            "Apple iPhone 6",
            "iPhone 6 back camera 4.15mm f/2.2",
            datetime(2015, 4, 10, 20, 12, 23, 16000),
            "1/40 s",
        ),
        ("camera/jolla.jpg", "Jolla", None, datetime(2014, 9, 21, 16, 0, 56), "1/25 s"),
        (
            "camera/nikon-e950.jpg",
            "Nikon E950",
            None,
            datetime(2001, 4, 6, 11, 51, 40),
            "1/77 s",
        ),
    ],
)
def test_camera_lens_and_capture_time_come_from_the_photo(
    relative, camera, lens, taken_at, exposure
):
    info = inspect(photo(relative), max_pixels=LIMIT)

    assert info.camera == camera
    assert info.lens == lens
    assert info.taken_at == taken_at
    assert info.taken_at.tzinfo is None  # no offset recorded: camera wall-clock time
    assert info.shutter_speed == exposure


def test_exposure_details_are_numbers_a_gallery_can_show():
    info = inspect(photo("camera/Canon_40D.jpg"), max_pixels=LIMIT)

    assert (info.focal_length_mm, info.aperture, info.iso) == (135.0, 7.1, 100)


def test_odd_exif_that_crashes_other_readers_does_not_stop_an_upload():
    info = inspect(photo("odd/corrupted.jpg"), max_pixels=LIMIT)
    renditions = render(photo("odd/corrupted.jpg"))

    assert (info.width, info.height) == (3648, 2736)
    assert info.camera == "Olympus u1020,S1020"
    assert renditions.get("preview", "jpeg").width == 2048


def test_garbage_exif_values_become_unknown_instead_of_errors(tmp_path):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 42
    exif[ExifTags.Base.Make] = "\x00\x00   "
    exif[ExifTags.Base.Model] = "  Mystery\x00Cam  "
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.DateTimeOriginal] = "0000:00:00 00:00:00"
    details[ExifTags.Base.DateTimeDigitized] = "2019:02:30 25:61:00"
    details[ExifTags.Base.OffsetTimeOriginal] = "+99:99"
    details[ExifTags.Base.FNumber] = 0.0
    details[ExifTags.Base.ExposureTime] = -1.0
    details[ExifTags.Base.ISOSpeedRatings] = "lots"
    details[ExifTags.Base.LensModel] = "0.0 mm f/0.0"
    path = tmp_path / "odd.jpg"
    Image.new("RGB", (40, 30), "olive").save(path, exif=exif)

    info = inspect(path, max_pixels=LIMIT)

    assert (info.width, info.height, info.orientation) == (40, 30, 1)
    assert info.camera == "Mystery Cam"
    assert info.taken_at is None
    assert (info.lens, info.aperture, info.exposure_time_s, info.iso) == (None,) * 4
    assert render(path).get("grid", "jpeg").width == 40


def test_randomly_damaged_exif_never_raises_anything_but_a_refusal():
    original = photo("camera/DSCN0010.jpg").read_bytes()
    app1 = original.index(b"Exif\x00\x00")
    (length,) = struct.unpack(">H", original[app1 - 2 : app1])
    randomness = random.Random(1234)
    for _ in range(150):
        data = bytearray(original)
        for _ in range(randomness.randint(1, 40)):
            data[randomness.randrange(app1 + 6, app1 + length - 2)] = (
                randomness.randrange(256)
            )
        try:
            info = inspect(io.BytesIO(bytes(data)), max_pixels=LIMIT)
        except ImageRejected:
            continue
        assert {info.width, info.height} == {640, 480}


def _with_dates(tmp_path: Path, source: str, **tags: object) -> Path:
    """A copy of a sample photo whose EXIF dates are only the given ones (by tag
    name: DateTime in the main IFD, the rest in the Exif IFD); None removes one."""
    image = Image.open(photo(source))
    exif = image.getexif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    for key in (
        ExifTags.Base.DateTimeOriginal,
        ExifTags.Base.DateTimeDigitized,
        ExifTags.Base.OffsetTimeOriginal,
        ExifTags.Base.OffsetTimeDigitized,
        ExifTags.Base.OffsetTime,
        ExifTags.Base.SubsecTimeOriginal,
        ExifTags.Base.SubsecTimeDigitized,
        ExifTags.Base.SubsecTime,
    ):
        details.pop(key, None)
    exif.pop(ExifTags.Base.DateTime, None)
    for name, value in tags.items():
        key = ExifTags.Base[name]
        (exif if key == ExifTags.Base.DateTime else details)[key] = value
    path = tmp_path / f"dated-{len(list(tmp_path.iterdir()))}.jpg"
    image.save(path, "JPEG", exif=exif, quality=80)
    return path


def test_a_camera_that_writes_only_datetime_still_dates_its_photos(tmp_path):
    # Nikon E950 shot 2001:04:06 11:51:40; some cameras write only DateTime.
    only_datetime = _with_dates(
        tmp_path, "camera/nikon-e950.jpg", DateTime="2001:04:06 11:51:40"
    )

    info = inspect(only_datetime, max_pixels=LIMIT)

    assert info.taken_at == datetime(2001, 4, 6, 11, 51, 40)
    assert info.camera == "Nikon E950"


def test_datetime_original_wins_over_a_later_edit_time(tmp_path):
    # Canon_40D.jpg: shot 2008:05:30, edited (DateTime) 2008:07:31.
    assert inspect(photo("camera/Canon_40D.jpg"), max_pixels=LIMIT).taken_at == (
        datetime(2008, 5, 30, 15, 56, 1)
    )


def test_the_offset_of_datetime_keeps_its_zone(tmp_path):
    only_datetime = _with_dates(
        tmp_path,
        "camera/jolla.jpg",
        DateTime="2014:09:21 16:00:56",
        OffsetTime="+03:00",
        SubsecTime="25",
    )

    assert inspect(only_datetime, max_pixels=LIMIT).taken_at == datetime(
        2014, 9, 21, 16, 0, 56, 250000, tzinfo=timezone(timedelta(hours=3))
    )


def test_offsettime_dates_an_unedited_original_but_not_an_edited_one(tmp_path):
    unedited = _with_dates(
        tmp_path,
        "camera/jolla.jpg",
        DateTimeOriginal="2014:09:21 16:00:56",
        DateTime="2014:09:21 16:00:56",
        OffsetTime="-04:30",
    )
    edited = _with_dates(
        tmp_path,
        "camera/jolla.jpg",
        DateTimeOriginal="2014:09:21 16:00:56",
        DateTime="2014:10:02 09:00:00",
        OffsetTime="+09:00",  # where it was edited, not where it was shot
    )

    zone = timezone(-timedelta(hours=4, minutes=30))
    assert inspect(unedited, max_pixels=LIMIT).taken_at == datetime(
        2014, 9, 21, 16, 0, 56, tzinfo=zone
    )
    edited_at = inspect(edited, max_pixels=LIMIT).taken_at
    assert edited_at == datetime(2014, 9, 21, 16, 0, 56)
    assert edited_at.tzinfo is None
