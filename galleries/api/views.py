from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.api_errors import extend_query_errors
from galleries import attention, services, trash, uploads
from galleries.api import serializers as s
from galleries.api.mixins import SignsPageURLsMixin
from galleries.filenames import download_name
from galleries.models import Gallery, GallerySet, Photo
from galleries.ownership import owned_gallery
from galleries.signed_urls import file_url

# A service's refusal that concerns no one field answers `"attr": null`.
NOT_FIELD = None


class SearchFilter(filters.SearchFilter):
    """DRF's, except that a search it refuses (one with a NUL character) is an error
    of the search parameter, not of nothing in particular."""

    def get_search_terms(self, request: Request) -> list:
        try:
            return super().get_search_terms(request)
        except ValidationError as error:
            raise ValidationError({self.search_param: error.detail}) from error


@extend_schema_view(
    list=extend_schema(summary="Your galleries, newest first"),
    create=extend_schema(summary="Create a gallery (with one set, Highlights)"),
)
# The cover must be a ready photo of the gallery.
@extend_validation_errors(["invalid"], field_name=NOT_FIELD, actions=["cover"])
# What DRF's search checks of the search text.
@extend_validation_errors(
    ["null_characters_not_allowed", "surrogate_characters_not_allowed"],
    field_name=SearchFilter.search_param,
    actions=["list"],
)
class GalleryViewSet(viewsets.ModelViewSet):
    serializer_class = s.GallerySerializer
    filter_backends = [SearchFilter, filters.OrderingFilter]
    search_fields = ["title", "description"]
    ordering_fields = ["title", "event_date", "created_at", "last_activity"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Gallery.objects.owned_by(self.request.user)
            .with_stats()
            .order_by("-created_at")
            .prefetch_related(
                Prefetch("sets", queryset=GallerySet.objects.order_by("position"))
            )
        )

    def perform_create(self, serializer: s.GallerySerializer) -> None:
        serializer.instance = services.gallery_create(
            owner=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: s.GallerySerializer) -> None:
        services.gallery_update(
            gallery=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, gallery: Gallery) -> None:
        """To the trash (see /api/v1/trash/): restorable until it is emptied."""
        trash.gallery_trash(gallery=gallery)

    def create(self, request: Request, *args, **kwargs) -> Response:
        response = super().create(request, *args, **kwargs)
        gallery = self.get_queryset().get(pk=response.data["id"])
        return Response(
            self.get_serializer(gallery).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.CoverSerializer, responses=s.GallerySerializer)
    @action(detail=True, methods=["post"])
    def cover(self, request: Request, pk=None) -> Response:
        gallery = self.get_object()
        payload = s.CoverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        photo_id = payload.validated_data["photo"]
        photo = get_object_or_404(gallery.photos, pk=photo_id) if photo_id else None
        services.gallery_set_cover(gallery=gallery, photo=photo)
        return Response(self.get_serializer(self.get_object()).data)


# A gallery keeps at least one set.
@extend_validation_errors(["invalid"], field_name=NOT_FIELD, actions=["destroy"])
class GallerySetViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The sets of one gallery, in order."""

    serializer_class = s.GallerySetSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_gallery(self) -> Gallery:
        return owned_gallery(self.request, self.kwargs["gallery_pk"])

    def get_queryset(self):
        return GallerySet.objects.filter(
            gallery__owner=self.request.user, gallery=self.kwargs["gallery_pk"]
        )

    def list(self, request: Request, *args, **kwargs) -> Response:
        self.get_gallery()
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        serializer.instance = services.set_create(
            gallery=self.get_gallery(), name=serializer.validated_data["name"]
        )

    def perform_update(self, serializer) -> None:
        services.set_rename(
            photo_set=serializer.instance,
            # A PATCH without a name keeps the name.
            name=serializer.validated_data.get("name", serializer.instance.name),
        )

    def perform_destroy(self, photo_set: GallerySet) -> None:
        services.set_delete(photo_set=photo_set)

    @extend_schema(request=s.IdsSerializer, responses=s.GallerySetSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request, gallery_pk=None) -> Response:
        gallery = self.get_gallery()
        payload = s.IdsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.sets_reorder(gallery=gallery, set_ids=payload.validated_data["ids"])
        return Response(self.get_serializer(gallery.sets.all(), many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Photos of one gallery, in order",
        parameters=[s.PhotoListQuerySerializer],
    )
)
@extend_query_errors(s.PhotoListQuerySerializer, actions=["list"])
# The upload's size and set, refused by the service (too big, no quota, another
# gallery's set), are field errors the serializer cannot know.
@extend_validation_errors(["invalid"], field_name="size", actions=["uploads"])
@extend_validation_errors(["invalid"], field_name="set", actions=["uploads"])
class GalleryPhotoViewSet(
    SignsPageURLsMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.PhotoSerializer
    query: dict = {}

    def get_gallery(self) -> Gallery:
        return owned_gallery(self.request, self.kwargs["gallery_pk"])

    def get_queryset(self):
        photos = Photo.objects.filter(
            gallery__owner=self.request.user, gallery=self.kwargs["gallery_pk"]
        ).alive()
        if self.action == "attention":
            return photos.needing_attention().order_by("-uploaded_at", "pk")
        if "status" in self.query:
            photos = photos.filter(status=self.query["status"])
        else:
            photos = photos.visible_to_owner()
        if "set" in self.query:
            photos = photos.filter(photo_set=self.query["set"])
        return photos.in_gallery_order()

    def list(self, request: Request, *args, **kwargs) -> Response:
        self.get_gallery()
        # ?set= (empty) is no filter, as a form without a choice sends it.
        given = {k: v for k, v in request.query_params.items() if v != ""}
        query = s.PhotoListQuerySerializer(data=given)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses=s.AttentionPhotoSerializer(many=True),
        summary="Uploads of one gallery that need attention, newest first",
        description="Uploads that did not become photos: those whose processing "
        "failed (`can_retry`: POST photos/{id}/retry/) and files that were "
        "rejected as not photos we accept. Each has its `reason`. Dismiss one "
        "with POST photos/{id}/dismiss/.",
    )
    @action(detail=False, methods=["get"])
    def attention(self, request: Request, gallery_pk=None) -> Response:
        self.get_gallery()
        page = self.paginate_queryset(self.get_queryset())
        data = s.AttentionPhotoSerializer(page, many=True).data
        return self.get_paginated_response(data)

    def _ids_action(self, request, payload_class):
        gallery = self.get_gallery()
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        return gallery, payload.validated_data

    @extend_schema(request=s.IdsSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def reorder(self, request: Request, gallery_pk=None) -> Response:
        gallery, data = self._ids_action(request, s.IdsSerializer)
        services.photos_reorder(gallery=gallery, photo_ids=data["ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.SortSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def sort(self, request: Request, gallery_pk=None) -> Response:
        gallery, data = self._ids_action(request, s.SortSerializer)
        services.photos_sort(gallery=gallery, key=data["key"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.MoveSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def move(self, request: Request, gallery_pk=None) -> Response:
        gallery, data = self._ids_action(request, s.MoveSerializer)
        to_set = get_object_or_404(gallery.sets, pk=data["set"])
        services.photos_move(gallery=gallery, photo_ids=data["ids"], to_set=to_set)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.IdsSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="delete")
    def delete_many(self, request: Request, gallery_pk=None) -> Response:
        gallery, data = self._ids_action(request, s.IdsSerializer)
        trash.photos_trash(gallery=gallery, photo_ids=data["ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=s.UploadStartSerializer,
        responses={
            201: s.UploadStartResponseSerializer,
            409: s.DuplicatePhotoErrorSerializer,
        },
        summary="Start uploading one photo",
        description="Reserves quota and answers where to send the bytes. "
        "A photo already in the gallery (same SHA-256) is refused with 409.",
    )
    @action(detail=False, methods=["post"])
    def uploads(self, request: Request, gallery_pk=None) -> Response:
        gallery, data = self._ids_action(request, s.UploadStartSerializer)
        photo_set = (
            get_object_or_404(gallery.sets, pk=data["set"]) if data["set"] else None
        )
        try:
            photo, target = uploads.upload_start(
                gallery=gallery,
                photo_set=photo_set,
                filename=data["filename"],
                size=data["size"],
                sha256=data["sha256"],
            )
        except uploads.DuplicatePhoto as duplicate:
            return _duplicate_response(duplicate)
        body = {"photo": s.PhotoSerializer(photo).data, "upload": target.as_dict()}
        return Response(body, status=status.HTTP_201_CREATED)


def _duplicate_response(duplicate: uploads.DuplicatePhoto) -> Response:
    return Response(
        {
            "type": "client_error",
            "errors": [{"code": "duplicate", "detail": str(duplicate), "attr": None}],
            "existing": str(duplicate.existing.pk),
        },
        status=status.HTTP_409_CONFLICT,
    )


class RawBodyParser(BaseParser):
    """Leaves the body unread so the view can stream it."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


# No original yet; a rejected file retried; a photo that is not failed or rejected
# dismissed.
@extend_validation_errors(
    ["invalid"], field_name=NOT_FIELD, actions=["original", "retry", "dismiss"]
)
class PhotoViewSet(
    mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.PhotoSerializer

    def get_queryset(self):
        return Photo.objects.owned_by(self.request.user).select_related("gallery")

    def perform_destroy(self, photo: Photo) -> None:
        trash.photos_trash(gallery=photo.gallery, photo_ids=[photo.pk])

    @extend_schema(
        request=None,
        responses=s.PhotoSerializer,
        summary="Process a photo again",
        description="For a photo whose processing failed (or a ready one, made "
        "again). A rejected file cannot be retried: that is a 400.",
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk=None) -> Response:
        photo = attention.retry(photo=self.get_object())
        return Response(self.get_serializer(photo).data)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Dismiss a failed or rejected upload",
        description="Deletes it with its stored files and gives its bytes back to "
        "the quota. Any other photo is a 400: delete it instead.",
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        attention.dismiss(photo=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={302: None})
    @action(detail=True, methods=["get"])
    def original(self, request: Request, pk=None) -> HttpResponseRedirect:
        """Download the original, byte for byte as uploaded."""
        photo = self.get_object()
        if not photo.original or photo.status == Photo.Status.UPLOADING:
            raise ValidationError("This photo has no original yet.")
        return HttpResponseRedirect(
            file_url(
                photo.original.name, download_as=download_name(photo.original_filename)
            )
        )


# Bytes sent for an upload that expects them elsewhere or has them already, or that
# are too many or too few; an abort of a finished upload; a complete before the
# storage has the file, or that the storage refused.
@extend_validation_errors(
    ["invalid"], field_name=NOT_FIELD, actions=["content", "destroy"]
)
@extend_validation_errors(
    ["invalid"], field_name="file", actions=["content", "complete"]
)
@extend_validation_errors(["invalid"], field_name="parts", actions=["complete"])
class UploadViewSet(viewsets.GenericViewSet):
    """Finishing (or abandoning) an upload started on a gallery."""

    serializer_class = s.PhotoSerializer

    def get_queryset(self):
        return Photo.objects.owned_by(self.request.user).select_related("gallery")

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses=s.PhotoSerializer,
        summary="Send the bytes (local storage only)",
    )
    @action(detail=True, methods=["put"], parser_classes=[RawBodyParser])
    def content(self, request: Request, pk=None) -> Response:
        photo = self.get_object()
        photo = uploads.upload_receive(photo=photo, stream=request._request)
        return Response(self.get_serializer(photo).data)

    @extend_schema(request=s.UploadCompleteSerializer, responses=s.PhotoSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk=None) -> Response:
        photo = self.get_object()
        payload = s.UploadCompleteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        photo = uploads.upload_complete(
            photo=photo, parts=payload.validated_data["parts"]
        )
        return Response(self.get_serializer(photo).data)

    @extend_schema(request=None, responses={204: None}, summary="Abandon an upload")
    def destroy(self, request: Request, pk=None) -> Response:
        uploads.upload_abort(photo=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
