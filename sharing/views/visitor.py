"""The visitor's gallery: cover, sets, the photo grid, each photo's own page, unlock."""

import uuid
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from galleries import pictures
from galleries.models import GallerySet, Photo
from galleries.signed_urls import url_window, warm_urls
from sharing import (
    analytics,
    branding,
    gate,
    photo_pages,
    recipients,
    tile_cache,
    watermarked,
)
from sharing.browsing import GRIDS, ROW_SCALE, SORTS, ClientView
from sharing.models import ShareLink
from sharing.pictures import lightbox_srcset, tile_sizes
from sharing.tiles import tile_html
from sharing.views.favourites import favourites_state
from sharing.views.gate import gate_page, link_url, safe_next, visitor_view

# Photos in the first server page, then in each page after it. The first is small so
# a phone lays out and paints the cover at once; the script fetches the next page long
# before the visitor reaches the end, and without script a link leads to it.
FIRST_PAGE = 40
PAGE_SIZE = 80

ANY_PHOTO = uuid.UUID(int=0)

# What the grid draws of a photo; the rest (EXIF, storage paths) stays in the database.
TILE_FIELDS = (
    "id",
    "gallery_id",
    "photo_set_id",
    "original_filename",
    "width",
    "height",
    "renditions",
    "placeholder",
    "color",
    "renditions_size",
    "watermarked",
    "watermark_version",
)


@dataclass
class Listing:
    """One page of the photos a link shows, with the sets around it."""

    sets: list[GallerySet]
    current_set: GallerySet | None
    total: int
    start: int
    photos: list[Photo]
    view: ClientView = field(default_factory=ClientView)

    @property
    def next_start(self) -> int | None:
        end = self.start + len(self.photos)
        return end if end < self.total else None

    @property
    def previous_start(self) -> int | None:
        if not self.start:
            return None
        return 0 if self.start <= FIRST_PAGE else self.start - PAGE_SIZE


def _listing(request: HttpRequest, link: ShareLink, favourites: dict) -> Listing:
    view = ClientView.from_query(request.GET)
    # Sets without a photo to show are left out of the navigation.
    sets = [
        photo_set
        for photo_set in photo_pages.counted_sets(link)
        if photo_set.photo_count
    ]
    current_set = _chosen_set(request, sets)
    shown = [current_set] if current_set else sets
    if view.reorders:
        # Another order than the gallery's, or the visitor's own list: sorted by the
        # database (the gallery's order is read set by set, sharing/photo_pages.py).
        photos = link.visible_photos()
        if current_set is not None:
            photos = photos.filter(photo_set=current_set)
        if view.mine:
            # This browser's own list, and no one else's.
            photos = photos.filter(pk__in=favourites["hearted"])
    if view.mine:
        total = photos.count() if favourites["hearted"] else 0
    else:
        total = sum(photo_set.photo_count for photo_set in shown)
    start = _start(request)
    if start and start >= total:
        raise Http404
    size = PAGE_SIZE if start else FIRST_PAGE
    if view.reorders:
        rows = photos.in_client_order(view.sort).values_list(*TileRow._fields)
        page = list(map(TileRow._make, rows[start : start + size])) if total else []
    else:
        rows = photo_pages.window(link, shown, TileRow._fields, start, size)
        page = list(map(TileRow._make, rows))
    return Listing(
        sets=sets,
        current_set=current_set,
        total=total,
        start=start,
        photos=page,
        view=view,
    )


class TileRow(NamedTuple):
    """What tells a rendered tile apart: a page's photos are read as these alone, not
    as model instances, and the heavy rest of TILE_FIELDS (the renditions' JSON, the
    placeholder) only for tiles not yet kept."""

    id: uuid.UUID
    gallery_id: uuid.UUID
    photo_set_id: uuid.UUID
    original_filename: str
    width: int | None
    height: int | None
    color: str
    renditions_size: int
    watermark_version: str

    @property
    def pk(self) -> uuid.UUID:
        return self.id


def _chosen_set(request: HttpRequest, sets: list[GallerySet]) -> GallerySet | None:
    wanted = request.GET.get("set")
    if not wanted:
        return None
    for photo_set in sets:
        if str(photo_set.pk) == wanted:
            return photo_set
    raise Http404


def _start(request: HttpRequest) -> int:
    """Which photo a page starts from (`?from=`); nonsense means the first."""
    try:
        return max(int(request.GET.get("from", 0)), 0)
    except ValueError:
        return 0


def _query(listing: Listing, start: int | None = None) -> str:
    params = []
    if listing.current_set:
        params.append(f"set={listing.current_set.pk}")
    if view := listing.view.query():
        params.append(view)
    if start:
        params.append(f"from={start}")
    return "?" + "&".join(params) if params else ""


# A tile costs ~0.1 ms to draw (its picture's URLs and srcsets, then sharing/tiles.py)
# and a page has up to 80, while a tile is the same HTML for every visitor who sees
# that photo at that place with the same heart: each process keeps the tiles it drew,
# keyed by everything drawn in them, including the window of the picture URLs, so a
# kept tile never outlives its URLs.
class TileKey(NamedTuple):
    """Everything a tile draws: two tiles with one key are the same HTML."""

    token: str
    language: str  # the words around the photo (sharing/language.py)
    favourites: str  # "off", "open" or "sent"
    hearted: bool
    number: int
    total: int
    set_query: str  # the set and the client's view (sort, filter, grid), see _query
    photo: uuid.UUID
    filename: str
    width: int | None
    height: int | None
    color: str
    renditions_size: int
    url_window: int
    watermark: tuple  # the link's (sharing/watermarked.py), and the photo's version


def _tiles(link: ShareLink, listing: Listing, favourites: dict) -> list[str]:
    set_query = _query(listing)
    if not favourites["enabled"]:
        mode = "off"
    else:
        mode = "sent" if favourites["submitted"] else "open"
    watermark_mode = watermarked.mode(link)
    keys = [
        TileKey(
            link.token,
            translation.get_language(),
            mode,
            photo.pk in favourites["hearted"],
            listing.start + number,
            listing.total,
            set_query,
            photo.pk,
            photo.original_filename,
            photo.width,
            photo.height,
            photo.color,
            photo.renditions_size,
            url_window(photo),
            (*watermark_mode, photo.watermark_version) if watermark_mode else (),
        )
        for number, photo in enumerate(listing.photos, start=1)
    ]
    # The page is drawn from what this look-up found and what is rendered below:
    # keeping the new tiles may evict others, kept ones of this very page included.
    tiles = tile_cache.rendered_tiles.get_many(keys)
    missing = [
        (key, photo)
        for key, photo in zip(keys, listing.photos, strict=True)
        if key not in tiles
    ]
    if missing:
        drawn = _render_tiles(link, listing, missing)
        tile_cache.rendered_tiles.put_many(drawn)
        tiles.update(drawn)
    return [tiles[key] for key in keys]


def _render_tiles(link: ShareLink, listing: Listing, missing: list) -> dict:
    """The HTML of each (key, photo) in `missing`, by key."""
    # Reversed once, not once per photo.
    photo_base = reverse("sharing:photo", args=[link.token, ANY_PHOTO]).removesuffix(
        f"/{ANY_PHOTO}/"
    )
    heart_base = reverse(
        "sharing:favourite_toggle", args=[link.token, ANY_PHOTO]
    ).removesuffix(f"/{ANY_PHOTO}/")
    heavy = {
        row["pk"]: row
        for row in Photo.objects.filter(
            pk__in=[photo.pk for _, photo in missing]
        ).values("pk", "renditions", "placeholder", "watermarked")
    }
    for row in heavy.values():
        del row["pk"]
    missing = [(key, Photo(**row._asdict(), **heavy[row.pk])) for key, row in missing]
    shown = {
        photo.pk: (watermarked.as_grid(link, photo), watermarked.as_large(link, photo))
        for _, photo in missing
    }
    warm_urls(seen for pair in shown.values() for seen in pair)
    drawn = {}
    for key, photo in missing:
        tile = {
            "photo": photo,
            "number": key.number,
            "url": f"{photo_base}/{photo.pk}/{key.set_query}",
            "heart_url": f"{heart_base}/{photo.pk}/",
            "ratio": f"{photo.aspect_ratio:.4f}",
            "picture": pictures.picture(shown[photo.pk][0], pictures.GRID),
            "sizes": tile_sizes(photo.aspect_ratio, ROW_SCALE[listing.view.grid]),
            "lightbox": lightbox_srcset(shown[photo.pk][1]),
            "hearted": key.hearted,
            "watermarked": bool(key.watermark),
        }
        drawn[key] = tile_html(tile, total=key.total, favourites=key.favourites)
    return drawn


def _is_landing(request: HttpRequest, link: ShareLink) -> bool:
    """A visit counts once: not when moving between pages of the same link."""
    referer = urlsplit(request.headers.get("Referer", ""))
    return not (
        referer.netloc == request.get_host() and referer.path.startswith(link_url(link))
    )


def _count_view(request: HttpRequest, link: ShareLink) -> None:
    # The first page after the password gate is a landing though the gate referred
    # to it; its reloads, still referred by the gate, are not.
    arrived = gate.arrived_through_gate(request, link)
    if (arrived or _is_landing(request, link)) and not gate.is_owner(request, link):
        analytics.record_view(
            link,
            address=gate.client_address(request),
            user_agent=request.headers.get("User-Agent", "")[:500],
            browser=gate.visitor_browser(request, link),
        )


def _grid_context(
    request: HttpRequest, link: ShareLink, listing: Listing, favourites: dict
) -> dict:
    next_start, previous_start = listing.next_start, listing.previous_start
    return {
        "link": link,
        "listing": listing,
        "tiles": _tiles(link, listing, favourites),
        "favourites": favourites,
        "csrf": get_token(request),
        "next_url": _query(listing, next_start) if next_start else "",
        "next_fragment": (
            reverse("sharing:gallery_photos", args=[link.token])
            + _query(listing, next_start)
            if next_start
            else ""
        ),
        "previous_url": (
            (_query(listing, previous_start) or link_url(link))
            if previous_start is not None
            else ""
        ),
        "sorts": SORTS,
        "grids": GRIDS,
    }


@require_GET
@gzip_page
@visitor_view
def gallery(request: HttpRequest, link: ShareLink) -> HttpResponse:
    favourites = favourites_state(request, link)
    listing = _listing(request, link, favourites)
    context = _grid_context(request, link, listing, favourites)
    design = branding.design_context(link.gallery)
    cover = photo_pages.cover(link, TILE_FIELDS) if design["design"].has_cover else None
    if cover is not None and watermarked.is_preparing(link, cover):
        cover = None  # a plain hero until its watermarked copy is made
    context.update(
        {
            "gallery": link.gallery,
            **branding.client_context(link.gallery.owner),
            **design,
            "cover": cover,
            "cover_picture": (
                pictures.picture(watermarked.as_large(link, cover), pictures.HERO)
                if cover
                else None
            ),
            "welcome": link.welcome_message or link.gallery.description,
            "show_sets": len(listing.sets) > 1,
            "zip_url": _zip_url(link, listing),
        }
    )
    _count_view(request, link)
    return render(request, "sharing/public/gallery.html", context)


@require_GET
@gzip_page
@visitor_view(with_gallery=False)
def gallery_photos(request: HttpRequest, link: ShareLink) -> HttpResponse:
    """The next page of tiles as an HTML fragment, for the grid's infinite scroll."""
    favourites = favourites_state(request, link)
    listing = _listing(request, link, favourites)
    return render(
        request,
        "sharing/public/_grid_page.html",
        _grid_context(request, link, listing, favourites),
    )


def _zip_url(link: ShareLink, listing: Listing) -> str:
    if not link.allows_web_downloads:
        return ""
    url = reverse("sharing:zip", args=[link.token])
    if listing.current_set:
        url += f"?set={listing.current_set.pk}"
    return url


@require_POST
@visitor_view
def photo_seen(request: HttpRequest, link: ShareLink, photo) -> HttpResponse:
    """The lightbox showed a photo: seen, for a visitor through a personal address
    (sharing/recipients.py); nothing to count for anyone else."""
    photo = gate.visible_photo(link, photo)
    if not gate.is_owner(request, link):
        recipients.photo_seen(link, photo)
    return HttpResponse(status=204)


@require_GET
@visitor_view
def photo(request: HttpRequest, link: ShareLink, photo) -> HttpResponse:
    photo = gate.visible_photo(link, photo)
    favourites = favourites_state(request, link)
    place = _place_of(request, link, photo, favourites)
    hearted = photo.pk in favourites["hearted"]
    _count_view(request, link)
    if not gate.is_owner(request, link):
        recipients.photo_seen(link, photo)
    return render(
        request,
        "sharing/public/photo.html",
        {
            "link": link,
            "gallery": link.gallery,
            **branding.client_context(link.gallery.owner),
            **branding.design_context(link.gallery),
            "photo": photo,
            "picture": pictures.picture(
                watermarked.as_large(link, photo), pictures.LARGE
            ),
            "preparing": watermarked.is_preparing(link, photo),
            **place,
            "favourites": favourites,
            "hearted": hearted,
            "note": _note_on(favourites["list"], photo) if hearted else "",
        },
    )


def _place_of(
    request: HttpRequest, link: ShareLink, photo: Photo, favourites: dict
) -> dict:
    """Where the photo sits in what the visitor browses (the link, or one set of it,
    in the order and with the filter they chose): its number, the total, its
    neighbours' pages and the grid's page that holds it."""
    view = ClientView.from_query(request.GET)
    if view.mine and photo.pk not in favourites["hearted"]:
        # Taken out of the list meanwhile: browse the whole link from here.
        view = ClientView(sort=view.sort, grid=view.grid)
    photos = link.visible_photos().in_client_order(view.sort)
    current_set = None
    if wanted := request.GET.get("set"):
        if str(photo.photo_set_id) != wanted:
            raise Http404
        current_set = photo.photo_set
        photos = photos.filter(photo_set=current_set)
    if view.mine:
        photos = photos.filter(pk__in=favourites["hearted"])
    # Only ids: cheap even for thousands of photos, and exactly the grid's order.
    ids = list(photos.values_list("pk", flat=True))
    index = ids.index(photo.pk)
    params = [f"set={current_set.pk}"] if current_set else []
    if view.query():
        params.append(view.query())
    set_query = "?" + "&".join(params) if params else ""

    def url_of(pk):
        return reverse("sharing:photo", args=[link.token, pk]) + set_query

    return {
        "number": index + 1,
        "total": len(ids),
        "previous_url": url_of(ids[index - 1]) if index > 0 else "",
        "next_url": url_of(ids[index + 1]) if index + 1 < len(ids) else "",
        "back_url": _grid_url_at(link, current_set, index, photo, view),
        "current_set": current_set,
    }


def _note_on(favourite_list, photo: Photo) -> str:
    note = favourite_list.items.filter(photo=photo).values_list("note", flat=True)
    return note.first() or ""


def _grid_url_at(
    link: ShareLink, current_set, index: int, photo: Photo, view: ClientView
) -> str:
    """The grid's page that holds the photo at `index`, scrolled to its tile."""
    start = 0
    if index >= FIRST_PAGE:
        start = FIRST_PAGE + (index - FIRST_PAGE) // PAGE_SIZE * PAGE_SIZE
    params = [f"set={current_set.pk}"] if current_set else []
    if view.query():
        params.append(view.query())
    if start:
        params.append(f"from={start}")
    query = "?" + "&".join(params) if params else ""
    return f"{link_url(link)}{query}#p-{photo.pk}"


@require_http_methods(["GET", "POST"])
@gate_page
def unlock(request: HttpRequest, link: ShareLink) -> HttpResponse:
    next_url = safe_next(request, link)
    if gate.is_unlocked(request, link):
        return redirect(next_url)
    error, status = "", 200
    if request.method == "POST":
        try:
            if gate.unlock(request, link, request.POST.get("password", "")):
                return redirect(next_url)
            error = _("That password is not right. Check it and try again.")
            status = 400
        except gate.TooManyAttempts as refused:
            # Waiting for its turn is not this guest's doing: the form again, with how
            # long to wait. Too many of their own wrong tries: a page that says so.
            if isinstance(refused, gate.PleaseWait):
                template = "sharing/public/unlock.html"
            else:
                template = "sharing/public/too_many.html"
            response = render(
                request,
                template,
                _unlock_context(link, next_url, str(refused)),
                status=429,
            )
            response["Retry-After"] = str(refused.retry_after)
            return response
    return render(
        request,
        "sharing/public/unlock.html",
        _unlock_context(link, next_url, error),
        status=status,
    )


def _unlock_context(link: ShareLink, next_url: str, error: str) -> dict:
    # Only the gallery's name and a 20-pixel blur of its cover: no photo, no file URL.
    cover = _unlock_cover(link)
    return {
        "link": link,
        "gallery": link.gallery,
        **branding.client_context(link.gallery.owner),
        "placeholder": cover.placeholder if cover else "",
        "color": cover.color if cover else "",
        "next": next_url,
        "error": error,
    }


def _unlock_cover(link: ShareLink) -> Photo | None:
    cover = link.gallery.cover
    try:
        if cover and gate.visible_photo(link, cover.pk):
            return cover
    except (Http404, ValidationError):
        pass
    return link.visible_photos().only("placeholder", "color").first()
