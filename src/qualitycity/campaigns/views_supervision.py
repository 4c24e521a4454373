"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def board(request, *args, **kwargs):
    raise Http404


def timeline(request, *args, **kwargs):
    raise Http404


def notice_list(request, *args, **kwargs):
    raise Http404


def notice_create(request, *args, **kwargs):
    raise Http404


def notice_detail(request, *args, **kwargs):
    raise Http404


def notice_action(request, *args, **kwargs):
    raise Http404


def meeting_list(request, *args, **kwargs):
    raise Http404


def meeting_create(request, *args, **kwargs):
    raise Http404


def meeting_detail(request, *args, **kwargs):
    raise Http404


def meeting_decisions(request, *args, **kwargs):
    raise Http404
