"""What a photographer and their clients would notice about the imaging core.

Pure Pillow: no database, no Django. Real photos come from ``samples/photos`` in
the repository; broken and unusual files are generated here.
"""

from __future__ import annotations

import base64
import io
import random
import struct
import time
import tracemalloc
import warnings
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageChops, ImageCms, ImageStat

from galleries.imaging import (
    DEFAULT_MAX_PIXELS,
    ImageRejected,
    Rendition,
    RenditionSpec,
    inspect,
    render,
)

PHOTOS = Path(__file__).resolve().parents[2] / "samples" / "photos"
LIMIT = DEFAULT_MAX_PIXELS

# The sample photos are part of the test suite: missing, they fail it, never skip it.
assert PHOTOS.is_dir(), f"the sample photos are not at {PHOTOS}"


# ---------------------------------------------------------------------------- helpers


def photo(relative: str) -> Path:
    return PHOTOS / relative


def decoded(rendition: Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def encoded(image: Image.Image, fmt: str, **options: object) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    buffer.seek(0)
    return buffer


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_file(width: int, height: int, bit_depth: int, colour_type: int, raw: bytes):
    """A hand-made PNG: lets tests claim any size and use 16-bit colour."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(raw, 9))
        + png_chunk(b"IEND", b"")
    )


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of two greyscale images, 0..255."""
    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def jpeg_segments(data: bytes) -> list[int]:
    """The marker bytes of every segment before the image data."""
    markers, offset = [], 2
    while offset < len(data):
        marker = data[offset + 1]
        if marker == 0xDA:  # start of scan: headers are over
            break
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        markers.append(marker)
        offset += 2 + length
    return markers


def webp_chunks(data: bytes) -> set[bytes]:
    """The RIFF chunk kinds in a WebP: VP8*/ALPH are pixels, EXIF/XMP/ICCP metadata."""
    kinds, offset = set(), 12
    while offset + 8 <= len(data):
        kinds.add(data[offset : offset + 4])
        (length,) = struct.unpack_from("<I", data, offset + 4)
        offset += 8 + length + (length & 1)
    return kinds


@pytest.fixture(scope="module")
def orientation_references() -> dict[str, Image.Image]:
    """How landscape_1 and portrait_1 (no rotation needed) come out, small and grey."""
    return {
        kind: grid_thumbnail(f"orientation/{kind}_1.jpg")
        for kind in ("landscape", "portrait")
    }


def grid_thumbnail(relative: str) -> Image.Image:
    renditions = render(photo(relative), specs=(RenditionSpec("grid", 400, ("jpeg",)),))
    image = decoded(renditions.items[0]).convert("L")
    return image.resize((image.width // 10, image.height // 10), Image.Resampling.BOX)


# -------------------------------------------------------------------- what is accepted


@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("number", range(1, 9))
def test_every_orientation_comes_out_upright(kind, number, orientation_references):
    reference = orientation_references[kind]
    candidate = grid_thumbnail(f"orientation/{kind}_{number}.jpg")

    assert candidate.size == reference.size, "rotated the wrong way"
    upright = difference(reference, candidate)
    for wrong in (
        Image.Transpose.FLIP_LEFT_RIGHT,
        Image.Transpose.FLIP_TOP_BOTTOM,
        Image.Transpose.ROTATE_180,
    ):
        # Were the rendition mirrored or upside down, undoing that would match better.
        assert upright * 4 < difference(reference, candidate.transpose(wrong))
    assert upright < 5


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
    assert preview.size == (1536, 2048)
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


# --------------------------------------------------------------- metadata and colour


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


def test_renditions_carry_no_location_or_other_metadata():
    with Image.open(photo("camera/DSCN0010.jpg")) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo), "sample lost its GPS"
        assert "xmp" in source.info

    for relative in (
        "camera/DSCN0010.jpg",
        "camera/Canon_40D.jpg",
        "heic/iphone_13_pro_max.HEIC",
    ):
        for rendition in render(photo(relative)).items:
            image = decoded(rendition)
            assert not image.getexif(), (relative, rendition.name, rendition.format)
            assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
            assert b"Exif" not in rendition.data
            assert b"GPS" not in rendition.data
            assert b"http://ns.adobe.com/xap" not in rendition.data
            if rendition.format == "jpeg":
                # Tables, frame header and the bare JFIF APP0; no APP1+ and no COM.
                assert set(jpeg_segments(rendition.data)) <= {
                    0xC0,
                    0xC2,
                    0xC4,
                    0xDB,
                    0xDD,
                    0xE0,
                }
            else:
                assert webp_chunks(rendition.data) <= {
                    b"VP8 ",
                    b"VP8L",
                    b"VP8X",
                    b"ALPH",
                }


def test_colour_profiles_are_converted_to_srgb(tmp_path):
    with Image.open(photo("heic/iphone_13_pro_max.HEIC")) as iphone:
        display_p3 = iphone.info["icc_profile"]
    swatch = Image.new("RGB", (64, 64), (40, 160, 90))  # a saturated P3 green
    path = tmp_path / "p3.png"
    swatch.save(path, icc_profile=display_p3)
    expected = ImageCms.profileToProfile(
        swatch,
        ImageCms.ImageCmsProfile(io.BytesIO(display_p3)),
        ImageCms.createProfile("sRGB"),
    ).getpixel((0, 0))

    renditions = render(path)

    got = decoded(renditions.get("grid", "webp")).convert("RGB").getpixel((32, 32))
    assert all(abs(a - b) <= 4 for a, b in zip(got, expected, strict=True)), (
        got,
        expected,
    )
    assert max(abs(a - b) for a, b in zip(got, (40, 160, 90), strict=True)) > 15
    assert renditions.color == "#{:02x}{:02x}{:02x}".format(*expected)


def test_a_wide_gamut_iphone_photo_is_untagged_and_not_dull():
    renditions = render(photo("heic/iphone_13_pro_max.HEIC"))
    with Image.open(photo("heic/iphone_13_pro_max.HEIC")) as original:
        # Display P3 numbers shown as if they were sRGB: what a browser would do with
        # an untagged rendition that was not converted. Colours look washed out.
        untouched = original.convert("RGB")
        untouched.thumbnail((400, 400))

    grid = decoded(renditions.get("grid", "webp")).convert("RGB")

    def saturation(image: Image.Image) -> float:
        return ImageStat.Stat(image.convert("HSV")).mean[1]

    assert saturation(grid) > saturation(untouched) + 8
    for rendition in renditions.items:
        assert "icc_profile" not in decoded(rendition).info


# --------------------------------------------------------------- sizes and inputs


def test_small_photos_are_never_upscaled():
    renditions = render(photo("camera/Canon_40D.jpg"))

    assert {(r.width, r.height) for r in renditions.items} == {(100, 68)}
    assert all(decoded(r).size == (100, 68) for r in renditions.items)


def test_every_rendition_fits_its_box_and_is_what_it_says(tmp_path):
    path = tmp_path / "big.jpg"
    with Image.open(photo("camera/jolla.jpg")) as jolla:
        jolla.resize((4500, 3000)).save(path, quality=90)

    renditions = render(path)

    assert (renditions.width, renditions.height) == (4500, 3000)
    sizes = {(r.name, r.format): (r.width, r.height) for r in renditions.items}
    assert sizes == {
        ("grid", "webp"): (400, 267),
        ("grid", "jpeg"): (400, 267),
        ("grid_2x", "webp"): (800, 533),
        ("grid_2x", "jpeg"): (800, 533),
        ("preview", "jpeg"): (2048, 1365),
    }
    for rendition in renditions.items:
        image = decoded(rendition)
        assert image.size == (rendition.width, rendition.height)
        assert Image.MIME[image.format] == rendition.mime_type
    # The modern format comes first and is the point of having two: it is smaller.
    for name in ("grid", "grid_2x"):
        webp, jpeg = renditions.named(name)
        assert (webp.format, jpeg.format) == ("webp", "jpeg")
        assert len(webp.data) < len(jpeg.data) * 0.9


def test_the_placeholder_is_a_tiny_inline_image_of_the_photo():
    renditions = render(photo("camera/jolla.jpg"))

    prefix = "data:image/webp;base64,"
    assert renditions.placeholder.startswith(prefix)
    assert len(renditions.placeholder) < 400
    tiny = Image.open(
        io.BytesIO(base64.b64decode(renditions.placeholder[len(prefix) :]))
    )
    assert max(tiny.size) <= 24
    assert abs(tiny.width / tiny.height - 4 / 3) < 0.1
    # Roughly the photo's colours: its average is close to the announced colour.
    average = tiny.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    announced = bytes.fromhex(renditions.color[1:])
    assert all(abs(a - b) < 20 for a, b in zip(average, announced, strict=True))


def test_the_average_colour_of_a_red_photo_is_red(tmp_path):
    path = write(
        tmp_path,
        "red.png",
        encoded(Image.new("RGB", (300, 200), (200, 10, 20)), "PNG").getvalue(),
    )

    assert render(path).color == "#c80a14"


def test_a_cmyk_jpeg_from_print_keeps_its_colours(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (120, 80), (255, 0, 0, 0)).save(path)  # pure cyan ink

    info = inspect(path, max_pixels=LIMIT)
    red, green, blue = decoded(render(path).get("grid", "jpeg")).getpixel((60, 40))

    assert info.format == "jpeg"
    assert red < 40
    assert green > 200
    assert blue > 200


def test_16_bit_greyscale_keeps_its_tones(tmp_path):
    path = tmp_path / "grey16.png"
    Image.new("I;16", (64, 64), 32768).save(path)  # mid grey, not white

    value = decoded(render(path).get("grid", "jpeg")).getpixel((32, 32))

    assert 120 <= value <= 136


def test_16_bit_colour_keeps_its_colours(tmp_path):
    pixel = struct.pack(">HHH", 65535, 32768, 0)  # orange
    raw = (b"\x00" + pixel * 32) * 32
    path = write(tmp_path, "orange16.png", png_file(32, 32, 16, 2, raw))

    red, green, blue = (
        decoded(render(path).get("grid", "webp")).convert("RGB").getpixel((16, 16))
    )

    assert red > 240
    assert 115 < green < 140
    assert blue < 15


def test_transparency_is_kept_in_webp_and_white_in_jpeg(tmp_path):
    logo = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    logo.paste((20, 40, 160, 255), (0, 0, 100, 100))
    path = tmp_path / "logo.png"
    logo.save(path)

    renditions = render(path)
    webp = decoded(renditions.get("grid", "webp"))
    jpeg = decoded(renditions.get("grid", "jpeg"))

    assert webp.mode == "RGBA"
    assert webp.getpixel((150, 50))[3] == 0
    assert webp.getpixel((50, 50))[3] == 255
    assert all(channel > 245 for channel in jpeg.getpixel((150, 50)))
    assert jpeg.getpixel((50, 50))[2] > 120


def test_an_opaque_alpha_channel_is_dropped(tmp_path):
    path = tmp_path / "opaque.png"
    Image.new("RGBA", (80, 60), (10, 200, 30, 255)).save(path)

    webp = decoded(render(path).get("grid", "webp"))

    assert webp.mode == "RGB"


@pytest.mark.parametrize(
    ("mode", "fmt", "colour"),
    [
        ("P", "PNG", (0, 128, 255)),
        ("L", "JPEG", (128, 128, 128)),
        ("1", "PNG", (255, 255, 255)),
        ("LA", "PNG", (90, 90, 90)),
        ("RGB", "TIFF", (0, 128, 255)),
        ("RGB", "WEBP", (0, 128, 255)),
    ],
)
def test_palette_greyscale_and_other_inputs_are_rendered_faithfully(
    tmp_path, mode, fmt, colour
):
    source = Image.new("RGB", (90, 60), colour)
    source = source.quantize(4) if mode == "P" else source.convert(mode)
    path = tmp_path / f"input.{fmt.lower()}"
    source.save(path, fmt, **({"compression": "tiff_lzw"} if fmt == "TIFF" else {}))

    info = inspect(path, max_pixels=LIMIT)
    grid = decoded(render(path).get("grid", "webp")).convert("RGB")

    assert (info.format, info.width, info.height) == (fmt.lower(), 90, 60)
    assert grid.size == (90, 60)
    assert all(
        abs(a - b) <= 6 for a, b in zip(grid.getpixel((45, 30)), colour, strict=True)
    )


@pytest.mark.parametrize(
    ("relative", "size"),
    [("camera/Canon_40D.jpg", (100, 68)), ("heic/iphone_13_pro_max.HEIC", (225, 300))],
)
def test_a_spec_can_ask_for_avif_without_metadata(relative, size):
    spec = RenditionSpec("card", 300, ("avif",))

    (card,) = render(photo(relative), specs=(spec,)).items

    image = decoded(card)
    assert (card.mime_type, image.format, image.size) == ("image/avif", "AVIF", size)
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert b"Exif" not in card.data


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
