"""Not built yet: filled in by its own change."""

from django.http import Http404


def link_list(request, *args, **kwargs):
    raise Http404


def link_create(request, *args, **kwargs):
    raise Http404


def link_detail(request, *args, **kwargs):
    raise Http404


def link_edit(request, *args, **kwargs):
    raise Http404


def link_toggle(request, *args, **kwargs):
    raise Http404


def link_delete(request, *args, **kwargs):
    raise Http404


def link_qr(request, *args, **kwargs):
    raise Http404


def list_detail(request, *args, **kwargs):
    raise Http404


def list_reopen(request, *args, **kwargs):
    raise Http404


def list_delete(request, *args, **kwargs):
    raise Http404


def list_csv(request, *args, **kwargs):
    raise Http404


def list_lightroom(request, *args, **kwargs):
    raise Http404
