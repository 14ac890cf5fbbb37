"""The photographer's invitations and a link's activity, as JSON: the same services
as the pages (sharing/invitations.py, sharing/activity.py). Strangers get 404."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing import activity, invitations, reminders
from sharing.models import Recipient, ShareLink


class ReminderSentSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text="The mark: days before expiry.")
    sent_at = serializers.DateTimeField()


class RecipientSerializer(serializers.ModelSerializer):
    reminders = serializers.SerializerMethodField(
        help_text="The expiry reminders that left, oldest first."
    )
    status = serializers.SerializerMethodField(
        help_text='"revoked", "opened", "sent", "registered" or "queued".'
    )

    class Meta:
        model = Recipient
        fields = [
            "id",
            "email",
            "source",
            "status",
            "invited_at",
            "last_sent_at",
            "sends",
            "registered_at",
            "first_visit_at",
            "last_visit_at",
            "views",
            "photos_viewed",
            "downloads",
            "zip_downloads",
            "lists_started",
            "lists_submitted",
            "revoked_at",
            "reminders",
        ]
        read_only_fields = fields

    @extend_schema_field(ReminderSentSerializer(many=True))
    def get_reminders(self, recipient: Recipient) -> list[dict]:
        sent = getattr(recipient, "sent_reminders", None)
        if sent is None:
            sent = recipient.reminders.filter(sent_at__isnull=False).order_by("sent_at")
        return ReminderSentSerializer(sent, many=True).data

    def get_status(self, recipient: Recipient) -> str:
        return activity.status(recipient)


class InviteSerializer(serializers.Serializer):
    emails = serializers.CharField(
        help_text="One or more addresses, separated by commas, spaces or lines."
    )
    subject = serializers.CharField(max_length=invitations.SUBJECT_MAX)
    message = serializers.CharField(max_length=invitations.MESSAGE_MAX)
    save_as_default = serializers.BooleanField(default=False)


class InviteResultSerializer(serializers.Serializer):
    invited = RecipientSerializer(many=True)
    unsubscribed = serializers.ListField(child=serializers.EmailField())


class InvitationTemplateSerializer(serializers.Serializer):
    subject = serializers.CharField(
        max_length=invitations.SUBJECT_MAX,
        help_text="May use {gallery}, {studio} and {expires}, filled in per link.",
    )
    message = serializers.CharField(
        max_length=invitations.MESSAGE_MAX,
        help_text="May use {gallery}, {studio} and {expires}, filled in per link.",
    )


class InvitationTemplateView(APIView):
    """Your default subject and message for invitations (ours until you save one)."""

    @extend_schema(
        summary="Your invitation template",
        responses={200: InvitationTemplateSerializer},
    )
    def get(self, request: Request) -> Response:
        subject, message = invitations.template_for(request.user)
        return Response({"subject": subject, "message": message})

    @extend_schema(
        summary="Change your invitation template",
        request=InvitationTemplateSerializer,
        responses={200: InvitationTemplateSerializer},
    )
    def put(self, request: Request) -> Response:
        payload = InvitationTemplateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        saved = invitations.template_save(owner=request.user, **payload.validated_data)
        return Response({"subject": saved.subject, "message": saved.message})


def _link(request: Request, pk) -> ShareLink:
    return get_object_or_404(
        ShareLink.objects.owned_by(request.user).select_related("gallery__owner"),
        pk=pk,
    )


def _recipient(request: Request, pk) -> Recipient:
    return get_object_or_404(
        Recipient.objects.owned_by(request.user).select_related("link__gallery__owner"),
        pk=pk,
    )


class LinkRecipientsView(APIView):
    @extend_schema(
        summary="A link's recipients and what each did",
        responses={200: RecipientSerializer(many=True)},
    )
    def get(self, request: Request, pk) -> Response:
        link = _link(request, pk)
        return Response(RecipientSerializer(activity.rows(link), many=True).data)

    @extend_schema(
        summary="Invite addresses to a link by email",
        request=InviteSerializer,
        responses={201: InviteResultSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        link = _link(request, pk)
        payload = InviteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        emails = invitations.parse_addresses(data["emails"])
        sent = invitations.invite(
            link=link,
            emails=emails,
            subject=data["subject"],
            message=data["message"],
            save_as_default=data["save_as_default"],
        )
        body = {"invited": sent.invited, "unsubscribed": sent.unsubscribed}
        return Response(
            InviteResultSerializer(body).data, status=status.HTTP_201_CREATED
        )


class LinkActivityCSVView(APIView):
    @extend_schema(
        summary="A link's activity as CSV",
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, pk) -> HttpResponse:
        link = _link(request, pk)
        response = HttpResponse(
            activity.csv_text(link), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="activity.csv"'
        return response


class RecipientResendView(APIView):
    @extend_schema(
        summary="Send one recipient the invitation again",
        request=None,
        responses={202: RecipientSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        recipient = _recipient(request, pk)
        invitations.resend(recipient=recipient)
        return Response(
            RecipientSerializer(recipient).data, status=status.HTTP_202_ACCEPTED
        )


class RecipientRevokeView(APIView):
    @extend_schema(
        summary="End one recipient's personal address",
        request=None,
        responses={200: RecipientSerializer},
    )
    def post(self, request: Request, pk) -> Response:
        recipient = invitations.revoke(recipient=_recipient(request, pk))
        return Response(RecipientSerializer(recipient).data)


class MailPreviewSerializer(serializers.Serializer):
    subject = serializers.CharField()
    from_email = serializers.CharField()
    reply_to = serializers.CharField()
    to = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()


# A link without expiry has no reminder: a 400 naming its expiry.
@extend_validation_errors(["invalid"], field_name="expires_at", methods=["get"])
class LinkReminderPreviewView(APIView):
    serializer_class = MailPreviewSerializer  # for the schema of its errors

    @extend_schema(
        summary="The link's expiry reminder email, as its recipients would get it",
        responses={200: MailPreviewSerializer},
    )
    def get(self, request: Request, pk) -> Response:
        preview = reminders.preview(link=_link(request, pk))
        return Response(MailPreviewSerializer(preview).data)
