"""Receiving evidence files: streamed to storage under their SHA-256, checked by content."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitycity import archives
from qualitycity.errors import ValidationFailed

from .models import EvidenceFile

ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}
ZIP_BASED = {"zip", "docx", "xlsx", "pptx"}
CHUNK = 1024 * 1024


def check_name(name: str) -> str:
    """A plain file name, or a refusal: no folders, no '..', no control characters."""
    clean = unicodedata.normalize("NFC", name or "").strip()
    bad = (
        not clean
        or len(clean) > 255
        or "/" in clean
        or "\\" in clean
        or ".." in clean
        or clean.startswith(".")
        or any(unicodedata.category(ch).startswith("C") for ch in clean)
    )
    if bad:
        raise ValidationFailed(
            _("文件名“%(name)s”不可用:文件名不能包含路径、“..”或控制字符。") % {"name": name}
        )
    return clean


EXTENSION_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}


def _matching_name(name: str, extension: str) -> str:
    """The name with an extension that matches the content: refused when the name claims another
    type (a PDF named .html), completed when it has none."""
    stem, dot, ext = name.rpartition(".")
    ext = EXTENSION_ALIASES.get(ext.lower(), ext.lower()) if dot else ""
    if not dot or not stem:
        return f"{name}.{extension}"
    if ext != extension:
        raise ValidationFailed(
            _("文件扩展名“.%(ext)s”与文件内容(%(kind)s)不符,请改正文件名后再上传。")
            % {"ext": name.rpartition(".")[2], "kind": extension}
        )
    return name


def _check_zip(path: Path, size: int) -> None:
    """Inflate the archive through (archives.inspect_zip: real sizes, not the declared ones, and
    zips inside it too) within the limits, or refuse it."""
    limits = archives.Limits(
        max_total=settings.EVIDENCE_MAX_ZIP_BYTES,
        max_ratio=settings.EVIDENCE_MAX_ZIP_RATIO,
        max_depth=3,
    )
    try:
        archives.inspect_zip(str(path), size=size, limits=limits)
    except archives.ZipRefused as exc:
        if exc.reason == "damaged":
            raise ValidationFailed(_("压缩文件已损坏,无法读取。")) from exc
        if exc.reason == "too_deep":
            raise ValidationFailed(_("压缩文件中嵌套了过多层压缩文件,已拒收。")) from exc
        if exc.reason == "too_many":
            raise ValidationFailed(_("压缩文件中的文件过多(超过 10000 个),已拒收。")) from exc
        raise ValidationFailed(
            _("压缩内容解压后过大(压缩比超过 %(ratio)s 倍或超过上限),疑似压缩炸弹,已拒收。")
            % {"ratio": settings.EVIDENCE_MAX_ZIP_RATIO}
        ) from exc


def receive(upload: File) -> tuple[EvidenceFile, str]:
    """Store an uploaded file once under its hash. Returns the file record and the clean name.

    Refuses, storing nothing: a bad name, an empty file, a file over the limit, a type other than
    pdf/doc(x)/xls(x)/ppt(x)/jpg/png/zip by content, a zip that expands beyond a sane ratio.
    """
    name = check_name(getattr(upload, "name", "") or "")
    limit = settings.EVIDENCE_MAX_BYTES
    tmp_dir = Path(settings.MEDIA_ROOT) / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        _("文件超过大小上限 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationFailed(_("文件是空的。"))
        kind = filetype.guess(str(tmp))
        extension = kind.extension if kind else None
        if extension not in ALLOWED_TYPES:
            found = extension or _("未知")
            raise ValidationFailed(
                _(
                    "不接受此类文件(按内容识别为:%(found)s)。可上传:pdf、doc/docx、xls/xlsx、ppt/pptx、jpg/png、zip。"
                )
                % {"found": found}
            )
        name = _matching_name(name, extension)
        if extension in ZIP_BASED:
            _check_zip(tmp, size)
        sha = digest.hexdigest()
        existing = EvidenceFile.objects.filter(sha256=sha).first()
        if existing is not None:
            return existing, name
        record = EvidenceFile(
            sha256=sha, size=size, extension=extension, mime=ALLOWED_TYPES[extension]
        )
        if default_storage.exists(record.storage_name):
            # No row names it: a failed upload's orphan, perhaps old enough for sweep_orphans.
            # Written again, its age starts now, so the sweep cannot take it while this commits.
            default_storage.delete(record.storage_name)
        with tmp.open("rb") as fh:
            saved = default_storage.save(record.storage_name, File(fh))
        if saved != record.storage_name:  # the same bytes arrived twice at once: keep one copy
            default_storage.delete(saved)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            return EvidenceFile.objects.get(sha256=sha), name
        return record, name
    finally:
        tmp.unlink(missing_ok=True)


# --- orphans: stored blobs that no committed EvidenceFile names ---------------------------------

SHA256_HEX = frozenset("0123456789abcdef")


def _stored_blobs(storage) -> Iterator[str]:
    """Names of the blobs under evidence/aa/bb/ (any storage: local folders or S3 prefixes)."""
    try:
        firsts = storage.listdir("evidence")[0]
    except FileNotFoundError:  # nothing stored yet
        return
    for first in firsts:
        for second in storage.listdir(f"evidence/{first}")[0]:
            for name in storage.listdir(f"evidence/{first}/{second}")[1]:
                if len(name) == 64 and set(name) <= SHA256_HEX:
                    yield f"evidence/{first}/{second}/{name}"


def sweep_orphans(*, now: dt.datetime, grace: dt.timedelta) -> dict[str, int]:
    """Delete what a failed upload left behind: blobs that no EvidenceFile row names (the file is
    written before the transaction that records it, which may then roll back) and temporary
    files of uploads cut off mid-stream, once older than `grace` (so an upload in flight keeps
    its file). Referenced blobs are never touched."""
    storage = default_storage
    removed = {"blobs": 0, "temporary": 0}
    batch: list[str] = []

    def flush() -> None:
        known = set(
            EvidenceFile.objects.filter(
                sha256__in=[n.rsplit("/", 1)[1] for n in batch]
            ).values_list("sha256", flat=True)
        )
        for name in batch:
            if name.rsplit("/", 1)[1] in known:
                continue
            if storage.get_modified_time(name) <= now - grace:
                storage.delete(name)
                removed["blobs"] += 1
        batch.clear()

    for name in _stored_blobs(storage):
        batch.append(name)
        if len(batch) >= 500:
            flush()
    if batch:
        flush()
    tmp_dir = Path(settings.MEDIA_ROOT) / "tmp"
    if tmp_dir.is_dir():
        cutoff = (now - grace).timestamp()
        for path in tmp_dir.iterdir():
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink(missing_ok=True)
                removed["temporary"] += 1
    return removed
