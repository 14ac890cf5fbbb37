"""The studio's brand in the owner API: its settings, and its two logos.

Thin doors over galleries/brand.py, as the Brand page is: the same checks, the same
errors (a refused logo is a 400 on `logo` with the reason's code)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from galleries import brand
from galleries.models import Brand

#: Why a logo is refused (galleries/imaging/logo.py, checks.py).
LOGO_CODES = ["svg", "unsupported", "damaged", "too_large", "empty", "raw"]


class LogoSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Its address on this site (public).")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class BrandSerializer(serializers.ModelSerializer):
    studio_name = serializers.SerializerMethodField(
        help_text="The name clients see (your profile's studio name)."
    )
    logo = serializers.SerializerMethodField()
    logo_dark = serializers.SerializerMethodField()
    accent = serializers.CharField(
        max_length=7,
        allow_blank=True,
        required=False,
        help_text="#rrggbb, or empty for Proofsheet's neutral colours.",
    )
    # Plain strings in the schema (a blank URL or email is "" there, not one of two
    # types); the service checks them as a URL and an address.
    website = serializers.CharField(
        max_length=200, allow_blank=True, required=False, help_text="https://..."
    )
    email = serializers.CharField(
        max_length=254,
        allow_blank=True,
        required=False,
        help_text="The address clients are shown.",
    )
    on_accent = serializers.SerializerMethodField(
        help_text="The text colour on the accent (WCAG contrast), empty without one."
    )
    accent_text_light = serializers.SerializerMethodField(
        help_text="The accent as text on the light page, adjusted to 4.5:1."
    )
    accent_text_dark = serializers.SerializerMethodField(
        help_text="The accent as text on the dark page, adjusted to 4.5:1."
    )

    class Meta:
        model = Brand
        fields = [
            "studio_name",
            "logo",
            "logo_dark",
            "accent",
            "on_accent",
            "accent_text_light",
            "accent_text_dark",
            "typeface",
            "website",
            "email",
            "phone",
            "instagram",
            "credit_proofsheet",
            "language",
        ]

    def _view(self, instance: Brand) -> brand.BrandView:
        cache = self.context.setdefault("brand_views", {})
        if instance.owner_id not in cache:
            cache[instance.owner_id] = brand.brand_for(instance.owner)
        return cache[instance.owner_id]

    def get_studio_name(self, instance: Brand) -> str:
        return self._view(instance).studio_name

    @staticmethod
    def _logo(logo: brand.Logo | None) -> dict | None:
        return None if logo is None else LogoSerializer(logo).data

    @extend_schema_field(LogoSerializer(allow_null=True))
    def get_logo(self, instance: Brand) -> dict | None:
        return self._logo(self._view(instance).logo)

    @extend_schema_field(LogoSerializer(allow_null=True))
    def get_logo_dark(self, instance: Brand) -> dict | None:
        return self._logo(self._view(instance).logo_dark)

    def get_on_accent(self, instance: Brand) -> str:
        return self._view(instance).on_accent

    def get_accent_text_light(self, instance: Brand) -> str:
        return self._view(instance).accent_text_light

    def get_accent_text_dark(self, instance: Brand) -> str:
        return self._view(instance).accent_text_dark


class LogoUploadSerializer(serializers.Serializer):
    logo = serializers.FileField(help_text="PNG, JPEG or WebP, up to 10 MB; not SVG.")


@extend_validation_errors(["invalid"], field_name="accent", methods=["patch"])
@extend_validation_errors(["invalid"], field_name="website", methods=["patch"])
@extend_validation_errors(["invalid"], field_name="email", methods=["patch"])
@extend_validation_errors(["invalid"], field_name="phone", methods=["patch"])
@extend_validation_errors(["invalid"], field_name="instagram", methods=["patch"])
class BrandView(generics.RetrieveUpdateAPIView):
    """Your studio's brand: what clients see on every page and email."""

    serializer_class = BrandSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Brand:
        return brand.brand_of(self.request.user)

    def perform_update(self, serializer: BrandSerializer) -> None:
        # A service's ValidationError is the API's 400 (config/api_errors.py).
        serializer.instance = brand.brand_update(
            owner=self.request.user, **serializer.validated_data
        )


@extend_validation_errors(LOGO_CODES, field_name="logo", methods=["post"])
class BrandLogoView(APIView):
    """Your logo (`brand/logo/`) or its variant for dark backgrounds
    (`brand/logo-dark/`): upload one (POST, multipart), or remove it (DELETE)."""

    parser_classes = [MultiPartParser, FormParser]
    dark = False

    @extend_schema(
        request={"multipart/form-data": LogoUploadSerializer},
        responses={200: BrandSerializer},
    )
    def post(self, request: Request) -> Response:
        upload = LogoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        saved = brand.logo_set(
            owner=request.user, upload=upload.validated_data["logo"], dark=self.dark
        )
        return Response(BrandSerializer(saved).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        brand.logo_remove(owner=request.user, dark=self.dark)
        return Response(status=status.HTTP_204_NO_CONTENT)
