from drf_spectacular.utils import extend_schema_field
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from galleries.models import Gallery, GallerySet, Photo
from galleries.signed_urls import rendition_urls


class GallerySetSerializer(serializers.ModelSerializer):
    class Meta:
        model = GallerySet
        fields = ["id", "name", "position"]
        read_only_fields = ["id", "position"]


class GallerySerializer(serializers.ModelSerializer):
    sets = GallerySetSerializer(many=True, read_only=True)
    photo_count = serializers.IntegerField(read_only=True)
    attention_count = serializers.IntegerField(
        read_only=True,
        help_text="Uploads that did not become photos (failed or rejected): "
        "see photos/attention/.",
    )
    total_bytes = serializers.IntegerField(read_only=True)
    last_activity = serializers.DateTimeField(
        read_only=True, help_text="The last change to the gallery or its photos."
    )
    # null until the gallery has a ready photo.
    cover = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Gallery
        fields = [
            "id",
            "title",
            "event_date",
            "description",
            "language",
            "cover",
            "sets",
            "photo_count",
            "attention_count",
            "total_bytes",
            "last_activity",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]


TAKEN_AT_HELP = (
    "When the photo was shot, as the camera's clock read (EXIF), in ISO 8601: "
    '"2024-06-01T14:03:00" when the camera recorded no time zone (a local time: '
    "show it as it is, in no zone), with its offset "
    '("2024-06-01T14:03:00+02:00") when it did. null when the photo does not say.'
)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?"
        r"([+-]\d{2}:\d{2})?$",
        "example": "2024-06-01T14:03:00",
        "description": TAKEN_AT_HELP,
    }
)
class TakenAtField(serializers.Field):
    """A photo's capture time as shot (`Photo.taken`): no zone unless EXIF had one."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, help_text=TAKEN_AT_HELP)
        super().__init__(**kwargs)

    def to_representation(self, photo: Photo) -> str | None:
        taken = photo.taken
        return None if taken is None else taken.isoformat()


class PhotoSerializer(serializers.ModelSerializer):
    set = serializers.PrimaryKeyRelatedField(source="photo_set", read_only=True)
    filename = serializers.CharField(source="original_filename", read_only=True)
    taken_at = TakenAtField()
    urls = serializers.SerializerMethodField(
        help_text="Signed, short-lived URLs of the renditions, keyed size.format: "
        '"grid.avif", "grid.jpeg", "grid_2x.avif", "preview.jpeg"... (grid fits '
        "400 px, grid_2x 800 px, preview 2048 px, or 1920-2048 px when that is the photo"
        " halved or quartered exactly). Empty until the photo is ready."
    )

    class Meta:
        model = Photo
        fields = [
            "id",
            "gallery",
            "set",
            "filename",
            "size",
            "sha256",
            "mime_type",
            "status",
            "error",
            "width",
            "height",
            "taken_at",
            "camera",
            "lens",
            "position",
            "uploaded_at",
            "placeholder",
            "color",
            "urls",
        ]
        read_only_fields = fields

    def get_urls(self, photo: Photo) -> dict[str, str]:
        return rendition_urls(photo) if photo.is_ready else {}


class AttentionPhotoSerializer(serializers.ModelSerializer):
    """An upload that needs the photographer: its processing failed, or the file
    was refused (rejected)."""

    set = serializers.PrimaryKeyRelatedField(source="photo_set", read_only=True)
    filename = serializers.CharField(source="original_filename", read_only=True)
    reason = serializers.CharField(
        read_only=True,
        help_text="Why, in words to show the photographer as they are.",
    )
    error = serializers.CharField(
        read_only=True,
        help_text="What went wrong, as recorded; technical for a failed processing.",
    )
    can_retry = serializers.BooleanField(
        read_only=True,
        help_text="Whether POST photos/{id}/retry/ can help: true for a failed "
        "processing, false for a rejected file (retrying cannot change the file).",
    )

    class Meta:
        model = Photo
        fields = [
            "id",
            "gallery",
            "set",
            "filename",
            "size",
            "status",
            "reason",
            "error",
            "can_retry",
            "uploaded_at",
        ]
        read_only_fields = fields


class PhotoListQuerySerializer(serializers.Serializer):
    """The photo list's query string; an empty value is no filter."""

    set = serializers.UUIDField(required=False, help_text="Only this set")
    status = serializers.ChoiceField(
        choices=Photo.Status.choices,
        required=False,
        help_text="Only photos with this processing status. Without it, rejected "
        "uploads (files that are not photos) are left out; status=rejected lists "
        "them.",
    )


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), allow_empty=False)


class MoveSerializer(IdsSerializer):
    set = serializers.UUIDField()


class SortSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=["filename", "taken", "uploaded"])


class CoverSerializer(serializers.Serializer):
    photo = serializers.UUIDField(allow_null=True)


class UploadStartSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=1000)
    size = serializers.IntegerField(min_value=0)
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, allow_blank=True, default=""
    )
    set = serializers.UUIDField(required=False, allow_null=True, default=None)


class DuplicateErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["duplicate"])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text="Always null.")


class DuplicatePhotoErrorSerializer(serializers.Serializer):
    """409: the same bytes (SHA-256) are already a photo of this gallery."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = DuplicateErrorSerializer(many=True)
    existing = serializers.UUIDField(help_text="The photo already in the gallery.")


class UploadTargetSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["PUT", "POST", "MULTIPART"],
        help_text="PUT: send the raw bytes to `url` (with this API's credentials). "
        "POST: a multipart/form-data POST of `fields` then `file` to `url` "
        "(no credentials). MULTIPART: PUT consecutive `part_size` slices to each of "
        "`part_urls` in order, then complete with each part's ETag.",
    )
    url = serializers.CharField(allow_blank=True)
    fields = serializers.DictField(child=serializers.CharField())
    part_size = serializers.IntegerField()
    part_urls = serializers.ListField(child=serializers.URLField())


class UploadStartResponseSerializer(serializers.Serializer):
    photo = PhotoSerializer()
    upload = UploadTargetSerializer()


class PartSerializer(serializers.Serializer):
    part_number = serializers.IntegerField(min_value=1, max_value=10000)
    etag = serializers.CharField(max_length=200)


class UploadCompleteSerializer(serializers.Serializer):
    parts = PartSerializer(many=True, required=False, default=list)
