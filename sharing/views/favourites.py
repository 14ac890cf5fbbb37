"""Not built yet: filled in by its own change."""

from django.http import Http404


def my_list(request, *args, **kwargs):
    raise Http404


def start(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def toggle(request, *args, **kwargs):
    raise Http404


def note(request, *args, **kwargs):
    raise Http404


def resume(request, *args, **kwargs):
    raise Http404
