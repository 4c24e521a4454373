"""Writes of the reports app: export jobs (start, run, fail). Exports read campaign data and
change none of it, so they are not audited; the job row records who asked for what and when."""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qualitycity.errors import DomainError

from .choices import JobStatus
from .exports import ExportKind, Progress, clean_params, kind_of, no_progress
from .models import ExportJob

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between progress writes
EXPORT_DIR = "exports"  # exports/<job token>/<file name> in the default storage


def export_kind(key: str) -> ExportKind:
    kind = kind_of(key)
    if kind is None:
        raise Http404
    return kind


def write_export(
    kind: ExportKind,
    target: Any,
    params: Mapping[str, str],
    out: IO[bytes],
    progress: Progress = no_progress,
) -> str:
    """Write the document into `out`; returns its file name."""
    kind.write(target, out, params, progress)
    return kind.filename(target, params)


@transaction.atomic
def start_export(
    user: Any, key: str, pk: int, data: Mapping[str, Any], *, language: str | None = None
) -> ExportJob:
    """Queue a background export for the user (the target is checked now and again when the job
    runs). Raises Http404 for a kind or target the user may not read."""
    kind = export_kind(key)
    params = clean_params(kind, data)
    target = kind.resolve(user, pk, params)
    job = ExportJob.objects.create(
        user=user,
        kind=kind.key,
        target_id=pk,
        params=params,
        title=kind.filename(target, params)[:300],
        content_type=kind.content_type,
        language=language or translation.get_language() or "zh-hans",
    )
    from .jobs import run_export_job

    transaction.on_commit(lambda: run_export_job.enqueue(job.pk))
    return job


def run_export(job_id: int) -> str:
    """Run one job to the end: done with its file, or failed with the reason in the user's
    language. Never raises for the job's own failure."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job.status
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or done >= total:
            last[0] = now
            ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    with translation.override(job.language):
        try:
            kind = export_kind(job.kind)
            target = kind.resolve(job.user, job.target_id, job.params)
            with tempfile.TemporaryFile() as out:
                filename = write_export(kind, target, job.params, out, progress)
                size = out.tell()
                out.seek(0)
                stored = default_storage.save(f"{EXPORT_DIR}/{job.token}/{filename}", File(out))
        except Http404:
            return _fail(job, _("对象不存在或您已无权访问,未生成文件。"))
        except DomainError as exc:
            return _fail(job, str(exc))
        except Exception as exc:
            log.exception("export job %s failed", job.pk)
            return _fail(
                job,
                _("生成失败(%(error)s),请稍后重试或联系系统管理员。")
                % {"error": type(exc).__name__},
            )
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        filename=filename[:255],
        storage_name=stored,
        size=size,
        finished_at=timezone.now(),
    )
    return JobStatus.DONE


def _fail(job: ExportJob, reason: str) -> str:
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=reason[:1000], finished_at=timezone.now()
    )
    return JobStatus.FAILED


@dataclass(frozen=True)
class Swept:
    jobs: int
    files: int


def _remove_dir(storage: Any, name: str) -> None:
    """Remove an emptied folder of local storage (object stores have no folders)."""
    try:
        os.rmdir(storage.path(name))
    except (NotImplementedError, AttributeError, OSError):
        pass


def sweep_exports(*, now: dt.datetime | None = None, days: int | None = None) -> Swept:
    """Remove export jobs asked for more than `days` ago (settings.QC_EXPORT_DAYS) with their
    files, and every file under exports/ whose job no longer exists (its user was removed, or
    the job was swept while a file was being written). Whatever the job's state: a job still
    queued or running after that many days belongs to a worker that is gone."""
    now = now or timezone.now()
    days = settings.QC_EXPORT_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    storage = default_storage
    files = 0
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for name in old.exclude(storage_name="").values_list("storage_name", flat=True):
        if storage.exists(name):
            storage.delete(name)
            files += 1
    jobs, _by_model = old.delete()
    try:
        folders, _files = storage.listdir(EXPORT_DIR)
    except (FileNotFoundError, NotADirectoryError):
        folders = []
    known = {str(t) for t in ExportJob.objects.values_list("token", flat=True)}
    for folder in folders:
        if folder in known:
            continue
        path = f"{EXPORT_DIR}/{folder}"
        _dirs, names = storage.listdir(path)
        for name in names:
            storage.delete(f"{path}/{name}")
            files += 1
        _remove_dir(storage, path)
    log.info("swept %s export jobs and %s files", jobs, files)
    return Swept(jobs, files)
