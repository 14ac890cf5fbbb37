import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce, Greatest, Lower
from django.utils.translation import gettext_lazy as _

from galleries import watermark_demand


class GalleryQuerySet(models.QuerySet):
    def alive(self) -> "GalleryQuerySet":
        """Galleries not in the trash: the only ones anyone but the trash sees."""
        return self.filter(trashed_at=None)

    def trashed(self) -> "GalleryQuerySet":
        return self.exclude(trashed_at=None)

    def showing_watermark(self) -> "GalleryQuerySet":
        """Galleries out of the trash that a live share link shows the studio
        watermark on (told by the app above: galleries/watermark_demand.py)."""
        return self.alive().filter(watermark_demand.condition("pk"))

    def owned_by(self, user) -> "GalleryQuerySet":
        """The photographer's galleries, out of the trash (see `in_trash_of`)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user).alive()

    def in_trash_of(self, user) -> "GalleryQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user).trashed()

    def with_attention_count(self) -> "GalleryQuerySet":
        """How many uploads need attention, in the same query as the galleries."""
        return self.annotate(
            attention_count=Count(
                "photos",
                filter=Q(photos__status__in=Photo.NEEDS_ATTENTION)
                & Q(photos__trashed_at=None),
            )
        )

    def with_stats(self) -> "GalleryQuerySet":
        """Photo count, bytes and last activity, in the same query as the galleries."""
        alive = Q(photos__trashed_at=None)
        ready = Q(photos__status=Photo.Status.READY) & alive
        return self.annotate(
            photo_count=Count("photos", filter=ready),
            attention_count=Count(
                "photos",
                filter=Q(photos__status__in=Photo.NEEDS_ATTENTION) & alive,
            ),
            total_bytes=Coalesce(Sum("photos__size", filter=ready), 0),
            # Coalesce: SQLite's GREATEST is NULL as soon as one value is (a gallery
            # without photos); PostgreSQL's skips NULLs.
            last_activity=Greatest(
                "updated_at", Coalesce(Max("photos__uploaded_at"), "updated_at")
            ),
        )


class Gallery(models.Model):
    """One client's shoot: what a photographer shares."""

    # Its design on the client's pages (galleries/design.py).
    class CoverLayout(models.TextChoices):
        HERO = "hero", _("Full screen")
        SPLIT = "split", _("Split: the photo beside the title")
        NONE = "none", _("No cover")

    class GridStyle(models.TextChoices):
        JUSTIFIED = "justified", _("Justified rows")
        MASONRY = "masonry", _("Masonry columns")
        SQUARES = "squares", _("Uniform squares")

    class Spacing(models.TextChoices):
        TIGHT = "tight", _("Tight")
        REGULAR = "regular", _("Regular")
        AIRY = "airy", _("Airy")

    class Theme(models.TextChoices):
        SYSTEM = "system", _("The visitor's system setting")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="galleries"
    )
    title = models.CharField(max_length=200)
    event_date = models.DateField(null=True, blank=True)
    description = models.TextField(
        blank=True, help_text="Shown to your clients above the photos."
    )
    cover = models.ForeignKey(
        "Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Falls back to the first photo.",
    )
    cover_layout = models.CharField(
        max_length=10, choices=CoverLayout.choices, default=CoverLayout.HERO
    )
    # Where the faces are on the cover photo, from its left and top edges (0 to 1):
    # the crop keeps that point in view on any screen's shape.
    focal_x = models.FloatField(
        default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    focal_y = models.FloatField(
        default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    grid_style = models.CharField(
        max_length=10, choices=GridStyle.choices, default=GridStyle.JUSTIFIED
    )
    spacing = models.CharField(
        max_length=10, choices=Spacing.choices, default=Spacing.REGULAR
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    # The client's pages and emails of this gallery; "" for the studio's language.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # In the trash since (galleries/trash.py): hidden from everyone but the trash.
    trashed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = GalleryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "galleries"
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def display_cover(self) -> "Photo | None":
        """The chosen cover, else the first ready photo.

        Lists prefetch that first photo as `first_photos` to keep one query per page.
        """
        if self.cover_id and self.cover.is_ready and self.cover.trashed_at is None:
            return self.cover
        first = getattr(self, "first_photos", None)
        if first is None:
            first = list(self.photos.ready().alive().order_by("position")[:1])
        return first[0] if first else None


class GallerySet(models.Model):
    """An ordered section of a gallery, such as "Ceremony" or "Reception"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="sets")
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "set"

    def __str__(self) -> str:
        return self.name


class PhotoQuerySet(models.QuerySet):
    def ready(self) -> "PhotoQuerySet":
        return self.filter(status=Photo.Status.READY)

    def alive(self) -> "PhotoQuerySet":
        """Photos neither in the trash nor in a gallery that is."""
        return self.filter(trashed_at=None, gallery__trashed_at=None)

    def trashed(self) -> "PhotoQuerySet":
        """Photos in the trash, on their own or with their gallery."""
        return self.filter(~Q(trashed_at=None) | ~Q(gallery__trashed_at=None))

    def owned_by(self, user) -> "PhotoQuerySet":
        """The photographer's photos, out of the trash (see `in_trash_of`)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(gallery__owner=user).alive()

    def in_trash_of(self, user) -> "PhotoQuerySet":
        """Photos trashed one by one from galleries that are not in the trash
        themselves (a trashed gallery is restored or emptied whole)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(gallery__owner=user, gallery__trashed_at=None).exclude(
            trashed_at=None
        )

    def shown_in(self, gallery, sets=()) -> "PhotoQuerySet":
        """What a share link of `gallery` shows: ready photos out of the trash, of
        `sets` only when any are given (ids, or a query's parameters for them)."""
        photos = self.ready().alive().filter(gallery_id=gallery)
        if sets:
            photos = photos.filter(photo_set_id__in=sets)
        return photos

    def visible_to_owner(self) -> "PhotoQuerySet":
        """What the owner's grid shows: everything but rejected uploads and the
        trash."""
        return self.exclude(status=Photo.Status.REJECTED).filter(trashed_at=None)

    def in_gallery_order(self) -> "PhotoQuerySet":
        """Set by set as the sets are ordered, each set's photos in their order."""
        return self.order_by("photo_set__position", "position", "uploaded_at")

    def in_client_order(self, sort: str = "gallery") -> "PhotoQuerySet":
        """In the order a client chose: "taken" (the camera's clock as shot, photos
        without one last), "name" (the file's name, ignoring case), otherwise the
        photographer's (`in_gallery_order`). Ties fall back to the gallery's order."""
        in_gallery = ("photo_set__position", "position", "uploaded_at", "id")
        if sort == "taken":
            return self.order_by(F("taken_at").asc(nulls_last=True), *in_gallery)
        if sort == "name":
            return self.order_by(Lower("original_filename"), *in_gallery)
        return self.in_gallery_order()

    def in_owner_grid(self, photo_set: "GallerySet | None" = None) -> "PhotoQuerySet":
        """The owner's grid of a gallery, or of one set: what `visible_to_owner` shows,
        in gallery order, each photo with its set."""
        photos = self.visible_to_owner().in_gallery_order().select_related("photo_set")
        return photos if photo_set is None else photos.filter(photo_set=photo_set)

    def lacking_checksums(self) -> "PhotoQuerySet":
        """Ready photos whose original, or web-size rendition, has no CRC-32 counted
        yet (processed before the field was added): see `count_checksums`."""
        return self.ready().filter(
            Q(crc32=None, original__gt="")
            | Q(**{f"renditions__{Photo.WEB_RENDITION}__has_key": "name"})
            & ~Q(**{f"renditions__{Photo.WEB_RENDITION}__has_key": "crc32"})
        )

    def wanting_watermark(self) -> "PhotoQuerySet":
        """Ready photos, out of the trash, of a gallery that shows the studio watermark
        (`GalleryQuerySet.showing_watermark`): the only ones its renditions are made
        for (galleries/watermarks.py)."""
        return self.ready().alive().filter(watermark_demand.condition("gallery_id"))

    def watermark_progress(self, version: str) -> dict[str, int]:
        """How many ready photos there are, and how many have the watermark `version`
        made (galleries/watermarks.py), in one query."""
        return self.ready().aggregate(
            total=Count("pk"),
            made=Count(
                "pk", filter=Q(watermark_version=version) & ~Q(watermark_version="")
            ),
        )

    def needing_attention(self) -> "PhotoQuerySet":
        """Uploads that did not become photos: failed processing or refused files."""
        return self.filter(status__in=Photo.NEEDS_ATTENTION)

    def claimable(self, now: datetime.datetime) -> "PhotoQuerySet":
        """Photos no worker holds a live claim on (see `processing.photo_claim`)."""
        return self.filter(
            Q(claimed_by="") | Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )

    def stuck(self, now: datetime.datetime) -> "PhotoQuerySet":
        """Processing, but neither claimed by a live worker nor queued recently: the
        task was never queued, was lost, or its worker died."""
        return self.filter(status=Photo.Status.PROCESSING).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )

    def pipeline_counts(self, now: datetime.datetime) -> dict[str, int]:
        """How many photos are waiting to be processed (queued or being worked on),
        stranded (processing past their lease: see `stuck`) and failed, in one
        aggregate query on the (status, lease_until) index."""
        lapsed = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        processing = Q(status=Photo.Status.PROCESSING)
        return self.filter(
            status__in=[Photo.Status.PROCESSING, Photo.Status.FAILED]
        ).aggregate(
            waiting=Count("pk", filter=processing & ~lapsed),
            stranded=Count("pk", filter=processing & lapsed),
            failed=Count("pk", filter=Q(status=Photo.Status.FAILED)),
        )

    def abandoned_uploads(self, now: datetime.datetime) -> "PhotoQuerySet":
        """Uploads started longer ago than UPLOAD_ABANDONED_AFTER_SECONDS and never
        confirmed: the browser went away, or the storage failed under it."""
        since = now - datetime.timedelta(
            seconds=settings.UPLOAD_ABANDONED_AFTER_SECONDS
        )
        return self.filter(status=Photo.Status.UPLOADING, uploaded_at__lt=since)


class Photo(models.Model):
    class Status(models.TextChoices):
        UPLOADING = "uploading", "Uploading"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        # The file was not a photo we accept: its bytes are gone, the row stays a
        # while so the uploader can read why.
        REJECTED = "rejected", "Rejected"

    #: The rendition a web-size download serves: 2048 px JPEG, which every device opens.
    WEB_RENDITION = "preview.jpeg"

    # What the photographer is asked to look at (see galleries/attention.py).
    NEEDS_ATTENTION = (Status.FAILED, Status.REJECTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gallery = models.ForeignKey(
        Gallery, on_delete=models.CASCADE, related_name="photos"
    )
    photo_set = models.ForeignKey(
        GallerySet, on_delete=models.CASCADE, related_name="photos", verbose_name="set"
    )
    original = models.FileField(max_length=500, blank=True)
    original_filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text="Bytes of the original.")
    sha256 = models.CharField(max_length=64, blank=True)
    # A ZIP's headers carry each file's CRC-32 ahead of its bytes, so an archive can be
    # laid out, and any byte range of it sent, from the rows alone (sharing/zips.py).
    # The web-size rendition keeps its own under renditions[...]["crc32"].
    crc32 = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="CRC-32 of the original, once counted."
    )
    mime_type = models.CharField(max_length=50, blank=True)

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UPLOADING
    )
    error = models.CharField(max_length=500, blank=True)
    # Processing: how many times a worker claimed it since it was last queued by a
    # person (an upload or a retry), who claims it now, and until when. While the
    # photo is queued, `lease_until` is when a worker should have claimed it by.
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # When the photo was shot, as the camera's clock read: see `taken`.
    taken_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The camera's wall-clock time, stored as if it were UTC.",
    )
    taken_offset = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Minutes east of UTC the camera recorded, when it did.",
    )
    camera = models.CharField(max_length=100, blank=True)
    lens = models.CharField(max_length=100, blank=True)

    renditions = models.JSONField(default=dict, blank=True)
    # The studio watermark's renditions of this photo (galleries/watermarks.py), as
    # `renditions` holds them, and the watermark's version they were made with.
    watermarked = models.JSONField(default=dict, blank=True)
    watermark_version = models.CharField(max_length=32, blank=True)
    renditions_size = models.PositiveBigIntegerField(default=0)
    placeholder = models.TextField(blank=True, help_text="A tiny inline image.")
    color = models.CharField(max_length=7, blank=True)

    position = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Multipart uploads to S3 need the id S3 gave them until they complete.
    upload_id = models.CharField(max_length=200, blank=True)
    # In the trash since (galleries/trash.py), trashed on its own.
    trashed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "uploaded_at"]
        indexes = [
            models.Index(fields=["gallery", "status", "position"]),
            # How many photos each set of a gallery has ready (and not in the
            # trash), read from the index alone: every page of a share link's grid
            # counts them.
            models.Index(fields=["gallery", "status", "photo_set", "trashed_at"]),
            models.Index(fields=["photo_set", "position"]),
            models.Index(fields=["status", "lease_until"]),
        ]
        constraints = [
            # The same photo twice in one gallery is stored once.
            models.UniqueConstraint(
                fields=["gallery", "sha256"],
                condition=~Q(sha256="") & ~Q(status="rejected"),
                name="galleries_photo_unique_content_per_gallery",
            ),
        ]

    def __str__(self) -> str:
        return self.original_filename

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    # --- When it did not become a photo ----------------------------------------------

    FAILED_REASON = (
        "Something went wrong on our side while preparing this photo; the file "
        "itself may well be fine. Retry it."
    )

    @property
    def reason(self) -> str:
        """Why the upload needs attention, in words a photographer understands.

        A refused file's message already is (it says what is wrong with the file);
        a failed processing's is technical, so it gets a plain sentence instead.
        """
        if self.status == self.Status.FAILED:
            return self.FAILED_REASON
        if self.status == self.Status.REJECTED:
            return self.error or "This file is not a photo we can accept."
        return ""

    @property
    def can_retry(self) -> bool:
        """Processing again can help only a failed one: its original is still here.
        A refused file's bytes are gone, and the same file would be refused again."""
        return self.status == self.Status.FAILED and bool(self.original)

    # --- When it was shot --------------------------------------------------------------
    #
    # EXIF times are the camera's wall clock, most without a zone. They are stored as
    # that clock read (`taken_at` holds it as if it were UTC, a "floating" time) and
    # shown as shot: 14:03 on the camera is 14:03 whatever zone the server or the
    # viewer is in. Sorting by `taken_at` sorts by the clock as shot. `taken_offset`
    # keeps the zone when the camera recorded one; with it, the moment is exact.

    def set_taken(self, value: datetime.datetime | None) -> None:
        """Set the capture time from EXIF's: naive (a wall clock), or aware in the
        camera's own offset. Not saved: add "taken_at" and "taken_offset" to the
        fields saved."""
        if value is None:
            self.taken_at = self.taken_offset = None
            return
        offset = value.utcoffset()
        self.taken_at = value.replace(tzinfo=datetime.UTC)
        self.taken_offset = (
            None if offset is None else int(offset.total_seconds() // 60)
        )

    @property
    def taken(self) -> datetime.datetime | None:
        """The capture time as shot: aware in the camera's offset when it recorded
        one, else naive (a wall clock in an unknown zone). None when unknown."""
        if self.taken_at is None:
            return None
        wall_clock = self.taken_at.astimezone(datetime.UTC).replace(tzinfo=None)
        if self.taken_offset is None:
            return wall_clock
        zone = datetime.timezone(datetime.timedelta(minutes=self.taken_offset))
        return wall_clock.replace(tzinfo=zone)

    @property
    def taken_wall_clock(self) -> datetime.datetime | None:
        """What the camera's clock read, naive, so that templates show it as is."""
        taken = self.taken
        return None if taken is None else taken.replace(tzinfo=None)

    @property
    def taken_zone(self) -> str:
        """ "UTC+02:00" when the camera recorded its offset, else ""."""
        if self.taken_offset is None:
            return ""
        sign = "-" if self.taken_offset < 0 else "+"
        hours, minutes = divmod(abs(self.taken_offset), 60)
        return f"UTC{sign}{hours:02d}:{minutes:02d}"

    @property
    def aspect_ratio(self) -> float:
        if not self.width or not self.height:
            return 1.5
        return self.width / self.height


class Brand(models.Model):
    """A studio's look on every page and email a client sees (galleries/brand.py).

    Logos are stored renditions (never the upload itself), named by their content
    so that a new logo has a new address."""

    class Typeface(models.TextChoices):
        SYSTEM = "system", "System (the device's own fonts)"
        EDITORIAL = "editorial", "Editorial: Playfair Display and Source Sans 3"
        CLASSIC = "classic", "Classic: Cormorant Garamond and Work Sans"
        MODERN = "modern", "Modern: Montserrat and Inter"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand"
    )
    logo = models.CharField(max_length=255, blank=True)
    logo_width = models.PositiveIntegerField(default=0)
    logo_height = models.PositiveIntegerField(default=0)
    logo_dark = models.CharField(
        max_length=255, blank=True, help_text="A variant for dark backgrounds."
    )
    logo_dark_width = models.PositiveIntegerField(default=0)
    logo_dark_height = models.PositiveIntegerField(default=0)
    accent = models.CharField(
        max_length=7, blank=True, help_text="#rrggbb; empty for Proofsheet's own."
    )
    typeface = models.CharField(
        max_length=20, choices=Typeface.choices, default=Typeface.SYSTEM
    )
    website = models.URLField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    instagram = models.CharField(max_length=30, blank=True)
    credit_proofsheet = models.BooleanField(
        default=True, help_text="The client footer says “Shared with Proofsheet”."
    )
    # The language of the studio's galleries unless a gallery picks its own.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Brand of {self.owner_id}"


class Watermark(models.Model):
    """The studio's watermark: drawn on the previews of the links that ask for it
    (galleries/watermarks.py makes those renditions, in the background).

    `version` names what is drawn (the settings and the image's content): a photo's
    watermarked renditions are current when they were made for it."""

    class Kind(models.TextChoices):
        TEXT = "text", _("A line of text")
        IMAGE = "image", _("An image (PNG or WebP with transparency)")

    class Position(models.TextChoices):
        BOTTOM_RIGHT = "bottom-right", _("Bottom right")
        BOTTOM_LEFT = "bottom-left", _("Bottom left")
        TOP_RIGHT = "top-right", _("Top right")
        TOP_LEFT = "top-left", _("Top left")
        CENTRE = "centre", _("Centre")
        TILED = "tiled", _("Tiled across the photo")

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watermark"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    text = models.CharField(max_length=100, blank=True)
    image = models.CharField(max_length=255, blank=True)
    image_width = models.PositiveIntegerField(default=0)
    image_height = models.PositiveIntegerField(default=0)
    position = models.CharField(
        max_length=20, choices=Position.choices, default=Position.BOTTOM_RIGHT
    )
    size = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text=_("How wide the watermark is, in % of the photo's width."),
    )
    opacity = models.PositiveSmallIntegerField(
        default=50,
        validators=[MinValueValidator(5), MaxValueValidator(100)],
        help_text=_("In %: 100 is fully opaque."),
    )
    version = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Watermark of {self.owner_id}"

    @property
    def is_set(self) -> bool:
        """Something to draw: a text, or an image."""
        if self.kind == self.Kind.IMAGE:
            return bool(self.image)
        return bool(self.text.strip())
