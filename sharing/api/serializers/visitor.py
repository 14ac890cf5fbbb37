"""What the visitor's side of the sharing API reads and writes: the gallery a link
shows, its photos, unlocking it, a visitor's own favourites list, and the errors the
gate answers (for the schema).

The visitor's serializers keep the component names they were published under
("SharedGallery", ...), so clients generated from the schema see no change."""

import datetime
import uuid
from typing import NamedTuple

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from galleries.api.serializers import TakenAtField
from galleries.models import GallerySet, Photo
from galleries.signed_urls import rendition_urls
from sharing import gate, watermarked
from sharing.api.serializers import RENDITIONS_HELP, absolute_url
from sharing.models import Favourite, FavouriteList, ShareLink

# Stands in for a photo's id where a URL is reversed once for a whole page of photos.
ANY_PHOTO = uuid.UUID(int=0)

# --- Errors, for the schema ----------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


def error_response(name: str, codes: str):
    """A documented error body, the same shape as every other error of the API."""
    error = type(
        f"{name}ItemSerializer",
        (ErrorSerializer,),
        {"code": serializers.CharField(help_text=codes)},
    )
    return type(
        f"{name}Serializer",
        (serializers.Serializer,),
        {
            "type": serializers.CharField(help_text='"client_error"'),
            "errors": error(many=True),
        },
    )


LinkGoneError = error_response(
    "ShareErrorResponse410", '"expired": the link has expired; nothing else is shown.'
)
PasswordRequiredError = error_response(
    "ShareErrorResponse401",
    '"password_required": the link has a password and this request holds no valid '
    "unlock; nothing of the gallery is shown.",
)
FavouritesOffError = error_response(
    "ShareErrorResponse403", '"favourites_disabled": the link has favourites off.'
)
BadRequestError = error_response(
    "ShareErrorResponse400",
    'Why the request was refused, e.g. "not_found" for a set this link does not '
    'show, or "invalid" for a list sent with no photo.',
)
ListSubmittedError = error_response(
    "ShareErrorResponse409",
    '"list_submitted": the list was sent to the photographer and can no longer '
    "change (the photographer can reopen it).",
)


# --- What a visitor sees through a link -----------------------------------------------


@extend_schema_serializer(component_name="SharedDownloads")
class VisitorDownloadsSerializer(serializers.Serializer):
    web = serializers.URLField(
        allow_null=True, help_text="2048 px JPEG; null when the link allows none."
    )
    original = serializers.URLField(
        allow_null=True, help_text="The original file; null unless the link allows it."
    )


@extend_schema_serializer(component_name="SharedPhoto")
class VisitorPhotoRow(NamedTuple):
    """A photo of the list as read from the database: the columns the visitor's
    photo list shows, with the model's own properties over them."""

    id: uuid.UUID
    photo_set_id: uuid.UUID | None
    original_filename: str
    width: int | None
    height: int | None
    placeholder: str
    color: str
    taken_at: datetime.datetime | None
    taken_offset: int | None
    renditions: dict
    watermarked: dict
    watermark_version: str

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    taken = Photo.taken
    aspect_ratio = Photo.aspect_ratio


class VisitorPhotoSerializer(serializers.ModelSerializer):
    # A list of photos reads `VisitorPhotoRow`s (its columns alone, no EXIF, no
    # paths); one photo, a model instance.
    set = serializers.UUIDField(source="photo_set_id", read_only=True)
    filename = serializers.CharField(source="original_filename", read_only=True)
    taken_at = TakenAtField()
    aspect_ratio = serializers.FloatField(
        read_only=True, help_text="Width / height, for laying out the grid."
    )
    renditions = serializers.SerializerMethodField(help_text=RENDITIONS_HELP)
    downloads = serializers.SerializerMethodField(
        help_text="Download URLs (each download is counted). For a password link, "
        f"send the {gate.ACCESS_HEADER} header with them too."
    )
    being_prepared = serializers.SerializerMethodField(
        help_text="A watermarked link's photo whose watermarked copy is still being "
        "made: it has no large rendition and no web-size download yet (409)."
    )

    class Meta:
        model = Photo
        fields = [
            "id",
            "set",
            "filename",
            "width",
            "height",
            "aspect_ratio",
            "placeholder",
            "color",
            "taken_at",
            "renditions",
            "downloads",
            "being_prepared",
        ]
        read_only_fields = fields

    def to_representation(self, photo: Photo) -> dict:
        """What DRF's fields above would give, key for key and value for value, built
        directly: a page of 100 photos spent most of its time in the per-field
        machinery (the fields stay for the schema, and a test holds the two equal)."""
        set_id, filename = photo.photo_set_id, photo.original_filename
        width, height = photo.width, photo.height
        placeholder, color = photo.placeholder, photo.color
        taken = photo.taken
        return {
            "id": str(photo.pk),
            "set": None if set_id is None else str(set_id),
            "filename": None if filename is None else str(filename),
            "width": None if width is None else int(width),
            "height": None if height is None else int(height),
            "aspect_ratio": float(photo.aspect_ratio),
            "placeholder": None if placeholder is None else str(placeholder),
            "color": None if color is None else str(color),
            "taken_at": None if taken is None else taken.isoformat(),
            "renditions": self.get_renditions(photo),
            "downloads": self.get_downloads(photo),
            "being_prepared": self.get_being_prepared(photo),
        }

    def get_renditions(self, photo: Photo) -> dict[str, str]:
        link = self.context.get("link")
        if link is None or watermarked.version(link) is None:
            return rendition_urls(photo)
        return rendition_urls(
            watermarked.Seen(photo, watermarked.everything(link, photo))
        )

    def get_being_prepared(self, photo: Photo) -> bool:
        link = self.context.get("link")
        return link is not None and watermarked.is_preparing(link, photo)

    @extend_schema_field(VisitorDownloadsSerializer)
    def get_downloads(self, photo: Photo) -> dict:
        web, original = self._download_urls()
        pk = photo.pk
        return {
            "web": f"{web[0]}{pk}{web[1]}" if web else None,
            "original": f"{original[0]}{pk}{original[1]}" if original else None,
        }

    def _download_urls(self) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        """The (before, after) a photo's id of its web and original download URLs, or
        None where the link allows none: reversed once per response, not per photo."""
        if not hasattr(self, "_downloads"):
            link: ShareLink = self.context["link"]
            path = reverse("sharing:photo_download", args=[link.token, ANY_PHOTO])
            before, _, after = absolute_url(
                self.context.get("request"), path
            ).rpartition(str(ANY_PHOTO))
            self._downloads = (
                (before, f"{after}?size=web") if link.allows_web_downloads else None,
                (
                    (before, f"{after}?size=original")
                    if link.allows_original_downloads
                    else None
                ),
            )
        return self._downloads


@extend_schema_serializer(component_name="SharedSet")
class VisitorSetSerializer(serializers.ModelSerializer):
    photo_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GallerySet
        fields = ["id", "name", "photo_count"]
        read_only_fields = fields


@extend_schema_serializer(component_name="SharedFavourites")
class VisitorFavouritesSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(source="favourites_enabled")
    limit = serializers.IntegerField(
        source="favourites_limit", allow_null=True, help_text="Null for no limit."
    )
    require_email = serializers.BooleanField(source="favourites_require_email")


@extend_schema_serializer(component_name="SharedGallery")
class VisitorGallerySerializer(serializers.Serializer):
    """A share link's gallery, as its visitor sees it."""

    # The instance is the link; the view passes its visible sets and cover in context.

    title = serializers.CharField(source="gallery.title")
    event_date = serializers.DateField(source="gallery.event_date", allow_null=True)
    description = serializers.CharField(source="gallery.description")
    welcome_message = serializers.CharField()
    studio = serializers.CharField(
        source="gallery.owner.public_name", help_text="The photographer's studio."
    )
    url = serializers.SerializerMethodField(help_text="The gallery's web page.")
    cover = serializers.SerializerMethodField()
    sets = serializers.SerializerMethodField()
    photo_count = serializers.SerializerMethodField()
    downloads = serializers.ChoiceField(
        choices=ShareLink.Downloads.choices,
        help_text="What visitors may download: nothing, web size, or originals.",
    )
    zip_url = serializers.SerializerMethodField(
        help_text="The whole gallery as one ZIP (?set=<id> for one set); null when "
        "downloads are off."
    )
    favourites = VisitorFavouritesSerializer(source="*")
    expires_at = serializers.DateTimeField(allow_null=True)
    requires_password = serializers.BooleanField(source="has_password")
    unlocked = serializers.SerializerMethodField(
        help_text="Always true here: a locked link answers 401 instead."
    )

    def get_url(self, link: ShareLink) -> str:
        return absolute_url(
            self.context.get("request"), reverse("sharing:gallery", args=[link.token])
        )

    @extend_schema_field(VisitorPhotoSerializer(allow_null=True))
    def get_cover(self, link: ShareLink) -> dict | None:
        cover = self.context.get("cover")
        return (
            VisitorPhotoSerializer(cover, context=self.context).data if cover else None
        )

    @extend_schema_field(VisitorSetSerializer(many=True))
    def get_sets(self, link: ShareLink) -> list:
        return VisitorSetSerializer(self.context["sets"], many=True).data

    def get_photo_count(self, link: ShareLink) -> int:
        return sum(s.photo_count for s in self.context["sets"])

    def get_zip_url(self, link: ShareLink) -> str | None:
        if not link.allows_web_downloads:
            return None
        return absolute_url(
            self.context.get("request"), reverse("sharing:zip", args=[link.token])
        )

    def get_unlocked(self, link: ShareLink) -> bool:
        return True


class UnlockSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class UnlockResponseSerializer(serializers.Serializer):
    access_token = serializers.CharField(
        help_text=f"Send it as the {gate.ACCESS_HEADER} header on this link's "
        "requests (and its download URLs)."
    )
    header = serializers.CharField(help_text=f'Always "{gate.ACCESS_HEADER}".')
    expires_at = serializers.DateTimeField(
        help_text="When the token stops working, unless the password changes first."
    )


class VisitorRegisterSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class VisitorRegisterResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Your personal token: use it in place of the link's token, in "
        "these URLs and the web address /s/<token>/."
    )
    url = serializers.URLField(help_text="This gallery's API, through your token.")
    page_url = serializers.URLField(help_text="The gallery's web page, for you.")


class PhotoFilterSerializer(serializers.Serializer):
    set = serializers.UUIDField(required=False)
    sort = serializers.ChoiceField(
        choices=["gallery", "taken", "name"], required=False, default="gallery"
    )
    favourites = serializers.CharField(required=False, max_length=64)


# --- A visitor's own favourites list --------------------------------------------------


class ListStartSerializer(serializers.Serializer):
    # Blank names and missing emails get the service's own, friendlier messages.
    name = serializers.CharField(max_length=100, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="SharedFavourite")
class VisitorFavouriteSerializer(serializers.ModelSerializer):
    photo = serializers.UUIDField(source="photo_id", read_only=True)
    hearted_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Favourite
        fields = ["photo", "note", "hearted_at"]
        read_only_fields = fields


@extend_schema_serializer(component_name="SharedFavouriteList")
class VisitorFavouriteListSerializer(serializers.ModelSerializer):
    token = serializers.CharField(
        read_only=True,
        help_text="The list's private key: use it in this list's URLs, keep it secret.",
    )
    count = serializers.SerializerMethodField(help_text="Photos hearted.")
    limit = serializers.IntegerField(
        source="link.favourites_limit", read_only=True, allow_null=True
    )
    is_submitted = serializers.BooleanField(read_only=True)
    resume_url = serializers.SerializerMethodField(
        help_text="A web page that resumes this list on another device."
    )
    items = VisitorFavouriteSerializer(many=True, read_only=True)
    # Not an EmailField: a visitor who gave no email has "", which is no address.
    email = serializers.CharField(read_only=True, help_text="Empty if none was given.")

    class Meta:
        model = FavouriteList
        fields = [
            "id",
            "token",
            "name",
            "email",
            "count",
            "limit",
            "is_submitted",
            "submitted_at",
            "created_at",
            "resume_url",
            "items",
        ]
        read_only_fields = fields

    def get_count(self, favourite_list: FavouriteList) -> int:
        return len(favourite_list.items.all())

    def get_resume_url(self, favourite_list: FavouriteList) -> str:
        path = reverse(
            "sharing:list_resume",
            args=[favourite_list.link.token, favourite_list.token],
        )
        return absolute_url(self.context.get("request"), path)


class HeartSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text='Optional; "" clears it, omitted keeps it.',
    )


# Its own name: a subclass would take its parent's.
@extend_schema_serializer(component_name="HeartResponse")
class HeartResponseSerializer(VisitorFavouriteSerializer):
    count = serializers.IntegerField(read_only=True, help_text="Photos now hearted.")

    class Meta(VisitorFavouriteSerializer.Meta):
        fields = [*VisitorFavouriteSerializer.Meta.fields, "count"]
        read_only_fields = fields
