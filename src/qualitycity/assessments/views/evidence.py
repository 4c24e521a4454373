"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def evidence_list(request, *args, **kwargs):
    raise Http404


def evidence_upload(request, *args, **kwargs):
    raise Http404


def evidence_detail(request, *args, **kwargs):
    raise Http404


def evidence_download(request, *args, **kwargs):
    raise Http404
