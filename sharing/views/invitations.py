"""The photographer's invitations: invite by email (with a preview), the activity
table's actions (resend, revoke) and its CSV. Strangers get 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sharing import activity, invitations
from sharing.models import Recipient
from sharing.views.owner import _link_for


def _recipient_for(request: HttpRequest, pk) -> Recipient:
    return get_object_or_404(
        Recipient.objects.owned_by(request.user).select_related("link__gallery__owner"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    subject, message = invitations.prefilled(link)
    form = {
        "emails": request.POST.get("emails", ""),
        "subject": request.POST.get("subject", subject),
        "message": request.POST.get("message", message),
        "save_as_default": bool(request.POST.get("save_as_default")),
    }
    errors: dict = {}
    preview = None
    if request.method == "POST":
        try:
            emails = invitations.parse_addresses(form["emails"])
            if request.POST.get("action") == "send":
                sent = invitations.invite(
                    link=link,
                    emails=emails,
                    subject=form["subject"],
                    message=form["message"],
                    save_as_default=form["save_as_default"],
                )
                count = len(sent.invited)
                messages.success(
                    request,
                    ngettext(
                        "Invitation sent to %(n)d address.",
                        "Invitations sent to %(n)d addresses.",
                        count,
                    )
                    % {"n": count},
                )
                if sent.unsubscribed:
                    messages.warning(
                        request,
                        _("Not sent to %(list)s: they unsubscribed from your emails.")
                        % {"list": ", ".join(sent.unsubscribed)},
                    )
                return redirect("sharing:link_detail", pk=link.pk)
            preview = invitations.preview(
                link=link,
                subject=form["subject"],
                message=form["message"],
                email=emails[0],
            )
        except ValidationError as error:
            errors = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {"general": error.messages}
            )
    return render(
        request,
        "sharing/owner/invite.html",
        {
            "gallery": link.gallery,
            "link": link,
            "form": form,
            "errors": errors,
            "preview": preview,
            "max_per_send": invitations.MAX_PER_SEND,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def recipient_resend(request: HttpRequest, pk) -> HttpResponse:
    recipient = _recipient_for(request, pk)
    try:
        invitations.resend(recipient=recipient)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": recipient}
        )
    return redirect("sharing:link_detail", pk=recipient.link_id)


@login_required
@require_POST
def recipient_revoke(request: HttpRequest, pk) -> HttpResponse:
    recipient = _recipient_for(request, pk)
    invitations.revoke(recipient=recipient)
    messages.success(
        request,
        _("%(email)s's personal address no longer opens the gallery.")
        % {"email": recipient},
    )
    return redirect("sharing:link_detail", pk=recipient.link_id)


@login_required
@require_GET
def activity_csv(request: HttpRequest, pk) -> HttpResponse:
    link = _link_for(request, pk)
    response = HttpResponse(
        activity.csv_text(link), content_type="text/csv; charset=utf-8"
    )
    name = slugify(f"{link.gallery.title} {link.label}") or "link"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name}-activity.csv"
    )
    return response
