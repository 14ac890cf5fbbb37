"""A link's photos a page at a time, in gallery order, for the grid and the API.

Gallery order is the sets' order, then each set's own. Sorting a whole gallery for the
sake of one page was most of the photo list's SQL (8 ms of a 1,000-photo gallery on
SQLite, its rows joined to their sets and sorted): instead the sets are counted first
(each count from the index of photos by status and set alone), and a page is read set
by set, only from the sets it spans, each in its own order. Every query here is the
same SQL on every request but for its values, so each is compiled once per process
(config/prepared_queries.py).
"""

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from config.prepared_queries import Param, ParamList, PreparedQuery
from galleries.models import Gallery, GallerySet, Photo
from sharing.models import ShareLink

_GALLERY = Gallery._meta.pk
_SET = GallerySet._meta.pk
_PHOTO = Photo._meta.pk


def _visible(chosen: int):
    """`ShareLink.visible_photos`, unordered, with the gallery and the `chosen` set
    ids (none: every set) as parameters."""
    sets = ParamList("sets", _SET, chosen) if chosen else ()
    return Photo.objects.shown_in(Param("gallery", _GALLERY), sets).order_by()


def _counted_sets(chosen: int):
    counted = (
        _visible(chosen)
        .filter(photo_set=OuterRef("pk"))
        .values("photo_set")
        .annotate(count=Count("*"))
        .values("count")
    )
    sets = GallerySet.objects.filter(gallery_id=Param("gallery", _GALLERY))
    if chosen:
        sets = sets.filter(id__in=ParamList("sets", _SET, chosen))
    return sets.order_by("position", "name").annotate(
        photo_count=Coalesce(Subquery(counted), 0)
    )


_COUNTED_SETS = PreparedQuery(_counted_sets)
_OF_SET = PreparedQuery(
    lambda fields: (
        _visible(0)
        .filter(photo_set_id=Param("set", _SET))
        .order_by("position", "uploaded_at")
        .values_list(*fields)
    ),
    windowed=True,
)
_IN_GALLERY_ORDER = PreparedQuery(
    lambda fields, chosen: _visible(chosen).in_gallery_order().values_list(*fields),
    windowed=True,
)
_BY_KEY = PreparedQuery(
    lambda fields, chosen: (
        _visible(chosen).filter(pk=Param("photo", _PHOTO)).only(*fields)[:1]
    )
)
_FIRST = PreparedQuery(
    lambda fields, chosen: _visible(chosen).in_gallery_order().only(*fields)[:1]
)


def _values(link: ShareLink) -> tuple[int, dict]:
    chosen = link.chosen_set_ids()
    return len(chosen), {"gallery": link.gallery_id, "sets": chosen}


def counted_sets(link: ShareLink) -> list[GallerySet]:
    """The sets a visitor of `link` sees, in order, each with `photo_count`, the photos
    it shows (sets without one included)."""
    chosen, values = _values(link)
    return _COUNTED_SETS.objects(chosen, using=link._state.db, **values)


def window(
    link: ShareLink,
    sets: Sequence[GallerySet],
    fields: tuple[str, ...],
    start: int,
    size: int,
) -> list[tuple]:
    """The `fields` of photos `start` to `start + size` of `sets` (from
    `counted_sets`, the link's or some of them), in gallery order."""
    using = link._state.db
    if len({photo_set.position for photo_set in sets}) < len(sets):
        # Two sets share a position, so their photos interleave in gallery order
        # (`in_gallery_order`): one query over them all.
        ids = [photo_set.pk for photo_set in sets]
        return _IN_GALLERY_ORDER.rows(
            fields,
            len(ids),
            using=using,
            window=(start, size),
            gallery=link.gallery_id,
            sets=ids,
        )
    rows, skip = [], start
    for photo_set in sets:
        if len(rows) == size:
            break
        if skip >= photo_set.photo_count:
            skip -= photo_set.photo_count
            continue
        rows += _OF_SET.rows(
            fields,
            using=using,
            window=(skip, size - len(rows)),
            gallery=link.gallery_id,
            set=photo_set.pk,
        )
        skip = 0
    return rows


class InGalleryOrder:
    """`window` as a sequence a paginator pages through (Django's `Paginator`, so
    DRF's): its `count()` adds up the sets' counts, a slice reads that window."""

    def __init__(
        self, link: ShareLink, sets: Sequence[GallerySet], fields: tuple[str, ...]
    ):
        self.link, self.sets, self.fields = link, sets, fields

    def count(self) -> int:
        return sum(photo_set.photo_count for photo_set in self.sets)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("InGalleryOrder is read a window (a slice) at a time.")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        return window(self.link, self.sets, self.fields, start, stop - start)


def cover(link: ShareLink, fields: tuple[str, ...]) -> Photo | None:
    """The gallery's cover if `link` shows it, else its first photo in gallery order,
    with only `fields` loaded; None for a link that shows no photo. (`link` with its
    gallery, for the cover's key.)"""
    chosen, values = _values(link)
    using = link._state.db
    cover_id = link.gallery.cover_id
    found = (
        _BY_KEY.objects(fields, chosen, using=using, photo=cover_id, **values)
        if cover_id
        else []
    )
    found = found or _FIRST.objects(fields, chosen, using=using, **values)
    return found[0] if found else None
