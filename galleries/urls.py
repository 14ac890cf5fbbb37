from django.urls import path

from galleries import brand_views, design_views, trash_views, views, watermark_views

app_name = "galleries"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.gallery_create, name="create"),
    path("<uuid:pk>/", views.gallery_detail, name="detail"),
    path("<uuid:pk>/edit/", views.gallery_edit, name="edit"),
    path("<uuid:pk>/delete/", views.gallery_delete, name="delete"),
    path("<uuid:pk>/design/", design_views.design_page, name="design"),
    path(
        "<uuid:pk>/design/preview/",
        design_views.design_preview,
        name="design_preview",
    ),
    path("<uuid:pk>/sets/new/", views.set_create, name="set_create"),
    path("<uuid:pk>/sets/<uuid:set_pk>/rename/", views.set_rename, name="set_rename"),
    path("<uuid:pk>/sets/<uuid:set_pk>/move/", views.set_move, name="set_move"),
    path("<uuid:pk>/sets/<uuid:set_pk>/delete/", views.set_delete, name="set_delete"),
    path("<uuid:pk>/photos/", views.photos_action, name="photos_action"),
    path("<uuid:pk>/photos/sort/", views.photos_sort, name="photos_sort"),
    path("<uuid:pk>/attention/", views.attention_list, name="attention"),
    path("<uuid:pk>/attention/all/", views.attention_action, name="attention_action"),
    path("photos/<uuid:pk>/retry/", views.photo_retry, name="photo_retry"),
    path("photos/<uuid:pk>/dismiss/", views.photo_dismiss, name="photo_dismiss"),
    path("photos/<uuid:pk>/original/", views.photo_original, name="photo_original"),
    path("files/<str:token>/<str:filename>", views.serve_file, name="file"),
    path("trash/", trash_views.trash_page, name="trash"),
    path("trash/empty/", trash_views.trash_empty, name="trash_empty"),
    path(
        "trash/photos/restore/", trash_views.photos_restore, name="trash_photos_restore"
    ),
    path("trash/photos/delete/", trash_views.photos_purge, name="trash_photos_purge"),
    path(
        "trash/<uuid:pk>/restore/",
        trash_views.gallery_restore,
        name="trash_gallery_restore",
    ),
    path(
        "trash/<uuid:pk>/delete/", trash_views.gallery_purge, name="trash_gallery_purge"
    ),
    path("brand/", brand_views.brand_page, name="brand"),
    path("watermark/", watermark_views.watermark_page, name="watermark"),
    path(
        "watermark/image/",
        watermark_views.watermark_image_upload,
        name="watermark_image_upload",
    ),
    path(
        "watermark/image/remove/",
        watermark_views.watermark_image_remove,
        name="watermark_image_remove",
    ),
    path(
        "brand/logo/<str:variant>/",
        brand_views.brand_logo_upload,
        name="brand_logo_upload",
    ),
    path(
        "brand/logo/<str:variant>/remove/",
        brand_views.brand_logo_remove,
        name="brand_logo_remove",
    ),
    path(
        "brand/logos/<int:owner_id>/<str:filename>",
        brand_views.brand_logo,
        name="brand_logo",
    ),
]
