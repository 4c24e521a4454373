"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def round_list(request, *args, **kwargs):
    raise Http404


def round_create(request, *args, **kwargs):
    raise Http404


def round_transition(request, *args, **kwargs):
    raise Http404
