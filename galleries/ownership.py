"""A photographer's own galleries and photos, or 404: the one access check for each,
shared by the pages and the API of galleries and sharing. A stranger's id answers
exactly as an id that does not exist, so nobody can tell another's gallery is there."""

from django.shortcuts import get_object_or_404

from galleries.models import Gallery, Photo


def owned_gallery(request, pk) -> Gallery:
    """The signed-in photographer's gallery `pk`, or 404 for anyone else."""
    return get_object_or_404(Gallery.objects.owned_by(request.user), pk=pk)


def owned_photo(request, pk) -> Photo:
    """The signed-in photographer's photo `pk` (with its gallery), or 404."""
    return get_object_or_404(
        Photo.objects.owned_by(request.user).select_related("gallery"), pk=pk
    )
