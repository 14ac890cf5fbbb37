"""A share link's gallery as JSON, for visitors without an account: enough for an app
to show the gallery, unlock it, download from it and keep favourites, from the API alone.

Every endpoint goes through the pages' gate (`sharing.gate`): a missing or disabled
link is 404 (the same body for both), an expired one 410, and a password link answers
401 `password_required`, showing nothing of the gallery, until it is unlocked.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, generics, mixins, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from galleries.api.mixins import SignsPageURLsMixin
from galleries.models import Photo
from sharing import analytics, gate, language, photo_pages, recipients, services
from sharing.api.gate import (
    ShareAccessAuthentication,
    ShareRateThrottle,
    TooManyPasswords,
    visitor_link,
)
from sharing.api.serializers import visitor as s
from sharing.models import Favourite, FavouriteList, ShareLink

TOKEN = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The share link's token, as in its web address /s/<token>/.",
)
LIST_TOKEN = OpenApiParameter(
    "list_token",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The favourites list's private token, as returned when it was "
    "started (never its id).",
)
# What any endpoint behind the gate may answer besides its own responses.
GATE_ERRORS = {401: s.PasswordRequiredError, 410: s.LinkGoneError}
FAVOURITES_ERRORS = {**GATE_ERRORS, 403: s.FavouritesOffError}


class FavouritesDisabled(exceptions.PermissionDenied):
    default_code = "favourites_disabled"
    default_detail = _("Favourites are turned off for this gallery.")


class ListSubmitted(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "list_submitted"
    default_detail = _(
        "This list has been sent to the photographer, so it can no longer change."
    )


class VisitorPhotoPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class VisitorAPIView(generics.GenericAPIView):
    authentication_classes = [ShareAccessAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ShareRateThrottle]
    throttle_scope = "share"
    pagination_class = None
    # False where the answer shows nothing of the gallery itself (title, studio).
    link_with_gallery = True

    def dispatch(self, request, *args, **kwargs):
        # Answers (errors too) in the gallery's language once the link is known.
        with language.visit():
            return language.labelled(super().dispatch(request, *args, **kwargs))

    def get_link(self) -> ShareLink:
        if not hasattr(self, "_link"):
            self._link = visitor_link(
                self.request,
                self.kwargs["token"],
                with_gallery=self.link_with_gallery,
            )
        return self._link

    def get_serializer_context(self) -> dict:
        # Only once the gate has passed: the browsable API also builds (empty) forms
        # for answers that refused.
        return {
            **super().get_serializer_context(),
            "link": getattr(self, "_link", None),
        }


class VisitorGalleryView(VisitorAPIView):
    serializer_class = s.VisitorGallerySerializer

    @extend_schema(
        summary="The gallery behind a share link",
        description="Title, cover, sets and what the link allows. Counts a view.",
        parameters=[TOKEN],
        responses={200: s.VisitorGallerySerializer, **GATE_ERRORS},
    )
    def get(self, request: Request, token: str) -> Response:
        link = self.get_link()
        analytics.record_view(
            link,
            address=gate.client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            browser=gate.visitor_browser(request, link),
        )
        context = {
            **self.get_serializer_context(),
            "sets": photo_pages.counted_sets(link),
            "cover": photo_pages.cover(link, s.VisitorPhotoRow._fields),
        }
        return Response(s.VisitorGallerySerializer(link, context=context).data)


@extend_validation_errors(
    ["no_password", "wrong_password"], field_name="password", methods=["post"]
)
class UnlockView(VisitorAPIView):
    # Unlocking needs no credentials, so the schema lists none.
    authentication_classes: list = []
    serializer_class = s.UnlockSerializer

    @extend_schema(
        summary="Unlock a password-protected link",
        description="Answers an access token for the X-Share-Access header, and "
        "unlocks this browser session too. Wrong passwords are slowed down as on the "
        "gallery's password page: a client that keeps its session cookie may make 10 "
        "wrong tries in 15 minutes, then waits 15 minutes (429); once an address has "
        "made 30 wrong tries in a day, or the link 300, tries take turns, and one "
        "that comes early is answered 429 unchecked with Retry-After (seconds, at "
        "most 5 minutes). Other visitors at the same address are never locked out.",
        parameters=[TOKEN],
        request=s.UnlockSerializer,
        responses={200: s.UnlockResponseSerializer, 410: s.LinkGoneError},
    )
    def post(self, request: Request, token: str) -> Response:
        link = visitor_link(request, token, unlocked=False, registered=False)
        payload = s.UnlockSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if not link.has_password:
            raise exceptions.ValidationError(
                {"password": "This gallery has no password: the link alone opens it."},
                code="no_password",
            )
        try:
            right = gate.unlock(request, link, payload.validated_data["password"])
        except gate.TooManyAttempts as error:
            raise TooManyPasswords(error) from error
        if not right:
            raise exceptions.ValidationError(
                {"password": "That is not the password of this gallery."},
                code="wrong_password",
            )
        issued = gate.access_token(link)
        body = {
            "access_token": issued.token,
            "header": gate.ACCESS_HEADER,
            "expires_at": issued.expires_at,
        }
        return Response(s.UnlockResponseSerializer(body).data)


@extend_validation_errors(
    ["invalid", "revoked", "no_registration"], field_name="email", methods=["post"]
)
class RegisterView(VisitorAPIView):
    authentication_classes = [ShareAccessAuthentication]
    serializer_class = s.VisitorRegisterSerializer

    @extend_schema(
        summary="Give your email to a link that asks for it",
        description="A link may ask for the visitor's email before viewing or "
        "before downloading (403 `registration_required` until then). This answers "
        "a personal token of the same link: use it in place of the link's token. What "
        "you do through it is shown to the photographer under your address. Giving "
        "the same address again answers the same token. A password link must be "
        "unlocked first.",
        parameters=[TOKEN],
        request=s.VisitorRegisterSerializer,
        responses={200: s.VisitorRegisterResponseSerializer, **GATE_ERRORS},
    )
    def post(self, request: Request, token: str) -> Response:
        link = visitor_link(request, token, registered=False)
        payload = s.VisitorRegisterSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if link.registration == ShareLink.Registration.OFF:
            raise exceptions.ValidationError(
                {"email": "This gallery does not ask for an email address."},
                code="no_registration",
            )
        recipient = recipients.of(link)
        if recipient is None:
            try:
                recipient = recipients.register(
                    link=link, email=payload.validated_data["email"]
                )
            except DjangoValidationError as refused:
                raise exceptions.ValidationError(
                    {"email": refused.message_dict["email"]},
                    code=refused.error_dict["email"][0].code,
                ) from refused
        body = {
            "token": recipient.token,
            "url": request.build_absolute_uri(
                reverse("api:share", args=[recipient.token])
            ),
            "page_url": request.build_absolute_uri(
                reverse("sharing:gallery", args=[recipient.token])
            ),
        }
        return Response(s.VisitorRegisterResponseSerializer(body).data)


class VisitorPhotoListView(SignsPageURLsMixin, mixins.ListModelMixin, VisitorAPIView):
    serializer_class = s.VisitorPhotoSerializer
    pagination_class = VisitorPhotoPagination
    row = s.VisitorPhotoRow
    link_with_gallery = False

    def get_queryset(self):
        link = self.get_link()
        query = s.PhotoFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        sets = photo_pages.counted_sets(link)
        if set_id := query.validated_data.get("set"):
            sets = [photo_set for photo_set in sets if photo_set.pk == set_id]
            if not sets:
                raise exceptions.ValidationError(
                    {"set": "This gallery has no such set."}, code="not_found"
                )
        list_token = query.validated_data.get("favourites")
        sort = query.validated_data["sort"]
        if not list_token and sort == "gallery":
            # The common case, read set by set a page at a time (sharing/photo_pages.py).
            return photo_pages.InGalleryOrder(link, sets, self.row._fields)
        # Rows, not model instances: building 100 Photo objects was a third of the
        # answer. The serializer reads the same attributes from either.
        photos = link.visible_photos().values_list(*self.row._fields)
        if set_id:
            photos = photos.filter(photo_set_id=set_id)
        if list_token:
            favourite_list = FavouriteList.objects.kept_on(link, list_token)
            if favourite_list is None:
                raise exceptions.ValidationError(
                    {"favourites": "This link has no such list."}, code="not_found"
                )
            photos = photos.filter(pk__in=favourite_list.items.values("photo_id"))
        return photos.in_client_order(sort)

    @extend_schema(
        summary="The photos a share link shows, in order",
        description="Only ready photos of the sets the link shows.",
        parameters=[
            TOKEN,
            OpenApiParameter("set", OpenApiTypes.UUID, description="Only this set"),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=["gallery", "taken", "name"],
                description="gallery: the photographer's order (the default); "
                "taken: by the time the camera recorded, photos without one last; "
                "name: by file name.",
            ),
            OpenApiParameter(
                "favourites",
                OpenApiTypes.STR,
                description="A favourites list's private token: only its photos.",
            ),
        ],
        responses={
            200: s.VisitorPhotoSerializer(many=True),
            400: s.BadRequestError,
            **GATE_ERRORS,
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return self.list(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        return [
            s.VisitorPhotoRow._make(row) for row in super().paginate_queryset(queryset)
        ]


class VisitorPhotoView(VisitorAPIView):
    serializer_class = s.VisitorPhotoSerializer

    @extend_schema(
        summary="One photo of a share link",
        description="404 for a photo of another gallery, of a set the link hides, "
        "or not ready.",
        parameters=[TOKEN],
        responses={200: s.VisitorPhotoSerializer, **GATE_ERRORS},
    )
    def get(self, request: Request, token: str, photo) -> Response:
        found = gate.visible_photo(self.get_link(), photo)
        return Response(self.get_serializer(found).data)


# --- Favourites ---------------------------------------------------------------------


class FavouritesView(VisitorAPIView):
    serializer_class = s.VisitorFavouriteListSerializer

    def require_favourites(self) -> ShareLink:
        link = self.get_link()
        if not link.favourites_enabled:
            raise FavouritesDisabled()
        return link

    def get_list(self, *, with_items: bool = True) -> FavouriteList:
        link = self.get_link()
        lists = FavouriteList.objects.filter(link=link, token=self.kwargs["list_token"])
        if with_items:
            items = Favourite.objects.order_by("created_at")
            lists = lists.prefetch_related(Prefetch("items", queryset=items))
        favourite_list = lists.first()
        if favourite_list is None:
            raise Http404
        favourite_list.link = link
        return favourite_list


class ListStartView(FavouritesView):
    @extend_schema(
        summary="Start a favourites list",
        description="Answers the list with its private token: use it in the list's "
        "URLs. With an email, the visitor is also mailed a link to resume the list "
        "on another device.",
        parameters=[TOKEN],
        request=s.ListStartSerializer,
        responses={201: s.VisitorFavouriteListSerializer, **FAVOURITES_ERRORS},
    )
    def post(self, request: Request, token: str) -> Response:
        link = self.require_favourites()
        payload = s.ListStartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        favourite_list = services.list_start(link=link, **payload.validated_data)
        return Response(
            self.get_serializer(favourite_list).data, status=status.HTTP_201_CREATED
        )


class ListView(FavouritesView):
    @extend_schema(
        summary="A favourites list, with its hearted photos",
        parameters=[TOKEN, LIST_TOKEN],
        responses={200: s.VisitorFavouriteListSerializer, **GATE_ERRORS},
    )
    def get(self, request: Request, token: str, list_token: str) -> Response:
        return Response(self.get_serializer(self.get_list()).data)


class HeartView(FavouritesView):
    serializer_class = s.HeartSerializer

    def get_object(self) -> FavouriteList:
        # What PUT changes; OPTIONS asks for it to describe the form.
        return self.get_list(with_items=False)

    @extend_schema(
        summary="Heart a photo (or change its note)",
        description="Within the link's limit: one more than the limit is a 400.",
        parameters=[TOKEN, LIST_TOKEN],
        request=s.HeartSerializer,
        responses={
            200: s.HeartResponseSerializer,
            409: s.ListSubmittedError,
            **FAVOURITES_ERRORS,
        },
    )
    def put(self, request: Request, token: str, list_token: str, photo) -> Response:
        link = self.require_favourites()
        favourite_list = self.get_list(with_items=False)
        shown = gate.visible_photo(link, photo)
        payload = s.HeartSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        note = payload.validated_data.get("note")
        try:
            item = services.favourite_add(
                favourite_list=favourite_list, photo=shown, note=note or ""
            )
            if note is not None and item.note != note:
                services.favourite_note(
                    favourite_list=favourite_list, photo=shown, note=note
                )
                item.note = note
        except services.FavouritesClosed as closed:
            raise ListSubmitted(closed.message) from closed
        body = {
            **s.VisitorFavouriteSerializer(item).data,
            "count": favourite_list.items.count(),
        }
        return Response(body)

    @extend_schema(
        summary="Unheart a photo",
        parameters=[TOKEN, LIST_TOKEN],
        request=None,
        responses={204: None, 409: s.ListSubmittedError, **FAVOURITES_ERRORS},
    )
    def delete(self, request: Request, token: str, list_token: str, photo) -> Response:
        link = self.require_favourites()
        favourite_list = self.get_list(with_items=False)
        hearted = get_object_or_404(Photo, pk=photo, gallery_id=link.gallery_id)
        try:
            services.favourite_remove(favourite_list=favourite_list, photo=hearted)
        except services.FavouritesClosed as closed:
            raise ListSubmitted(closed.message) from closed
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListSubmitView(FavouritesView):
    @extend_schema(
        summary="Send a favourites list to the photographer",
        description="The photographer is notified by email; the list can no longer "
        "change unless they reopen it.",
        parameters=[TOKEN, LIST_TOKEN],
        request=None,
        responses={
            200: s.VisitorFavouriteListSerializer,
            400: s.BadRequestError,
            409: s.ListSubmittedError,
            **FAVOURITES_ERRORS,
        },
    )
    def post(self, request: Request, token: str, list_token: str) -> Response:
        self.require_favourites()
        favourite_list = self.get_list()
        try:
            services.list_submit(favourite_list=favourite_list)
        except services.FavouritesClosed as closed:
            raise ListSubmitted(closed.message) from closed
        return Response(self.get_serializer(favourite_list).data)
