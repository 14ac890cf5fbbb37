"""Which galleries need the studio watermark's renditions: those a link shows it on.

Watermarked renditions cost a worker about 0.2-0.3 s per photo (docs/renditions.md),
so they are made only for the galleries whose visitors see them. Only `sharing` knows
which those are (a live share link with `watermark` on), and `galleries` never imports
it: the app above registers a source at start (`shown_by`, from its AppConfig.ready),
a function that answers a query of the ids of those galleries. With no source, no
gallery needs the watermark.

Read it through the QuerySet methods `GalleryQuerySet.showing_watermark` and
`PhotoQuerySet.wanting_watermark` (galleries/models.py), which call `condition`.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

#: A function answering a query of gallery ids (e.g. `.values("gallery_id")`).
Source = Callable[[], QuerySet]
_sources: list[Source] = []


def shown_by(source: Source) -> Source:
    """Register `source`: the galleries it answers show the studio watermark."""
    if source not in _sources:
        _sources.append(source)
    return source


def condition(field: str) -> Q:
    """`field` (a gallery's id) is one that some registered source answers."""
    matched = Q(**{f"{field}__in": []})
    for source in _sources:
        matched |= Q(**{f"{field}__in": source()})
    return matched
