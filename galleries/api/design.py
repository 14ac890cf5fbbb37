"""A gallery's design in the owner API (`galleries/<id>/design/`): a thin door over
galleries/design.py, as the Design page is."""

from rest_framework import generics, serializers

from galleries import design
from galleries.models import Gallery
from galleries.ownership import owned_gallery


class DesignSerializer(serializers.ModelSerializer):
    object_position = serializers.SerializerMethodField(
        help_text="The focal point as the client page's CSS object-position."
    )

    class Meta:
        model = Gallery
        fields = [*design.SETTINGS, "object_position"]
        extra_kwargs = {
            "focal_x": {
                "help_text": "Where the faces are on the cover, from its left edge "
                "(0) to its right (1)."
            },
            "focal_y": {
                "help_text": "... and from its top edge (0) to its bottom (1)."
            },
        }

    def get_object_position(self, gallery: Gallery) -> str:
        return design.design_of(gallery).object_position


class GalleryDesignView(generics.RetrieveUpdateAPIView):
    """A gallery's design on its client pages: cover layout and focal point, grid
    style, spacing and theme."""

    serializer_class = DesignSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Gallery:
        return owned_gallery(self.request, self.kwargs["gallery_pk"])

    def perform_update(self, serializer: DesignSerializer) -> None:
        # A service's ValidationError is the API's 400 (config/api_errors.py).
        serializer.instance = design.design_update(
            gallery=serializer.instance, **serializer.validated_data
        )
