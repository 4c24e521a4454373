"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def compare(request, *args, **kwargs):
    raise Http404


def round_summary(request, *args, **kwargs):
    raise Http404


def gap_list(request, *args, **kwargs):
    raise Http404
