"""Writes to share links and favourites lists. Pages, API and admin all come here."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from galleries import watermarks
from galleries.models import Gallery, GallerySet, Photo
from sharing import analytics, client_mail, list_emails, recipients, reminders, tasks
from sharing.models import Favourite, FavouriteList, ShareLink

LINK_FIELDS = {
    "label",
    "expires_at",
    "is_active",
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
}

# --- Share links ------------------------------------------------------------------------


def _check_sets(gallery: Gallery, sets: Iterable[GallerySet]) -> list[GallerySet]:
    sets = list(sets)
    if any(s.gallery_id != gallery.id for s in sets):
        raise ValidationError({"sets": "Choose sets of this gallery."})
    return sets


def link_create(
    *,
    gallery: Gallery,
    label: str,
    password: str = "",
    sets: Iterable[GallerySet] = (),
    **fields,
) -> ShareLink:
    sets = _check_sets(gallery, sets)
    link = ShareLink(gallery=gallery, label=label)
    for name, value in fields.items():
        if name not in LINK_FIELDS:
            raise TypeError(f"unknown share link field {name!r}")
        setattr(link, name, value)
    if password:
        link.password = make_password(password)
    reminders.settle(link, fields, had_expiry=False)
    with transaction.atomic():
        link.full_clean()
        link.save()
        link.sets.set(sets)
        _watermark_photos(link)
    return link


def link_update(
    *,
    link: ShareLink,
    password: str | None = None,
    sets: Iterable[GallerySet] | None = None,
    **fields,
) -> ShareLink:
    """Change a link. `password`: None keeps it, "" removes it, text replaces it.

    A new or removed password locks out everyone who unlocked with the old one: their
    sessions hold a key derived from the old hash.
    """
    had_expiry = link.expires_at is not None
    for name, value in fields.items():
        if name not in LINK_FIELDS:
            raise TypeError(f"unknown share link field {name!r}")
        setattr(link, name, value)
    reminders.settle(link, fields, had_expiry=had_expiry)
    if password is not None:
        link.password = make_password(password) if password else ""
    with transaction.atomic():
        link.full_clean()
        link.save()
        if sets is not None:
            link.sets.set(_check_sets(link.gallery, sets))
        _watermark_photos(link)
    return link


def _watermark_photos(link: ShareLink) -> None:
    """A live link with the watermark on: queue its gallery's photos that lack the
    current watermarked copy (the watermark just turned on, the link enabled again
    or its expiry extended; else nothing or what the queue lost). Watermarked
    copies are made only for such galleries (galleries/watermarks.py)."""
    if link.watermark and link.status == "active":
        owner_id, gallery_id = link.gallery.owner_id, link.gallery_id
        transaction.on_commit(
            lambda: watermarks.watermark_later(owner_id=owner_id, gallery_id=gallery_id)
        )


def link_delete(*, link: ShareLink) -> None:
    link.delete()


# --- Favourites -------------------------------------------------------------------------


class FavouritesClosed(ValidationError):
    pass


def _check_open(favourite_list: FavouriteList) -> None:
    if not favourite_list.link.favourites_enabled:
        raise FavouritesClosed(_("Favourites are turned off for this gallery."))
    if favourite_list.is_submitted:
        raise FavouritesClosed(
            _(
                "This list has been sent to the photographer, so it can no longer change."
            )
        )


def list_start(*, link: ShareLink, name: str, email: str = "") -> FavouriteList:
    if not link.favourites_enabled:
        raise FavouritesClosed(_("Favourites are turned off for this gallery."))
    name = name.strip()
    email = email.strip()
    errors = {}
    if not name:
        errors["name"] = _("Tell the photographer who you are.")
    if link.favourites_require_email and not email:
        errors["email"] = _("The photographer asks for your email address.")
    if errors:
        raise ValidationError(errors)
    favourite_list = FavouriteList(
        link=link, name=name, email=email, recipient=recipients.of(link)
    )
    favourite_list.full_clean()
    favourite_list.save()
    analytics.count(link, "lists_started")
    if email:
        list_id = str(favourite_list.pk)
        # Robust: a broker that is down loses a mail, never the visitor's list.
        transaction.on_commit(
            lambda: tasks.mail_resume_link.delay(list_id), robust=True
        )
    return favourite_list


HEART_AFTER_START_REFUSED = gettext_lazy(
    "That photo could not be added. Try its heart again."
)


def list_start_from_heart(
    *, link: ShareLink, name: str, email: str = "", photo_id: str = ""
) -> tuple[FavouriteList, str]:
    """Start a list, and heart the photo (if any) whose heart led to starting it.

    A photo that can no longer be hearted (hidden since, or past the limit) does not
    stop the list: the second value says so, and is "" when all went well."""
    favourite_list = list_start(link=link, name=name, email=email)
    if not photo_id:
        return favourite_list, ""
    try:
        photo = link.visible_photos().filter(pk=photo_id).first()
        if photo is None:
            return favourite_list, HEART_AFTER_START_REFUSED
        favourite_add(favourite_list=favourite_list, photo=photo)
    except ValidationError:
        return favourite_list, HEART_AFTER_START_REFUSED
    return favourite_list, ""


def favourite_add(
    *, favourite_list: FavouriteList, photo: Photo, note: str = ""
) -> Favourite:
    """Heart a photo the list's link shows; within the link's limit."""
    link = favourite_list.link
    with transaction.atomic():
        # Lock the list so two tabs hearting at once can't pass the limit together.
        locked = FavouriteList.objects.select_for_update().get(pk=favourite_list.pk)
        locked.link = link
        _check_open(locked)
        if not link.visible_photos().filter(pk=photo.pk).exists():
            raise ValidationError("This photo is not in this gallery.")
        existing = locked.items.filter(photo=photo).first()
        if existing:
            if note and note != existing.note:
                existing.note = note
                existing.save(update_fields=["note"])
            return existing
        limit = link.favourites_limit
        if limit is not None and locked.items.count() >= limit:
            raise ValidationError(
                f"You can choose up to {limit} photos. Remove one to choose this one."
            )
        try:
            with transaction.atomic():
                item = Favourite.objects.create(
                    favourite_list=locked, photo=photo, note=note
                )
        except IntegrityError:
            item = locked.items.get(photo=photo)
        FavouriteList.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return item


def favourite_remove(*, favourite_list: FavouriteList, photo: Photo) -> None:
    _check_open(favourite_list)
    favourite_list.items.filter(photo=photo).delete()
    FavouriteList.objects.filter(pk=favourite_list.pk).update(updated_at=timezone.now())


def favourite_toggle(
    *, favourite_list: FavouriteList, photo: Photo, hearted: bool | None = None
) -> tuple[bool, str]:
    """Heart (`hearted=True`) or un-heart (False) a photo, or flip its heart (None),
    so a form submitted twice can't undo itself. Answers whether the photo is hearted
    now and, when the change was refused, why (the heart then stays as it was)."""
    was_hearted = favourite_list.items.filter(photo=photo).exists()
    heart = not was_hearted if hearted is None else hearted
    try:
        if heart:
            favourite_add(favourite_list=favourite_list, photo=photo)
        else:
            favourite_remove(favourite_list=favourite_list, photo=photo)
    except ValidationError as refused:
        return was_hearted, " ".join(refused.messages)
    return heart, ""


def favourite_note(*, favourite_list: FavouriteList, photo: Photo, note: str) -> None:
    _check_open(favourite_list)
    updated = favourite_list.items.filter(photo=photo).update(note=note.strip()[:500])
    if not updated:
        raise ValidationError("Heart this photo before adding a note.")


def list_submit(*, favourite_list: FavouriteList) -> FavouriteList:
    _check_open(favourite_list)
    if not favourite_list.items.exists():
        raise ValidationError("Choose at least one photo before sending your list.")
    favourite_list.submitted_at = timezone.now()
    favourite_list.save(update_fields=["submitted_at", "updated_at"])
    analytics.count(favourite_list.link, "lists_submitted")
    recipients.list_submitted(favourite_list)
    list_id = str(favourite_list.pk)
    transaction.on_commit(lambda: tasks.mail_list_submitted.delay(list_id), robust=True)
    if favourite_list.email:
        client_mail.send_later(list_emails.LIST_COPY, list_id=list_id)
    return favourite_list


def list_reopen(*, favourite_list: FavouriteList) -> FavouriteList:
    """The photographer lets the visitor change a submitted list again."""
    favourite_list.submitted_at = None
    favourite_list.save(update_fields=["submitted_at", "updated_at"])
    return favourite_list


def list_delete(*, favourite_list: FavouriteList) -> None:
    favourite_list.delete()


def lightroom_filter(filenames: Iterable[str]) -> str:
    """Filenames as Lightroom's text filter takes them: "IMG_1.jpg, IMG_7.jpg"."""
    return ", ".join(filenames)


def expiry_from_date(day: datetime.date | None) -> datetime.datetime | None:
    """A link that expires "on" a day works until the end of that day."""
    if day is None:
        return None
    end = datetime.datetime.combine(day, datetime.time.max)
    return timezone.make_aware(end)
