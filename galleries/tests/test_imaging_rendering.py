"""The renditions a photographer and their clients see: upright, in sRGB, of the right
size, faithful to every input and carrying no metadata.

Pure Pillow: no database, no Django.
"""

from __future__ import annotations

import base64
import io
import struct

import pytest
from PIL import ExifTags, Image, ImageCms, ImageStat

from galleries.imaging import (
    RenditionSpec,
    inspect,
    render,
)
from galleries.tests.images import (
    LIMIT,
    decoded,
    difference,
    encoded,
    jpeg_segments,
    photo,
    png_file,
    webp_chunks,
    write,
)


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


def test_a_12_megapixel_photo_gets_its_preview_at_half_size_not_resized_to_2048(
    tmp_path,
):
    path = tmp_path / "12mp.jpg"
    with Image.open(photo("camera/jolla.jpg")) as jolla:
        full = jolla.resize((4000, 3000), Image.Resampling.LANCZOS)
    full.save(path, quality=90)

    renditions = render(path)

    sizes = {(r.name, r.format): (r.width, r.height) for r in renditions.items}
    assert sizes == {
        ("grid", "webp"): (400, 300),
        ("grid", "jpeg"): (400, 300),
        ("grid_2x", "webp"): (800, 600),
        ("grid_2x", "jpeg"): (800, 600),
        ("preview", "jpeg"): (2000, 1500),
    }
    # The same picture as a careful reduction of the full photo, to the eye.
    preview = decoded(renditions.get("preview", "jpeg")).convert("L")
    reference = full.resize((2000, 1500), Image.Resampling.LANCZOS).convert("L")
    assert difference(reference, preview) < 3


def test_a_large_png_is_box_reduced_to_a_preview_of_at_least_1920_px(tmp_path):
    path = tmp_path / "big.png"
    with Image.open(photo("camera/jolla.jpg")) as jolla:
        full = jolla.resize((2600, 3900), Image.Resampling.LANCZOS)
    full.save(path, compress_level=1)

    renditions = render(path)

    preview = decoded(renditions.get("preview", "jpeg")).convert("L")
    assert preview.size == (1300, 1950)
    reference = full.resize((1300, 1950), Image.Resampling.LANCZOS).convert("L")
    assert difference(reference, preview) < 3
    assert renditions.get("grid", "webp").height == 400


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
