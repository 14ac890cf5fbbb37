"""The language a client reads a gallery in: the gallery's own, else its studio's.

Client pages and emails are rendered in it (`django.utils.translation.override`, by
`sharing`'s doors and `sharing.client_mail`); the browser's Accept-Language is never
asked. Photographers' pages stay in the site's LANGUAGE_CODE.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from galleries.models import Brand

CODES = frozenset(code for code, _name in settings.LANGUAGES)


def studio_language(owner) -> str:
    """The studio's language (its Brand's), the site's default where none is set."""
    try:
        return owner.brand.language or settings.LANGUAGE_CODE
    except Brand.DoesNotExist:
        return settings.LANGUAGE_CODE


def gallery_language(gallery) -> str:
    """The language of `gallery`'s client pages and emails."""
    language = gallery.language or studio_language(gallery.owner)
    return language if language in CODES else settings.LANGUAGE_CODE


def language_expression(gallery_path: str = "gallery"):
    """The same, as a query expression on a model with a `gallery_path` relation,
    for reading it in the same query as the row (e.g. `annotate(client_language=...)`)."""
    return Coalesce(
        NullIf(F(f"{gallery_path}__language"), Value("")),
        F(f"{gallery_path}__owner__brand__language"),
        Value(settings.LANGUAGE_CODE),
    )
