"""Logo files for the brand's tests, made in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from galleries.filestore import walk


def png_logo(size=(1600, 400), name="logo.png") -> SimpleUploadedFile:
    """A transparent PNG with a text chunk and EXIF a logo must not keep."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((200, 30, 60, 255), (100, 100, size[0] - 100, size[1] - 100))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Olivia, 12 Secret Lane")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=text, exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg_logo(name="logo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (600, 300), (20, 40, 200)).save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def corrupt_png() -> SimpleUploadedFile:
    data = png_logo().read()
    return SimpleUploadedFile("logo.png", data[:200], content_type="image/png")


def svg_with_script() -> SimpleUploadedFile:
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
        b'height="10"><script>alert(document.cookie)</script><rect width="10" '
        b'height="10"/></svg>'
    )
    return SimpleUploadedFile("logo.png", svg, content_type="image/png")


def text_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.webp", b"just some words\n" * 20)


def tiff_logo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buffer, "TIFF")
    return SimpleUploadedFile("logo.tif", buffer.getvalue(), content_type="image/tiff")


def stored_brand_files() -> list[str]:
    return list(walk("brand"))
