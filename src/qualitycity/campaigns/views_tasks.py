"""Work in progress: replaced by the real views in this change."""

from django.http import Http404


def my_tasks(request, *args, **kwargs):
    raise Http404


def task_list(request, *args, **kwargs):
    raise Http404


def task_create(request, *args, **kwargs):
    raise Http404


def task_generate(request, *args, **kwargs):
    raise Http404


def task_detail(request, *args, **kwargs):
    raise Http404


def task_action(request, *args, **kwargs):
    raise Http404


def report_edit(request, *args, **kwargs):
    raise Http404


def report_review(request, *args, **kwargs):
    raise Http404


def notifications(request, *args, **kwargs):
    raise Http404
