"""Share links, the visitors' favourites lists, and what each link was used for."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.prepared_queries import Param, PreparedQuery
from galleries.languages import language_expression
from galleries.models import Gallery, GallerySet, Photo


def new_link_token() -> str:
    # 24 random bytes: 192 bits, far beyond guessing; 32 URL-safe characters.
    return secrets.token_urlsafe(24)


def new_list_token() -> str:
    return secrets.token_urlsafe(24)


def new_salt() -> str:
    return secrets.token_hex(32)


# The earliest expiry reminder, in days before expiry.
MAX_REMINDER_DAYS = 60


def default_reminder_days() -> list[int]:
    # Expiry reminders (sharing/reminders.py): a week before, and the day before.
    return [7, 1]


class ShareLinkQuerySet(models.QuerySet):
    def alive(self) -> "ShareLinkQuerySet":
        """Links of galleries that are not in the trash (galleries/trash.py)."""
        return self.filter(gallery__trashed_at=None)

    def live(self) -> "ShareLinkQuerySet":
        """Links that open: active and not expired (the trash is the gallery's)."""
        return self.filter(is_active=True).filter(
            models.Q(expires_at=None) | models.Q(expires_at__gt=timezone.now())
        )

    def watermarked_galleries(self) -> "ShareLinkQuerySet":
        """The ids of the galleries a live link shows the studio watermark on: the
        only galleries its renditions are made for (galleries/watermark_demand.py)."""
        return self.live().filter(watermark=True).values("gallery_id")

    def owned_by(self, user) -> "ShareLinkQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(gallery__owner=user).alive()

    def reminders_due(self, now) -> "ShareLinkQuerySet":
        """Links that may have expiry reminders due at `now` (sharing/reminders.py):
        on, active, not expired, not in the trash, expiring within the longest mark,
        with their owner."""
        return (
            self.alive()
            .filter(
                expiry_reminders=True,
                is_active=True,
                expires_at__gt=now,
                expires_at__lte=now + timedelta(days=MAX_REMINDER_DAYS),
                gallery__owner__is_active=True,
            )
            .select_related("gallery__owner")
        )

    def active_by_token(
        self, token: str, *, with_gallery: bool = True
    ) -> "ShareLink | None":
        """The active link with this token, which every visitor's request asks for:
        with its gallery, studio and the studio's brand; or, `with_gallery=False`,
        with only its client language and when its gallery went to the trash
        (`client_language`, `gallery_trashed_at`). Its SQL is compiled once per
        process (config/prepared_queries.py)."""
        query = _LINK_WITH_GALLERY if with_gallery else _LINK_ALONE
        found = query.objects(token=token, using=self.db)
        return found[0] if found else None


def _active_link(token_param: Param) -> "ShareLinkQuerySet":
    # One token is one link: no order to sort by.
    return ShareLink.objects.filter(token=token_param, is_active=True).order_by()[:1]


_LINK_WITH_GALLERY = PreparedQuery(
    lambda: _active_link(Param("token")).select_related("gallery__owner__brand")
)
_LINK_ALONE = PreparedQuery(
    lambda: _active_link(Param("token")).annotate(
        client_language=language_expression("gallery"),
        gallery_trashed_at=models.F("gallery__trashed_at"),
    )
)


class Registration(models.TextChoices):
    OFF = "off", _("Off")
    VIEW = "view", _("Before viewing")
    DOWNLOAD = "download", _("Before downloading")


class ShareLink(models.Model):
    """One way into a gallery for people without an account: /s/<token>/."""

    Registration = Registration

    class Downloads(models.TextChoices):
        NONE = "none", "No downloads"
        WEB = "web", "Web size (2048 px)"
        ORIGINAL = "original", "Originals"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gallery = models.ForeignKey(
        Gallery, on_delete=models.CASCADE, related_name="share_links"
    )
    label = models.CharField(max_length=100, help_text='Who it is for, e.g. "Couple".')
    token = models.CharField(max_length=64, unique=True, default=new_link_token)
    # A Django password hash; empty means no password.
    password = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Empty means every set, including sets added later.
    sets = models.ManyToManyField(GallerySet, blank=True, related_name="share_links")
    downloads = models.CharField(
        max_length=10, choices=Downloads.choices, default=Downloads.WEB
    )
    favourites_enabled = models.BooleanField(default=True)
    favourites_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text='e.g. "choose up to 40"; empty for no limit.'
    )
    favourites_require_email = models.BooleanField(default=False)
    # Email registration (sharing/recipients.py): who gives an address, and when.
    registration = models.CharField(
        max_length=10, choices=Registration.choices, default=Registration.OFF
    )
    welcome_message = models.TextField(blank=True)
    # Expiry reminders (sharing/reminders.py): on or off, and how many days before.
    expiry_reminders = models.BooleanField(default=True)
    reminder_days = models.JSONField(default=default_reminder_days)
    # The studio watermark on the previews and web-size downloads (sharing/watermarked.py).
    watermark = models.BooleanField(
        default=False,
        help_text=_(
            "The studio watermark on the lightbox and web-size downloads; originals "
            "never carry it."
        ),
    )
    watermark_thumbnails = models.BooleanField(
        default=False, help_text=_("The grid's thumbnails carry the watermark too.")
    )
    last_visited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        # Opened through a personal address, `token` is the recipient's (see
        # sharing/recipients.py): such a copy is never written back.
        if getattr(self, "recipient", None) is not None:
            raise RuntimeError("A link opened through a personal address is read-only.")
        super().save(*args, **kwargs)

    @property
    def has_password(self) -> bool:
        return bool(self.password)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def status(self) -> str:
        """ "disabled", "expired" or "active", as the owner sees it at a glance."""
        if not self.is_active:
            return "disabled"
        if self.is_expired:
            return "expired"
        return "active"

    @property
    def allows_web_downloads(self) -> bool:
        return self.downloads in {self.Downloads.WEB, self.Downloads.ORIGINAL}

    @property
    def allows_original_downloads(self) -> bool:
        return self.downloads == self.Downloads.ORIGINAL

    def load_visible_set_ids(self) -> None:
        """Read the ids of the sets this link was given, once, for `visible_sets` and
        `visible_photos` (what a visitor's request asks both for): one query of ids."""
        self._loaded_set_ids = [
            set_id for (set_id,) in _SET_IDS.rows(link=self.pk, using=self._state.db)
        ]

    def chosen_set_ids(self) -> list:
        """The ids of the sets this link was given; none means every set. Read from
        what `load_visible_set_ids` or a prefetch of the sets loaded, if either did."""
        if hasattr(self, "_loaded_set_ids"):
            return self._loaded_set_ids
        return [photo_set.pk for photo_set in self.sets.all()]

    def visible_sets(self) -> models.QuerySet[GallerySet]:
        """The sets a visitor of this link sees, in the gallery's order."""
        sets = GallerySet.objects.filter(gallery_id=self.gallery_id)
        if chosen := self.chosen_set_ids():
            sets = sets.filter(id__in=chosen)
        return sets.order_by("position", "name")

    def visible_photos(self) -> models.QuerySet[Photo]:
        """Ready photos of the visible sets: never one processing, failed, or hidden."""
        return Photo.objects.shown_in(
            self.gallery_id, self.chosen_set_ids()
        ).in_gallery_order()


_SET_IDS = PreparedQuery(
    lambda: ShareLink.sets.through.objects.filter(
        sharelink_id=Param("link", ShareLink._meta.pk)
    ).values_list("galleryset_id")
)


class FavouriteListQuerySet(models.QuerySet):
    def owned_by(self, user) -> "FavouriteListQuerySet":
        """Lists on the photographer's links, none of a gallery in the trash."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(link__gallery__owner=user, link__gallery__trashed_at=None)

    def kept_on(self, link: ShareLink, token: str) -> "FavouriteList | None":
        """The list `token` opens on `link` (with that link, saving a query), or None:
        a token never opens a list of another link."""
        favourite_list = self.filter(link=link, token=token).first()
        if favourite_list is not None:
            favourite_list.link = link
        return favourite_list


class FavouriteList(models.Model):
    """One visitor's picks on one link; several people can keep their own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="favourite_lists"
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    # The invited or registered visitor who started it, if known.
    recipient = models.ForeignKey(
        "Recipient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="favourite_lists",
    )
    # The private key to the list: kept in the visitor's session, and mailed to them
    # so they can resume on another device.
    token = models.CharField(max_length=64, unique=True, default=new_list_token)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FavouriteListQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.link})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class FavouriteQuerySet(models.QuerySet):
    def shown_by(self, link: ShareLink) -> "FavouriteQuerySet":
        """Hearts on photos `link` still shows, with their photos, oldest first: a
        photo hidden since is left out (though it still counts against the limit)."""
        return (
            self.filter(photo__in=link.visible_photos().order_by().values("pk"))
            .select_related("photo")
            .order_by("created_at")
        )

    def in_gallery_order(self) -> "FavouriteQuerySet":
        """With their photos and sets, in the gallery's order (as the photographer
        browses it)."""
        return self.select_related("photo__photo_set").order_by(
            "photo__photo_set__position", "photo__position", "photo__uploaded_at"
        )


class Favourite(models.Model):
    favourite_list = models.ForeignKey(
        FavouriteList, on_delete=models.CASCADE, related_name="items"
    )
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FavouriteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["favourite_list", "photo"], name="sharing_one_heart_per_photo"
            )
        ]

    def __str__(self) -> str:
        return f"{self.favourite_list.name}: {self.photo_id}"


class LinkDay(models.Model):
    """What one link was used for on one day (UTC)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    zip_downloads = models.PositiveIntegerField(default=0)
    lists_started = models.PositiveIntegerField(default=0)
    lists_submitted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "day"], name="sharing_one_row_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.link} on {self.day}"


class Visitor(models.Model):
    """A visitor seen on a link on a day, known only by a hash with a daily salt.

    The salt is random and thrown away after its day, so yesterday's hashes cannot be
    matched to anyone, not even by us.
    """

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link", "day", "digest"], name="sharing_one_visitor_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.digest[:8]} on {self.day}"


class DailySalt(models.Model):
    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64, default=new_salt)

    def __str__(self) -> str:
        return str(self.day)


# --- Invitations, registrations and client email ----------------------------------------


class RecipientQuerySet(models.QuerySet):
    def owned_by(self, user) -> "RecipientQuerySet":
        if not user.is_authenticated:
            return self.none()
        return self.filter(link__gallery__owner=user, link__gallery__trashed_at=None)

    def opening(self, token: str) -> "Recipient | None":
        """The recipient whose personal address `token` is, with its link, gallery
        studio and brand, if not revoked and the link is active."""
        return (
            self.filter(token=token, revoked_at__isnull=True, link__is_active=True)
            .select_related("link__gallery__owner__brand")
            .first()
        )

    def to_remind(self, link, *, days: int, mark) -> "RecipientQuerySet":
        """`link`'s recipients due its reminder `days` before expiry: not revoked,
        nothing downloaded and no list sent, added before the mark (`mark`), not
        reminded for it yet, and not unsubscribed from the studio."""
        unsubscribed = Unsubscribe.objects.filter(owner_id=link.gallery.owner_id)
        return (
            self.filter(
                link=link,
                revoked_at__isnull=True,
                downloads=0,
                zip_downloads=0,
                lists_submitted=0,
                created_at__lte=mark,
            )
            .exclude(reminders__days=days)
            .exclude(email__in=unsubscribed.values("email"))
        )

    def with_reminders(self) -> "RecipientQuerySet":
        """Each with `sent_reminders`: the expiry reminders that left, oldest first."""
        return self.prefetch_related(
            models.Prefetch(
                "reminders",
                queryset=ReminderSent.objects.filter(sent_at__isnull=False).order_by(
                    "sent_at"
                ),
                to_attr="sent_reminders",
            )
        )


class Recipient(models.Model):
    """One email address on one link: invited by the photographer, or registered by
    the visitor. Each has a personal address of the link (/s/<token>/) through which
    what they do is counted here, tied to the address they gave."""

    class Source(models.TextChoices):
        INVITED = "invited", _("Invited")
        REGISTERED = "registered", _("Registered")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link = models.ForeignKey(
        ShareLink, on_delete=models.CASCADE, related_name="recipients"
    )
    email = models.EmailField()  # stored lower-cased
    source = models.CharField(max_length=12, choices=Source.choices)
    token = models.CharField(max_length=64, unique=True, default=new_link_token)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Sending: the first and the last invitation that left, and how many did.
    invited_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sends = models.PositiveIntegerField(default=0)
    registered_at = models.DateTimeField(null=True, blank=True)
    # What they did through their personal address.
    first_visit_at = models.DateTimeField(null=True, blank=True)
    last_visit_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    photos_viewed = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    zip_downloads = models.PositiveIntegerField(default=0)
    lists_started = models.PositiveIntegerField(default=0)
    lists_submitted = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "email"], name="sharing_one_recipient_an_address"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def opened(self) -> bool:
        return self.first_visit_at is not None


class RecipientPhoto(models.Model):
    """A photo a recipient opened, once, so "photos viewed" counts each photo once."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "photo"], name="sharing_photo_seen_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.photo_id}"


class Unsubscribe(models.Model):
    """An address that asked one photographer's studio for no more email."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()  # stored lower-cased
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "email"], name="sharing_one_unsubscribe_an_address"
            )
        ]

    def __str__(self) -> str:
        return self.email


class InvitationTemplate(models.Model):
    """A photographer's own default subject and message for invitations."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    message = models.TextField(max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.subject


class DigestSent(models.Model):
    """The day (UTC) a photographer's activity digest was sent for: never twice."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "day"], name="sharing_one_digest_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} on {self.day}"


class ReminderSent(models.Model):
    """An expiry reminder to one recipient for one of its link's reminder days: the
    row is claimed before the email is queued, so it is never sent twice."""

    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="reminders"
    )
    days = models.PositiveSmallIntegerField()
    claimed_at = models.DateTimeField(default=timezone.now)
    # When the email left (None while queued, or when it was no longer due).
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "days"], name="sharing_one_reminder_a_day_mark"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.days} days"
