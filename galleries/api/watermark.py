"""The studio watermark in the owner API: its settings, and its image.

Thin doors over galleries/watermarks.py, as the Watermark page is: the same checks,
the same errors (a refused image is a 400 on `image` with the reason's code)."""

from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from galleries import watermarks
from galleries.models import Photo, Watermark

IMAGE_CODES = ["svg", "unsupported", "damaged", "too_large", "empty", "raw"]


class WatermarkSerializer(serializers.ModelSerializer):
    has_image = serializers.SerializerMethodField()
    photos_ready = serializers.SerializerMethodField(
        help_text=(
            "How many of the photos that need this watermark (the ready photos of "
            "your galleries with a live watermarked link) have its renditions made."
        )
    )
    photos_total = serializers.SerializerMethodField(
        help_text=(
            "How many photos need this watermark: the ready photos of your galleries "
            "with a live watermarked link (out of the trash)."
        )
    )

    class Meta:
        model = Watermark
        fields = [
            "kind",
            "text",
            "position",
            "size",
            "opacity",
            "has_image",
            "image_width",
            "image_height",
            "version",
            "photos_ready",
            "photos_total",
            "updated_at",
        ]
        read_only_fields = [
            "has_image",
            "image_width",
            "image_height",
            "version",
            "updated_at",
        ]

    def get_has_image(self, instance: Watermark) -> bool:
        return bool(instance.image)

    def _progress(self, instance: Watermark) -> dict:
        if "progress" not in self.context:
            version = instance.version if instance.pk and instance.is_set else ""
            self.context["progress"] = (
                Photo.objects.filter(gallery__owner_id=instance.owner_id)
                .wanting_watermark()
                .watermark_progress(version)
            )
        return self.context["progress"]

    def get_photos_ready(self, instance: Watermark) -> int:
        return self._progress(instance)["made"]

    def get_photos_total(self, instance: Watermark) -> int:
        return self._progress(instance)["total"]


class WatermarkImageSerializer(serializers.Serializer):
    image = serializers.FileField(
        help_text="PNG or WebP with transparency, up to 10 MB."
    )


@extend_validation_errors(["invalid", "required"], field_name="text", methods=["patch"])
class WatermarkView(generics.RetrieveUpdateAPIView):
    """Your studio watermark: drawn on the photos of the links you watermark."""

    serializer_class = WatermarkSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Watermark:
        return watermarks.watermark_of(self.request.user)

    def perform_update(self, serializer: WatermarkSerializer) -> None:
        serializer.instance = watermarks.watermark_update(
            owner=self.request.user, **serializer.validated_data
        )


@extend_validation_errors(IMAGE_CODES, field_name="image", methods=["post"])
class WatermarkImageView(APIView):
    """Your watermark's image: upload one (POST, multipart; the watermark becomes an
    image one), or remove it (DELETE; back to text)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": WatermarkImageSerializer},
        responses={200: WatermarkSerializer},
    )
    def post(self, request: Request) -> Response:
        upload = WatermarkImageSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        saved = watermarks.watermark_image_set(
            owner=request.user, upload=upload.validated_data["image"]
        )
        return Response(WatermarkSerializer(saved).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        watermarks.watermark_image_remove(owner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
