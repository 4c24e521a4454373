"""Backup and restore of a whole installation in one portable archive.

`write_backup(out)` writes a zip holding
- `data.json`: every row of every model but the ones Django rebuilds itself (content types,
  permissions: recreated by `migrate`) and the transient ones (sessions, the worker's queue), in
  Django's JSON serialisation with natural keys, so it loads into SQLite or PostgreSQL alike;
- `files/<name>`: every file of the default storage (evidence, export files), streamed;
- `manifest.json`: the format, when, from which database, the Django migrations applied, and each
  member's size and SHA-256.

`restore_backup(path)` loads such an archive into an empty instance (migrated, no users, regions
or frameworks): every member's SHA-256 is checked against the manifest before anything is written;
the rows load in one transaction (sequences are reset by loaddata) and the files are written
after; if anything fails, the rows are rolled back and the files written so far removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "qualitycity-backup/1"
CHUNK = 1024 * 1024
# Rebuilt by `migrate` (content types, permissions), or transient: sessions, the login lockout's
# attempt log and the worker's queue (queued jobs are booked again by `qualitycity worker`).
EXCLUDED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "admin.logentry",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accesslog",
        "axes.accessfailurelog",
        "django_tasks_database.dbtaskresult",
    }
)


class BackupError(Exception):
    """A backup that cannot be restored here; the message says why (in Chinese)."""


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    bytes: int


def backed_up_models() -> list[Any]:
    """The models to back up, in an order where what a natural key names comes first."""
    by_app: dict[Any, list[Any]] = {}
    for m in apps.get_models():
        if m._meta.label_lower not in EXCLUDED and not m._meta.proxy and m._meta.managed:
            by_app.setdefault(m._meta.app_config, []).append(m)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def storage_files(prefix: str = "") -> Iterator[str]:
    """Every file name in the default storage, folders walked."""
    try:
        folders, names = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(names):
        yield f"{prefix}/{name}" if prefix else name
    for folder in sorted(folders):
        yield from storage_files(f"{prefix}/{folder}" if prefix else folder)


def _copy(src: IO[bytes], dst: IO[bytes]) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        dst.write(chunk)
    return size, digest.hexdigest()


def write_backup(out: IO[bytes]) -> Summary:
    members: dict[str, dict[str, Any]] = {}
    rows = files = total = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        with tempfile.TemporaryFile() as data:
            objects = (
                obj
                for model in backed_up_models()
                for obj in model._default_manager.order_by("pk").iterator(chunk_size=2000)
            )
            rows = sum(m._default_manager.count() for m in backed_up_models())
            serializers.serialize(
                "json",
                objects,
                stream=_TextOut(data),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
                cls=_ExactEncoder,
            )
            data.seek(0)
            with zf.open("data.json", "w", force_zip64=True) as dst:
                size, sha = _copy(data, dst)
            members["data.json"] = {"size": size, "sha256": sha}
        for name in storage_files():
            with (
                default_storage.open(name, "rb") as src,
                zf.open(f"files/{name}", "w", force_zip64=True) as dst,
            ):
                size, sha = _copy(src, dst)
            members[f"files/{name}"] = {"size": size, "sha256": sha}
            files += 1
            total += size
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database": connection.vendor,
            "rows": rows,
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "members": members,
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return Summary(rows, files, total)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _TextOut:
    """A text stream over a binary file, for the serializer."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        return self.raw.write(text.encode())

    def flush(self) -> None:
        self.raw.flush()


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("不是 QualityCity 的备份文件(缺少 manifest.json)。")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份格式“%(got)s”无法识别,应为 %(want)s。")
            % {"got": manifest.get("format"), "want": FORMAT}
        )
    return manifest


def check_archive(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every member the manifest lists is there with its size and SHA-256, and nothing else."""
    listed = set(manifest["members"])
    present = set(zf.namelist()) - {"manifest.json"}
    if listed != present:
        raise BackupError(_("备份文件的内容与清单不符(文件缺失或多出),未恢复任何数据。"))
    for name, meta in manifest["members"].items():
        if ".." in Path(name).parts or name.startswith("/"):
            raise BackupError(_("备份中的文件名“%(name)s”不安全,未恢复任何数据。") % {"name": name})
        with zf.open(name) as src:
            size, sha = _copy(src, _Null())
        if size != meta["size"] or sha != meta["sha256"]:
            raise BackupError(
                _("“%(name)s”的校验值与清单不符,备份可能已损坏,未恢复任何数据。") % {"name": name}
            )


class _Null:
    def write(self, chunk: bytes) -> int:
        return len(chunk)


def instance_is_empty() -> bool:
    from qualitycity.frameworks.models import Framework
    from qualitycity.orgs.models import Region, User

    return not (User.objects.exists() or Region.objects.exists() or Framework.objects.exists())


def restore_backup(path: Path) -> Summary:
    if not instance_is_empty():
        raise BackupError(_("只能恢复到空的实例:本实例已有用户、行政区或评分体系,未恢复任何数据。"))
    with zipfile.ZipFile(path) as zf:
        manifest = _manifest(zf)
        here = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
        missing = sorted(set(manifest["migrations"]) - here)
        if missing:
            raise BackupError(
                _("备份来自更新的版本(本实例缺少迁移:%(names)s),请先升级并运行 migrate。")
                % {"names": "、".join(missing[:5])}
            )
        check_archive(zf, manifest)
        written: list[str] = []
        try:
            with tempfile.TemporaryDirectory() as tmp:
                data = Path(tmp) / "data.json"
                with zf.open("data.json") as src, data.open("wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                with transaction.atomic():
                    call_command("loaddata", str(data), verbosity=0)
                    for name in manifest["members"]:
                        if not name.startswith("files/"):
                            continue
                        target = name.removeprefix("files/")
                        if default_storage.exists(target):
                            default_storage.delete(target)
                        with zf.open(name) as src:
                            saved = default_storage.save(target, File(src, name=target))
                        written.append(saved)
                        if saved != target:
                            raise BackupError(
                                _("无法按原名写入文件“%(name)s”,未恢复任何数据。")
                                % {"name": target}
                            )
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    sizes = [m["size"] for n, m in manifest["members"].items() if n.startswith("files/")]
    return Summary(int(manifest.get("rows", 0)), len(sizes), sum(sizes))
