"""The emails about a favourites list: the visitor's link to resume it, and the
photographer's note that it was sent. Sent from sharing/tasks.py, in the background,
with retries; services queue them once the list's change has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from sharing.models import FavouriteList


def mail_resume_link(*, favourite_list: FavouriteList) -> None:
    """Mail the visitor the private link that resumes their list anywhere."""
    link = favourite_list.link
    context = {
        "list": favourite_list,
        "link": link,
        "gallery": link.gallery,
        "studio": link.gallery.owner.public_name,
        "site_url": settings.SITE_URL,
    }
    send_mail(
        subject=f"Your favourites in {link.gallery.title}",
        message=render_to_string("sharing/email/resume_list.txt", context),
        from_email=None,
        recipient_list=[favourite_list.email],
    )


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
