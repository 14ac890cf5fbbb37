from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat

from galleries import pictures, services
from galleries.models import Gallery, GallerySet, Photo


class GallerySetInline(admin.TabularInline):
    model = GallerySet
    extra = 0
    fields = ["name", "position"]
    can_delete = False  # deleting a set deletes photos: done in the site, with care


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["thumbnail", "original_filename", "photo_set", "status", "size_display"]
    readonly_fields = fields
    ordering = ["photo_set__position", "position"]

    @admin.display(description="Photo")
    def thumbnail(self, photo: Photo) -> str:
        return pictures.thumbnail(photo)

    @admin.display(description="Size")
    def size_display(self, photo: Photo) -> str:
        return filesizeformat(photo.size)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo_set")


def _regenerate(modeladmin, request, photos) -> None:
    count = 0
    for photo in photos.filter(status__in=[Photo.Status.READY, Photo.Status.FAILED]):
        services.photo_retry(photo=photo)
        count += 1
    modeladmin.message_user(
        request, f"Queued {count} photo(s) for new renditions.", messages.SUCCESS
    )


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "event_date", "photos", "created_at"]
    list_filter = ["created_at", "event_date"]
    search_fields = ["title", "owner__email", "owner__studio_name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "cover"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [GallerySetInline, PhotoInline]
    actions = ["regenerate_renditions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_total=Count("photos"))

    @admin.display(description="Photos", ordering="photo_total")
    def photos(self, gallery: Gallery) -> int:
        return gallery.photo_total

    @admin.action(description="Regenerate renditions of the selected galleries")
    def regenerate_renditions(self, request, galleries) -> None:
        _regenerate(self, request, Photo.objects.filter(gallery__in=galleries))

    # Deletes go through the service, so files leave storage and quota comes back.
    def delete_model(self, request, gallery: Gallery) -> None:
        services.gallery_delete(gallery=gallery)

    def delete_queryset(self, request, galleries) -> None:
        for gallery in galleries:
            services.gallery_delete(gallery=gallery)


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "original_filename",
        "gallery",
        "status",
        "size_display",
        "uploaded_at",
    ]
    list_filter = ["status", "uploaded_at"]
    search_fields = [
        "original_filename",
        "gallery__title",
        "gallery__owner__email",
        "sha256",
    ]
    list_select_related = ["gallery"]
    raw_id_fields = ["gallery", "photo_set"]
    readonly_fields = [
        "thumbnail",
        "original",
        "size",
        "sha256",
        "mime_type",
        "status",
        "error",
        "width",
        "height",
        "taken",
        "camera",
        "lens",
        "renditions",
        "renditions_size",
        "uploaded_at",
        "attempts",
        "upload_id",
        "color",
    ]
    exclude = ["placeholder"]
    actions = ["regenerate_renditions"]

    @admin.display(description="Photo")
    def thumbnail(self, photo: Photo) -> str:
        return pictures.thumbnail(photo)

    @admin.display(description="Size", ordering="size")
    def size_display(self, photo: Photo) -> str:
        return filesizeformat(photo.size)

    @admin.action(description="Regenerate renditions")
    def regenerate_renditions(self, request, photos) -> None:
        _regenerate(self, request, photos)

    def delete_model(self, request, photo: Photo) -> None:
        services.photos_delete(gallery=photo.gallery, photo_ids=[photo.pk])

    def delete_queryset(self, request, photos) -> None:
        for gallery in Gallery.objects.filter(photos__in=photos).distinct():
            services.photos_delete(
                gallery=gallery,
                photo_ids=list(
                    photos.filter(gallery=gallery).values_list("pk", flat=True)
                ),
            )
