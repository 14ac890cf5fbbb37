from django.urls import path
from rest_framework.routers import SimpleRouter

from galleries.api import brand, design, trash, views, watermark

UUID = "[0-9a-fA-F-]{36}"

for viewset in (
    views.GalleryViewSet,
    views.GallerySetViewSet,
    views.PhotoViewSet,
    views.UploadViewSet,
):
    # A malformed id is simply not found, like someone else's.
    viewset.lookup_value_regex = UUID

router = SimpleRouter()
router.register("galleries", views.GalleryViewSet, basename="gallery")
router.register(
    rf"galleries/(?P<gallery_pk>{UUID})/sets", views.GallerySetViewSet, basename="set"
)
router.register(
    rf"galleries/(?P<gallery_pk>{UUID})/photos",
    views.GalleryPhotoViewSet,
    basename="gallery-photo",
)
router.register("photos", views.PhotoViewSet, basename="photo")
router.register("uploads", views.UploadViewSet, basename="upload")

urlpatterns = [
    *router.urls,
    path("trash/", trash.TrashView.as_view(), name="trash"),
    path("trash/empty/", trash.TrashEmptyView.as_view(), name="trash_empty"),
    path(
        "trash/photos/restore/",
        trash.TrashedPhotosRestoreView.as_view(),
        name="trash_photos_restore",
    ),
    path(
        "trash/photos/delete/",
        trash.TrashedPhotosPurgeView.as_view(),
        name="trash_photos_purge",
    ),
    path(
        "trash/galleries/<uuid:pk>/",
        trash.TrashedGalleryView.as_view(),
        name="trash_gallery",
    ),
    path(
        "trash/galleries/<uuid:pk>/restore/",
        trash.TrashedGalleryRestoreView.as_view(),
        name="trash_gallery_restore",
    ),
    path(
        "galleries/<uuid:gallery_pk>/design/",
        design.GalleryDesignView.as_view(),
        name="gallery_design",
    ),
    path("brand/", brand.BrandView.as_view(), name="brand"),
    path("brand/logo/", brand.BrandLogoView.as_view(), name="brand_logo"),
    path(
        "brand/logo-dark/",
        brand.BrandLogoView.as_view(dark=True),
        name="brand_logo_dark",
    ),
    path("watermark/", watermark.WatermarkView.as_view(), name="watermark"),
    path(
        "watermark/image/",
        watermark.WatermarkImageView.as_view(),
        name="watermark_image",
    ),
]
