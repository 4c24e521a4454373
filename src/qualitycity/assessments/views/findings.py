"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def finding_create(request, *args, **kwargs):
    raise Http404


def finding_list(request, *args, **kwargs):
    raise Http404


def finding_detail(request, *args, **kwargs):
    raise Http404


def finding_action(request, *args, **kwargs):
    raise Http404
