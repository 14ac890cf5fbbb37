"""Not built yet: filled in by its own change."""

from django.http import Http404


def gallery(request, *args, **kwargs):
    raise Http404


def unlock(request, *args, **kwargs):
    raise Http404


def photo(request, *args, **kwargs):
    raise Http404
