"""Downloads of generated documents, and background export jobs with their progress.

GET  /exports/<kind>/<pk>/            a small kind: the file, streamed; a background kind: its page
POST /exports/<kind>/<pk>/            a background kind: queue a job, go to its page
GET  /exports/jobs/<token>/           the job's page (htmx polls its status while it runs)
GET  /exports/jobs/<token>/status/    the status fragment
GET  /exports/jobs/<token>/download/  the file, once done
Jobs belong to the user who asked: anyone else gets the 404.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qualitycity.refusals import refusals, render

from ..choices import JobStatus
from ..exports import clean_params
from ..models import ExportJob
from ..services import export_kind, start_export, write_export

SPOOL_BYTES = 8 * 1024 * 1024  # a direct download is kept in memory up to this size, then on disk


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = export_kind(kind)
    data = request.POST if request.method == "POST" else request.GET
    params = clean_params(spec, data)
    if not spec.background:
        if request.method == "POST":
            raise Http404
        with refusals(request) as outcome:
            target = spec.resolve(request.user, pk, params)
            out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            filename = write_export(spec, target, params, out)
        if outcome.refused:
            return render(request, "reports/exports/refused.html", {"kind": spec}, status=422)
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=filename, content_type=spec.content_type
        )
    if request.method == "POST":
        job = start_export(request.user, spec.key, pk, data, language=translation.get_language())
        messages.info(request, _("已开始生成,完成后可在本页下载。"))
        return redirect("reports:export_job", token=job.token)
    target = spec.resolve(request.user, pk, params)
    jobs = ExportJob.objects.filter(user=request.user, kind=spec.key, target_id=pk)[:10]
    return render(
        request,
        "reports/exports/start.html",
        {
            "kind": spec,
            "target": target,
            "pk": pk,
            "params": params,
            "filename": spec.filename(target, params),
            "jobs": jobs,
        },
    )


def _job(request: HttpRequest, token: str) -> ExportJob:
    return get_object_or_404(ExportJob, token=token, user=request.user)


@login_required
def export_job(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    return render(request, "reports/exports/job.html", {"job": job})


@login_required
def export_job_status(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    return render(request, "reports/exports/_job_status.html", {"job": job})


@login_required
def export_job_download(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    if job.status != JobStatus.DONE or not job.storage_name:
        raise Http404
    return FileResponse(
        default_storage.open(job.storage_name, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
