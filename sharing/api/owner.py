"""The photographer's side of sharing, as JSON: links, their analytics, and the
favourites lists visitors keep. Strangers get 404, as for a link that does not exist."""

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api_errors import extend_query_errors
from galleries.models import Gallery
from galleries.ownership import owned_gallery
from sharing import analytics, services, xmp
from sharing.api.serializers import owner as s
from sharing.models import Favourite, FavouriteList, ShareLink


@extend_schema_view(
    list=extend_schema(summary="A gallery's share links, oldest first"),
    create=extend_schema(summary="Make a share link for a gallery"),
)
# A set id that is no UUID (the id field's own check, which the schema's error codes
# for related fields leave out), or a set of another gallery.
@extend_validation_errors(["invalid"], field_name="sets", actions=["create"])
class GalleryLinkViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ShareLinkSerializer

    def get_gallery(self) -> Gallery:
        if not hasattr(self, "_gallery"):
            self._gallery = owned_gallery(self.request, self.kwargs["gallery_pk"])
        return self._gallery

    def get_queryset(self):
        return (
            ShareLink.objects.owned_by(self.request.user)
            .filter(gallery=self.kwargs["gallery_pk"])
            .prefetch_related("sets")
            .order_by("created_at")
        )

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if "gallery_pk" in self.kwargs and self.request.method == "POST":
            context["gallery"] = self.get_gallery()
        return context

    def list(self, request: Request, *args, **kwargs) -> Response:
        self.get_gallery()
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer: s.ShareLinkSerializer) -> None:
        serializer.instance = services.link_create(
            gallery=self.get_gallery(), **serializer.validated_data
        )


@extend_schema_view(
    retrieve=extend_schema(summary="One share link"),
    update=extend_schema(summary="Change a share link"),
    partial_update=extend_schema(summary="Change some of a share link"),
    destroy=extend_schema(summary="Delete a share link, its lists and its counts"),
)
@extend_validation_errors(
    ["invalid"], field_name="sets", actions=["update", "partial_update"]
)
@extend_query_errors(s.AnalyticsQuerySerializer, actions=["analytics"])
class LinkViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ShareLinkSerializer

    def get_queryset(self):
        return (
            ShareLink.objects.owned_by(self.request.user)
            .select_related("gallery")
            .prefetch_related("sets")
        )

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if self.request.method in {"PUT", "PATCH"}:
            context["gallery"] = self.get_object().gallery
        return context

    def perform_update(self, serializer: s.ShareLinkSerializer) -> None:
        services.link_update(link=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, link: ShareLink) -> None:
        services.link_delete(link=link)

    @extend_schema(
        summary="A link's visits, downloads and lists, day by day",
        parameters=[s.AnalyticsQuerySerializer],
        responses=s.LinkAnalyticsSerializer,
    )
    @action(detail=True, methods=["get"])
    def analytics(self, request: Request, pk=None) -> Response:
        link = self.get_object()
        query = s.AnalyticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        body = {
            "days": analytics.daily(link, days=query.validated_data["days"]),
            "totals": analytics.totals([link]),
        }
        return Response(s.LinkAnalyticsSerializer(body).data)


def _lists_of(user):
    return (
        FavouriteList.objects.owned_by(user)
        .select_related("link")
        .annotate(count=Count("items"))
        .order_by("-created_at")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Every favourites list on a gallery's links, newest first"
    )
)
class GalleryFavouriteListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.FavouriteListSerializer

    def get_queryset(self):
        return _lists_of(self.request.user).filter(
            link__gallery=self.kwargs["gallery_pk"]
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        owned_gallery(request, kwargs["gallery_pk"])
        return super().list(request, *args, **kwargs)


@extend_query_errors(s.XmpQuerySerializer, actions=["xmp"])
@extend_schema_view(
    retrieve=extend_schema(summary="One favourites list, with its photos and notes"),
    destroy=extend_schema(summary="Delete a favourites list"),
)
class FavouriteListViewSet(
    mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.FavouriteListDetailSerializer

    def get_queryset(self):
        items = (
            Favourite.objects.filter(photo__trashed_at=None)
            .select_related("photo")
            .order_by("created_at")
        )
        return _lists_of(self.request.user).prefetch_related(
            Prefetch("items", queryset=items)
        )

    def perform_destroy(self, favourite_list: FavouriteList) -> None:
        services.list_delete(favourite_list=favourite_list)

    @extend_schema(
        summary="Let the visitor change a submitted list again",
        request=None,
        responses=s.FavouriteListDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk=None) -> Response:
        services.list_reopen(favourite_list=self.get_object())
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="The list's filenames as a Lightroom text filter",
        responses=s.LightroomFilterSerializer,
    )
    @action(detail=True, methods=["get"])
    def lightroom(self, request: Request, pk=None) -> Response:
        favourite_list = get_object_or_404(
            FavouriteList.objects.owned_by(request.user), pk=pk
        )
        filenames = favourite_list.items.order_by("created_at").values_list(
            "photo__original_filename", flat=True
        )
        return Response({"filter": services.lightroom_filter(filenames)})

    @extend_schema(
        summary="The list as XMP sidecars (a ZIP of one .xmp per pick)",
        description="Named after each original's file name without its extension "
        '(two picks with one stem: "IMG_0001 (2).xmp"), with the pick as `mapping` '
        "and the client's note as dc:description. Lightroom Classic reads them with "
        "Metadata > Read Metadata from Files.",
        parameters=[s.XmpQuerySerializer],
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def xmp(self, request: Request, pk=None) -> HttpResponse:
        favourite_list = get_object_or_404(
            FavouriteList.objects.owned_by(request.user), pk=pk
        )
        query = s.XmpQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        picks = [
            xmp.Pick(item.photo.original_filename, item.note)
            for item in favourite_list.items.in_gallery_order()
        ]
        response = HttpResponse(
            xmp.sidecars_zip(picks, query.validated_data["mapping"]),
            content_type="application/zip",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"favourites-{favourite_list.pk}-xmp.zip"
        )
        return response
