"""What the photographer's side of the sharing API reads and writes: their links, each
link's analytics, and the favourites lists visitors sent."""

from django.urls import reverse
from rest_framework import serializers

from galleries.models import GallerySet
from galleries.signed_urls import rendition_urls
from sharing import xmp
from sharing.api.serializers import RENDITIONS_HELP, absolute_url
from sharing.models import MAX_REMINDER_DAYS, Favourite, FavouriteList, ShareLink

# --- The photographer's links --------------------------------------------------------


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The public address to send to clients."
    )
    has_password = serializers.BooleanField(read_only=True)
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=200,
        style={"input_type": "password"},
        help_text='Omit to keep the current password, "" to remove it, text to set '
        "it. Never returned. A new or removed password locks out everyone who "
        "unlocked with the old one.",
    )
    status = serializers.SerializerMethodField(
        help_text='"active", "expired" or "disabled".'
    )
    sets = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=GallerySet.objects.none(),
        pk_field=serializers.UUIDField(),
        help_text="Ids of the sets the link shows; empty shows every set, including "
        "sets added later.",
        error_messages={"does_not_exist": "Choose sets of this gallery."},
    )

    expiry_reminders = serializers.BooleanField(
        required=False,
        help_text="Remind recipients who have not downloaded anything or sent a list "
        "before the link expires. On by default once the link has an expiry; refused "
        "for a link without one.",
    )
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_REMINDER_DAYS),
        required=False,
        min_length=1,
        max_length=5,
        help_text="Days before expiry each reminder goes, e.g. [7, 1].",
    )

    class Meta:
        model = ShareLink
        fields = [
            "id",
            "label",
            "token",
            "url",
            "has_password",
            "password",
            "expires_at",
            "is_active",
            "status",
            "sets",
            "downloads",
            "favourites_enabled",
            "favourites_limit",
            "favourites_require_email",
            "registration",
            "welcome_message",
            "expiry_reminders",
            "reminder_days",
            "watermark",
            "watermark_thumbnails",
            "created_at",
            "last_visited_at",
        ]
        read_only_fields = ["id", "token", "created_at", "last_visited_at"]
        extra_kwargs = {"favourites_limit": {"min_value": 1, "max_value": 100_000}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        gallery = self.context.get("gallery")
        if gallery is not None:
            self.fields["sets"].child_relation.queryset = gallery.sets.all()

    def get_url(self, link: ShareLink) -> str:
        return absolute_url(
            self.context.get("request"), reverse("sharing:gallery", args=[link.token])
        )

    def get_status(self, link: ShareLink) -> str:
        return link.status


class LinkDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    views = serializers.IntegerField()
    visitors = serializers.IntegerField(help_text="Unique visitors that day.")
    downloads = serializers.IntegerField(help_text="Single photos downloaded.")
    zip_downloads = serializers.IntegerField()
    lists_started = serializers.IntegerField()
    lists_submitted = serializers.IntegerField()


class LinkTotalsSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    visitors = serializers.IntegerField(help_text="Sum of each day's unique visitors.")
    downloads = serializers.IntegerField()
    zip_downloads = serializers.IntegerField()
    lists_started = serializers.IntegerField()
    lists_submitted = serializers.IntegerField()
    last_visited_at = serializers.DateTimeField(allow_null=True)


class LinkAnalyticsSerializer(serializers.Serializer):
    days = LinkDaySerializer(many=True, help_text="One row per day, oldest first.")
    totals = LinkTotalsSerializer(help_text="Since the link was made.")


class AnalyticsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=366,
        default=30,
        help_text="How many days back, today included (1-366, default 30).",
    )


# --- The photographer's view of favourites lists --------------------------------------


class LinkRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShareLink
        fields = ["id", "label"]


class FavouriteListSerializer(serializers.ModelSerializer):
    link = LinkRefSerializer(read_only=True)
    count = serializers.IntegerField(read_only=True, help_text="Photos hearted.")
    is_submitted = serializers.BooleanField(read_only=True)
    # Not an EmailField: a visitor who gave no email has "", which is no address.
    email = serializers.CharField(read_only=True, help_text="Empty if none was given.")

    class Meta:
        model = FavouriteList
        fields = [
            "id",
            "name",
            "email",
            "link",
            "count",
            "is_submitted",
            "submitted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FavouriteItemSerializer(serializers.ModelSerializer):
    photo = serializers.UUIDField(source="photo_id")
    filename = serializers.CharField(source="photo.original_filename")
    hearted_at = serializers.DateTimeField(source="created_at")
    thumbnails = serializers.SerializerMethodField(help_text=RENDITIONS_HELP)

    class Meta:
        model = Favourite
        fields = ["photo", "filename", "note", "hearted_at", "thumbnails"]
        read_only_fields = fields

    def get_thumbnails(self, item: Favourite) -> dict[str, str]:
        return rendition_urls(item.photo) if item.photo.is_ready else {}


class FavouriteListDetailSerializer(FavouriteListSerializer):
    items = FavouriteItemSerializer(many=True, read_only=True)

    class Meta(FavouriteListSerializer.Meta):
        fields = [*FavouriteListSerializer.Meta.fields, "items"]
        read_only_fields = fields


class XmpQuerySerializer(serializers.Serializer):
    mapping = serializers.ChoiceField(
        choices=list(xmp.MAPPINGS.items()),
        default=xmp.DEFAULT_MAPPING,
        help_text="What each pick becomes: rating-1 to rating-5 (xmp:Rating), "
        "label-red/yellow/green/blue/purple (xmp:Label), or pick (xmpDM:good, which "
        "Lightroom does not read). Default rating-5.",
    )


class LightroomFilterSerializer(serializers.Serializer):
    filter = serializers.CharField(
        help_text='Paste into Lightroom\'s text filter: "IMG_0001.jpg, IMG_0007.jpg".'
    )
