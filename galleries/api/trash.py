"""The trash in the owner API: what the photographer deleted, to restore or delete for
good. Thin doors over galleries/trash.py, as the Trash page is.

Deleting a gallery (`DELETE /galleries/{id}/`) or photos moves them here; nothing of
them shows anywhere else in the API until they are restored."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from galleries import trash
from galleries.api.serializers import IdsSerializer
from galleries.models import Gallery, Photo

#: How many trashed photos one answer lists at most (newest first).
PHOTOS_LISTED = 1000


class TrashedGallerySerializer(serializers.ModelSerializer):
    photo_count = serializers.IntegerField(read_only=True)
    total_bytes = serializers.IntegerField(read_only=True)
    emptied_on = serializers.SerializerMethodField()

    class Meta:
        model = Gallery
        fields = [
            "id",
            "title",
            "photo_count",
            "total_bytes",
            "trashed_at",
            "emptied_on",
        ]

    def get_emptied_on(self, gallery: Gallery) -> str:
        return serializers.DateTimeField().to_representation(
            trash.emptied_on(gallery.trashed_at)
        )


class TrashedPhotoSerializer(serializers.ModelSerializer):
    emptied_on = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = [
            "id",
            "gallery",
            "original_filename",
            "size",
            "trashed_at",
            "emptied_on",
        ]

    def get_emptied_on(self, photo: Photo) -> str:
        return serializers.DateTimeField().to_representation(
            trash.emptied_on(photo.trashed_at)
        )


class TrashSerializer(serializers.Serializer):
    bytes = serializers.IntegerField(
        help_text="Bytes in the trash, still counted in your storage."
    )
    next_emptied_on = serializers.DateTimeField(
        allow_null=True, help_text="When the next item goes for good."
    )
    galleries = TrashedGallerySerializer(many=True)
    photos = TrashedPhotoSerializer(
        many=True,
        help_text=f"Photos deleted on their own, newest first (at most {PHOTOS_LISTED}).",
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class TrashView(APIView):
    @extend_schema(responses=TrashSerializer, summary="What is in your trash")
    def get(self, request: Request) -> Response:
        summary = trash.summary(request.user)
        body = {
            "bytes": summary.bytes,
            "next_emptied_on": summary.next_emptied_on,
            "galleries": Gallery.objects.in_trash_of(request.user)
            .with_stats()
            .order_by("-trashed_at"),
            "photos": Photo.objects.in_trash_of(request.user).order_by(
                "-trashed_at", "pk"
            )[:PHOTOS_LISTED],
        }
        return Response(TrashSerializer(body).data)


class TrashEmptyView(APIView):
    @extend_schema(
        request=None,
        responses=CountSerializer,
        summary="Empty the trash now",
        description="Deletes everything in it for good: files, and their bytes from "
        "your storage.",
    )
    def post(self, request: Request) -> Response:
        return Response({"count": trash.trash_empty(owner=request.user)})


class TrashedGalleryView(APIView):
    def _gallery(self, request: Request, pk) -> Gallery:
        return get_object_or_404(Gallery.objects.in_trash_of(request.user), pk=pk)

    @extend_schema(
        request=None, responses={204: None}, summary="Delete a gallery for good"
    )
    def delete(self, request: Request, pk) -> Response:
        trash.gallery_purge(gallery=self._gallery(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrashedGalleryRestoreView(TrashedGalleryView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Restore a gallery",
        description="With its sets, photos, share links and favourites.",
    )
    def post(self, request: Request, pk) -> Response:
        trash.gallery_restore(gallery=self._gallery(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TrashedPhotosRestoreView(APIView):
    @extend_schema(
        request=IdsSerializer, responses=CountSerializer, summary="Restore photos"
    )
    def post(self, request: Request) -> Response:
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = trash.photos_restore(
            owner=request.user, photo_ids=data.validated_data["ids"]
        )
        return Response({"count": count})


class TrashedPhotosPurgeView(APIView):
    @extend_schema(
        request=IdsSerializer,
        responses=CountSerializer,
        summary="Delete photos in the trash for good",
    )
    def post(self, request: Request) -> Response:
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = trash.photos_purge(
            owner=request.user, photo_ids=data.validated_data["ids"]
        )
        return Response({"count": count})
