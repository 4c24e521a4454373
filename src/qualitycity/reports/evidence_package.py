"""The evidence package of a round (佐证材料包): one zip of every evidence file linked to the round,
in dimension / item / row folders, with an index sheet 目录.xlsx.

An evidence linked to several rows of the round's framework appears under each row's folder (the
index lists each copy with its row). Evidence linked to the round but to none of its rows goes
under 未关联评分细则. Members are streamed from storage in 1 MB chunks and their SHA-256 checked
while copying; a mismatch fails the job naming the evidence.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from typing import IO, Any

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity.assessments.access import access_round
from qualitycity.assessments.models import Round
from qualitycity.errors import DomainError
from qualitycity.orgs.access import material_region_ids, readable_region_ids
from qualitycity.xlsx import write_list

from .exports import ExportKind, Progress, register

CHUNK = 1024 * 1024
MAX_PART = 60  # characters per path part
ZIP_TYPE = "application/zip"


def safe_part(text: str, limit: int = MAX_PART) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", str(text)).strip(" .") or "_"
    return cleaned[:limit].strip(" .") or "_"


def members(rnd: Round) -> list[tuple[str, Any, str]]:
    """(zip path, evidence, row label) for every copy, in table order."""
    framework_id = rnd.campaign.framework_id
    evidence = list(
        rnd.evidence.select_related("file", "unit")
        .prefetch_related("criteria__item__dimension")
        .order_by("pk")
    )
    by_row: list[tuple[tuple, str, Any, str]] = []
    for ev in evidence:
        rows = [c for c in ev.criteria.all() if c.framework_id == framework_id]
        if not rows:
            by_row.append(((1, 0, 0, ev.pk), safe_part(_("未关联评分细则")), ev, ""))
        for c in rows:
            d, i = c.item.dimension, c.item
            folder = "/".join(
                (
                    safe_part(f"{d.number:02d} {d.title}"),
                    safe_part(f"{i.code} {i.title}"),
                    safe_part(_("第%(row)s行") % {"row": c.row}),
                )
            )
            by_row.append(((0, d.position, d.number, c.position, ev.pk), folder, ev, c.key))
    by_row.sort(key=lambda t: t[0])
    seen: set[str] = set()
    out = []
    for _key, folder, ev, row in by_row:
        ext = safe_part(ev.file.extension, 10)
        base = safe_part(ev.title, 80)
        name = f"{folder}/{base}.{ext}"
        n = 2
        while name.lower() in seen:
            name = f"{folder}/{base}({n}).{ext}"
            n += 1
        seen.add(name.lower())
        out.append((name, ev, row))
    return out


# Formats that are compressed already (PDF streams, images, Office files are zips): stored as
# they are, which is ~10× faster than deflating them again for a few per cent at most.
STORED_SUFFIXES = frozenset(
    ".pdf .jpg .jpeg .png .gif .webp .zip .rar .7z .gz .docx .xlsx .pptx .ofd .mp4 .mp3".split()
)


def _compression(name: str) -> int:
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED


def _zip_time(ev: Any) -> tuple[int, int, int, int, int, int]:
    """The member's date: the evidence's own date (zip dates start in 1980)."""
    d = ev.effective_date
    return (max(d.year, 1980), d.month, d.day, 0, 0, 0)


def write_package(rnd: Round, out: IO[bytes], progress: Progress) -> None:
    items = members(rnd)
    total = len(items)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for done, (name, ev, _row) in enumerate(items, start=1):
            digest = hashlib.sha256()
            info = zipfile.ZipInfo(name, date_time=_zip_time(ev))
            info.compress_type = _compression(name)
            with (
                default_storage.open(ev.file.storage_name, "rb") as src,
                zf.open(info, "w", force_zip64=ev.file.size > 2**31) as dst,
            ):
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != ev.file.sha256:
                raise DomainError(
                    _(
                        "佐证材料“%(title)s”的文件内容与登记的校验值不符,文件可能已损坏,未生成材料包。"
                    )
                    % {"title": ev.title}
                )
            progress(done, total)
        index = io.BytesIO()
        write_list(
            index,
            title=_("目录"),
            headers=[
                _("文件"),
                _("包内路径"),
                _("评分细则"),
                _("提供单位"),
                _("材料日期"),
                _("大小(字节)"),
                "SHA-256",
            ],
            rows=(
                [
                    ev.title,
                    name,
                    row or _("未关联评分细则"),
                    ev.unit.name,
                    ev.effective_date,
                    ev.file.size,
                    ev.file.sha256,
                ]
                for name, ev, row in items
            ),
            caption=f"{rnd.campaign.name} {rnd.name}",
        )
        zf.writestr(_("目录") + ".xlsx", index.getvalue())
    progress(total, total)


def _resolve(user: Any, pk: int, params: Mapping[str, str]) -> Round:
    if user is None:
        rnd = Round.objects.select_related("campaign").filter(pk=pk).first()
        if rnd is None:
            raise Http404
        return rnd
    rnd = access_round(user, pk)
    # The same rule as evidence downloads (evidence/access.py): the whole round's evidence is
    # for those who read all material of its region; a liaison sees only their unit's, so no
    # package.
    regions = readable_region_ids(user)
    if regions is not None and rnd.campaign.region_id not in (material_region_ids(user) or ()):
        raise Http404
    return rnd


KIND = register(
    ExportKind(
        key="round-zip",
        label=gettext_lazy("佐证材料包"),
        resolve=_resolve,
        filename=lambda rnd, params: f"{rnd.campaign.name}-{rnd.name}-佐证材料包.zip",
        content_type=ZIP_TYPE,
        write=lambda rnd, out, params, progress: write_package(rnd, out, progress),
        background=True,
    )
)
