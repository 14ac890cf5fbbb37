"""What the photo-list APIs of both apps share."""

from galleries.signed_urls import warm_urls


class SignsPageURLsMixin:
    """Lists of photos sign the renditions of a whole page at once (S3), not one by one.

    With `row` (a NamedTuple class), the queryset is a `values_list()` of its fields
    and each row of the page becomes one."""

    row = None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.row is not None:
            page = [self.row._make(values) for values in page]
        warm_urls(page if page is not None else queryset)
        return page
