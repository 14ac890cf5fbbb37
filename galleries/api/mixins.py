"""What the photo-list APIs of both apps share."""

from galleries.signed_urls import warm_urls


class SignsPageURLsMixin:
    """Lists of photos sign the renditions of a whole page at once (S3), not one by one."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        warm_urls(page if page is not None else queryset)
        return page
