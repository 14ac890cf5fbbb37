"""Not built yet: filled in by its own change."""

from django.http import Http404


def photo_download(request, *args, **kwargs):
    raise Http404


def zip_download(request, *args, **kwargs):
    raise Http404
