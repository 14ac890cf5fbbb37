"""The addresses of a link's visitor pages and what the tests read from them."""

from django.urls import reverse

FILE_URL = "/galleries/files/"


def gallery_url(link, query=""):
    return reverse("sharing:gallery", args=[link.token]) + query


def photo_url(link, photo, query=""):
    return reverse("sharing:photo", args=[link.token, photo.pk]) + query


def unlock_url(link):
    return reverse("sharing:unlock", args=[link.token])


def ordered(link):
    return list(link.visible_photos())


def page(response) -> str:
    return response.content.decode()


def grid(response) -> str:
    """The photo grid alone, without the cover above it."""
    return page(response).split("data-grid>", 1)[1].split("</ul>", 1)[0]
