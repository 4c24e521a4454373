"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def workspace(request, *args, **kwargs):
    raise Http404


def save(request, *args, **kwargs):
    raise Http404


def not_applicable(request, *args, **kwargs):
    raise Http404
