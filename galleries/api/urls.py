from django.urls import path
from rest_framework.routers import SimpleRouter

from galleries.api import brand, design, views, watermark

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
