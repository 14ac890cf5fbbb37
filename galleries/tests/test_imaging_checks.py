"""What a file is, and which files are refused: what a photographer would notice when
the imaging core checks an upload.

Pure Pillow: no database, no Django. Real photos come from ``samples/photos`` in
the repository; broken and unusual files are generated here.
"""

from __future__ import annotations

import time
import tracemalloc
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from galleries.imaging import (
    ImageRejected,
    inspect,
    render,
)
from galleries.tests.images import (
    LIMIT,
    decoded,
    encoded,
    photo,
    png_file,
    write,
)


def test_an_iphone_heic_is_read_with_its_metadata_and_rendered():
    info = inspect(photo("heic/iphone_13_pro_max.HEIC"), max_pixels=LIMIT)
    renditions = render(photo("heic/iphone_13_pro_max.HEIC"))

    assert (info.format, info.mime_type) == ("heif", "image/heic")
    assert (info.width, info.height) == (3024, 4032)
    assert (renditions.width, renditions.height) == (3024, 4032)
    assert info.camera == "Apple iPhone 13 Pro Max"
    assert info.lens == "iPhone 13 Pro Max back triple camera 5.7mm f/1.5"
    assert info.taken_at == datetime(
        2022, 2, 16, 12, 55, 41, 762000, tzinfo=timezone(timedelta(hours=1))
    )
    preview = decoded(renditions.get("preview", "jpeg"))
    # Upright, and exactly half the photo (4032 / 2: no resampling pass).
    assert preview.size == (1512, 2016)
    # A real photo, not a blank or a failed decode: it has tones from dark to light.
    low, high = preview.convert("L").getextrema()
    assert high - low > 150


def test_the_file_type_comes_from_the_content_not_the_name(tmp_path):
    png = write(
        tmp_path,
        "holiday.jpg",
        encoded(Image.new("RGB", (60, 40), "teal"), "PNG").getvalue(),
    )
    jpeg = write(tmp_path, "scan.png", photo("camera/jolla.jpg").read_bytes())

    assert inspect(png, max_pixels=LIMIT).format == "png"
    assert inspect(jpeg, max_pixels=LIMIT).mime_type == "image/jpeg"


def test_a_file_object_works_like_a_path():
    with photo("camera/DSCN0010.jpg").open("rb") as upload:
        info = inspect(upload, max_pixels=LIMIT)
        renditions = render(upload)

    assert (info.width, info.height) == (640, 480)
    assert renditions.get("grid", "webp").width == 400


# ------------------------------------------------------------------- what is refused


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ImageRejected) as refused:
        inspect(write(tmp_path, "IMG_0001.jpg", b""), max_pixels=LIMIT)

    assert refused.value.code == "empty"
    assert "empty" in refused.value.message


def test_a_text_file_named_jpg_is_refused(tmp_path):
    path = write(tmp_path, "IMG_0001.jpg", b"Dear client, here are your photos!\n" * 20)

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)
    with pytest.raises(ImageRejected):
        render(path)

    assert refused.value.message == (
        "This file is not a photo we can read (JPEG, PNG, WebP, TIFF or HEIC)."
    )


def test_a_gif_is_not_one_of_the_accepted_formats(tmp_path):
    path = write(tmp_path, "a.gif", encoded(Image.new("P", (10, 10)), "GIF").getvalue())

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)

    assert refused.value.code == "unsupported"


def test_a_jpeg_cut_in_half_is_refused_as_incomplete(tmp_path):
    whole = photo("camera/jolla.jpg").read_bytes()
    path = write(tmp_path, "jolla.jpg", whole[: len(whole) // 2])

    with pytest.raises(ImageRejected) as at_upload:
        inspect(path, max_pixels=LIMIT)
    with pytest.raises(ImageRejected) as in_worker:
        render(path)

    assert at_upload.value.message == (
        "This file is damaged or incomplete (the JPEG ends early). "
        "Try exporting or uploading it again."
    )
    assert in_worker.value.code == "damaged"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "TIFF"])
def test_other_formats_cut_short_are_refused_as_incomplete(tmp_path, fmt):
    with Image.open(photo("camera/DSCN0010.jpg")) as source:
        whole = encoded(source, fmt).getvalue()
    path = write(tmp_path, f"cut.{fmt.lower()}", whole[: len(whole) * 2 // 3])

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)

    assert refused.value.code == "damaged"
    assert refused.value.message.startswith("This file is damaged or incomplete")


def test_a_heic_cut_short_is_refused_as_incomplete(tmp_path):
    whole = photo("heic/iphone_13_pro_max.HEIC").read_bytes()
    path = write(tmp_path, "cut.heic", whole[: len(whole) // 2])

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)

    assert refused.value.message.startswith(
        "This file is damaged or incomplete (the HEIC ends early)"
    )


def test_a_decompression_bomb_is_refused_from_its_header_alone(tmp_path):
    # 50000x50000 1-bit pixels: 2.5 gigapixels that compress to a few kilobytes.
    row = b"\x00" + b"\x00" * (50000 // 8)
    path = write(tmp_path, "bomb.png", png_file(50000, 50000, 1, 0, row * 8))

    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert refused.value.message == "This photo is 2,500 megapixels; the limit is 120."
    assert refused.value.code == "too_large"
    assert elapsed < 0.5
    assert peak < 10_000_000
    with pytest.raises(ImageRejected, match="2,500 megapixels"):
        render(path, max_pixels=LIMIT)


def test_a_photo_over_our_limit_is_refused_before_decoding(tmp_path):
    path = write(
        tmp_path,
        "big.jpg",
        encoded(Image.new("RGB", (3000, 2000), "navy"), "JPEG").getvalue(),
    )

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=5_000_000)

    assert refused.value.message == "This photo is 6 megapixels; the limit is 5."


def test_a_photo_just_over_the_limit_does_not_read_as_equal_to_it(tmp_path):
    path = write(tmp_path, "big.png", png_file(1001, 1000, 1, 0, b"\x00" * 127 * 1000))

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=1_000_000)

    assert refused.value.message == "This photo is 1.1 megapixels; the limit is 1."


def test_a_100_megapixel_photo_is_accepted_even_when_pillows_warnings_are_errors(
    tmp_path,
):
    # Pillow warns above ~89 MP; a GFX100 photo is 102 MP and within our 120 MP limit.
    row = b"\x00" + b"\x00" * (10000 // 8)
    path = write(tmp_path, "gfx100.png", png_file(10000, 10000, 1, 0, row * 10000))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        info = inspect(path, max_pixels=LIMIT)

    assert (info.width, info.height) == (10000, 10000)


def test_a_camera_raw_file_is_refused_with_advice(tmp_path):
    from PIL.TiffImagePlugin import ImageFileDirectory_v2

    tags = ImageFileDirectory_v2()
    tags[50706] = b"\x01\x04\x00\x00"  # DNGVersion
    tags.tagtype[50706] = 1
    path = tmp_path / "IMG_0001.dng"
    Image.new("RGB", (64, 48), "grey").save(path, "TIFF", tiffinfo=tags)

    with pytest.raises(ImageRejected) as refused:
        inspect(path, max_pixels=LIMIT)

    assert refused.value.code == "raw"
    assert "RAW" in refused.value.message


def test_a_missing_file_is_our_problem_not_the_photographers(tmp_path):
    with pytest.raises(FileNotFoundError):
        inspect(tmp_path / "gone.jpg", max_pixels=LIMIT)
