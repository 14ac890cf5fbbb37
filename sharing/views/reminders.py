"""The photographer's preview of a link's expiry reminder (sharing/reminders.py), as
its recipients would get it. Strangers get 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sharing import reminders
from sharing.views.owner import _link_for


@login_required
@require_GET
def reminder_preview(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    preview, errors = None, []
    try:
        preview = reminders.preview(link=link)
    except ValidationError as error:
        errors = error.messages
    return render(
        request,
        "sharing/owner/reminder_preview.html",
        {"gallery": link.gallery, "link": link, "preview": preview, "errors": errors},
        status=400 if errors else 200,
    )
