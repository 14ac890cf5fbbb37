"""What the owner's gallery page shows of sharing: the links' totals, the clients'
favourites lists, and (with ?list=) only one list's photos. Registered on the page
that galleries builds (galleries/gallery_page.py)."""

from django.db.models import Count, F
from django.http import Http404

from galleries.gallery_page import GalleryPage, contributes
from sharing import analytics
from sharing.models import FavouriteList


@contributes
def favourites_and_totals(page: GalleryPage) -> None:
    # Clients' favourites lists, in one query however many there are.
    favourite_lists = list(
        FavouriteList.objects.filter(link__gallery=page.gallery)
        .select_related("link")
        .annotate(photo_count=Count("items"))
        .order_by(F("submitted_at").desc(nulls_last=True), "-created_at")
    )
    showing_list = None
    if list_id := page.request.GET.get("list"):
        showing_list = next((f for f in favourite_lists if str(f.pk) == list_id), None)
        if showing_list is None:
            raise Http404
        page.photos = page.photos.filter(pk__in=showing_list.items.values("photo_id"))
        page.filtered = True
        page.banners.append("sharing/owner/_list_filter_banner.html")
    page.panels.append("sharing/owner/_gallery_sharing.html")
    page.context.update(
        favourite_lists=favourite_lists,
        showing_list=showing_list,
        share_totals=analytics.totals(page.gallery.share_links.all()),
    )
