"""The emails about a favourites list: to the visitor, the link to resume it and a copy
of what they sent (client emails, through sharing/client_mail.py); to the photographer,
the note that a list was sent. Sent from sharing/tasks.py, in the background, with
retries; services queue them once the list's change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_noop

from sharing import client_mail
from sharing.models import Favourite, FavouriteList

RESUME_LINK = "list_resume"
LIST_COPY = "list_copy"


def _list(list_id: str) -> FavouriteList | None:
    return (
        FavouriteList.objects.select_related("link__gallery__owner")
        .filter(pk=list_id)
        .first()
    )


def _resume_url(favourite_list: FavouriteList) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "sharing:list_resume", args=[favourite_list.link.token, favourite_list.token]
    )


@client_mail.kind(RESUME_LINK)
def resume_link_message(*, list_id: str) -> client_mail.ClientMessage | None:
    """The private link that resumes the visitor's list anywhere."""
    if (favourite_list := _list(list_id)) is None or not favourite_list.email:
        return None  # deleted meanwhile: nobody to tell
    gallery = favourite_list.link.gallery
    return client_mail.ClientMessage(
        owner=gallery.owner,
        to=favourite_list.email,
        subject=client_mail.translated(
            gallery, gettext_noop("Your favourites in %(title)s"), title=gallery.title
        ),
        template="sharing/email/resume_list",
        context={
            "list": favourite_list,
            "gallery": gallery,
            "resume_url": _resume_url(favourite_list),
        },
    )


@client_mail.kind(LIST_COPY)
def list_copy_message(*, list_id: str) -> client_mail.ClientMessage | None:
    """The visitor's own copy of the list they sent."""
    if (favourite_list := _list(list_id)) is None or not favourite_list.email:
        return None
    gallery = favourite_list.link.gallery
    photos = (
        Favourite.objects.filter(favourite_list=favourite_list)
        .select_related("photo")
        .order_by("created_at")
    )
    return client_mail.ClientMessage(
        owner=gallery.owner,
        to=favourite_list.email,
        subject=client_mail.translated(
            gallery, gettext_noop("Your choice in %(title)s"), title=gallery.title
        ),
        template="sharing/email/list_copy",
        context={
            "list": favourite_list,
            "gallery": gallery,
            "photos": list(photos),
            "resume_url": _resume_url(favourite_list),
        },
    )


def mail_resume_link(*, favourite_list: FavouriteList) -> None:
    client_mail.send_now(RESUME_LINK, list_id=str(favourite_list.pk))


def mail_owner(*, favourite_list: FavouriteList) -> None:
    """Tell the photographer a list was sent: who, how many, where to see it."""
    link = favourite_list.link
    gallery = link.gallery
    count = favourite_list.items.count()
    context = {
        "list": favourite_list,
        "count": count,
        "link": link,
        "gallery": gallery,
        "site_url": settings.SITE_URL,
    }
    photos = "photo" if count == 1 else "photos"
    send_mail(
        subject=f"{favourite_list.name} chose {count} {photos} in {gallery.title}",
        message=render_to_string("sharing/email/list_submitted.txt", context),
        from_email=None,
        recipient_list=[gallery.owner.email],
    )
