"""A plan's 主要措施 from pasted text or an uploaded file, checked against a campaign: what the
measures import page previews and confirms (the reading itself is plan_text's, pure).

`read_upload` gives the text of a .docx or .txt upload (checked before it is opened: size,
and a docx's inflated size). `preview` parses the text, applies the user's corrections of unit
names, and says for every printed name whether the campaign's directory knows it (with
suggestions when it does not) and which numbers are taken already. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from qualitycity import archives
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.naming import suggestions
from qualitycity.orgs.services import name_index

from .models import Campaign
from .plan_text import MeasureSpec, PlanText, parse_measures

MAX_BYTES = 5 * 1024 * 1024
MAX_CHARS = 200_000
DOCX_LIMITS = archives.Limits(
    max_total=50 * 1024 * 1024, max_ratio=100, max_members=500, max_depth=1
)


def docx_text(content: bytes) -> str:
    """The paragraphs of a Word file, one per line; refused before opening when it inflates
    beyond DOCX_LIMITS."""
    from docx import Document

    try:
        archives.inspect_zip(io.BytesIO(content), size=len(content), limits=DOCX_LIMITS)
    except archives.ZipRefused as exc:
        raise ValidationFailed(
            _("该 Word 文件无法读取或解压后过大(疑似压缩炸弹),已拒收。")
        ) from exc
    try:
        return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise ValidationFailed(_("无法读取该 Word 文件,请确认它是 .docx 格式。")) from exc


def plain_text(raw: bytes) -> str:
    """A .txt file's text: UTF-8, or GB18030 as Chinese offices often save it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(_("无法识别文件的编码,请另存为 UTF-8 文本。"))


def read_upload(name: str, content: bytes) -> str:
    if not content:
        raise ValidationFailed(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("文件超过 5 MB。"))
    lower = name.lower()
    if lower.endswith(".docx"):
        if content[:4] != b"PK\x03\x04":
            raise ValidationFailed(_("无法读取该 Word 文件,请确认它是 .docx 格式。"))
        text = docx_text(content)
    elif lower.endswith(".txt"):
        text = plain_text(content)
    else:
        raise ValidationFailed(_("只接受 Word(.docx)或文本(.txt)文件。"))
    if "\x00" in text:
        raise ValidationFailed(_("文件中含有无法识别的控制字符。"))
    return text


@dataclass
class NameCheck:
    name: str  # as it will be stored (after the user's correction)
    printed: str  # as the plan prints it
    known: bool
    suggestions: list[str] = field(default_factory=list)


@dataclass
class MeasureRow:
    spec: MeasureSpec
    lead: list[NameCheck]
    cooperating: list[NameCheck]
    problems: list[str]


@dataclass
class Preview:
    rows: list[MeasureRow]
    problems: list[tuple[int | None, str]]  # the reader's, by number
    corrections: list[NameCheck]  # each printed name the directory lacks, once, as corrected
    choices: list[str]  # every name of the directory, for the corrections
    fingerprint: str

    @property
    def measures(self) -> list[MeasureSpec]:
        return [r.spec for r in self.rows]

    @property
    def problem_count(self) -> int:
        return len(self.problems) + sum(len(r.problems) for r in self.rows)

    @property
    def blocking(self) -> list[str]:
        """What stops the import: names still unknown, numbers taken, measures without a lead."""
        out = [p for r in self.rows for p in r.problems]
        leaderless = {r.spec.number for r in self.rows if not r.spec.lead_units}
        out += [message for number, message in self.problems if number in leaderless]
        if not self.rows:
            out += [message for _number, message in self.problems]
        out += [
            _("“%(name)s”不是本行政区名录中的单位或单位组,请在下面选择对应的单位。")
            % {"name": n.printed}
            for n in self.corrections
            if not n.known
        ]
        return out


def _corrected(names: tuple[str, ...], mapping: Mapping[str, str]) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        fixed = mapping.get(name) or name
        if fixed not in out:
            out.append(fixed)
    return tuple(out)


def preview(campaign: Campaign, text: str, mapping: Mapping[str, str] | None = None) -> Preview:
    """The measures of `text` for `campaign`, with `mapping` (printed name → a directory name)
    applied. Two queries (the directory, the campaign's measure numbers)."""
    mapping = dict(mapping or {})
    plan: PlanText = parse_measures(text)
    index = name_index(campaign.region_id)
    mapping = {k: v for k, v in mapping.items() if v in index}
    taken = set(campaign.measures.values_list("number", flat=True))
    corrections: dict[str, NameCheck] = {}

    def check(printed: str) -> NameCheck:
        if printed in index:
            return NameCheck(printed, printed, True)
        found = corrections.get(printed)
        if found is None:
            chosen = mapping.get(printed)
            found = corrections[printed] = NameCheck(
                chosen or printed, printed, chosen is not None, suggestions(printed, index)
            )
        return found

    rows = []
    for m in plan.measures:
        spec = replace(
            m,
            lead_units=_corrected(m.lead_units, mapping),
            cooperating_units=_corrected(m.cooperating_units, mapping),
        )
        problems = []
        if m.number in taken:
            problems.append(
                _("第 %(n)s 项措施:本创建工作已有序号为 %(n)s 的措施。") % {"n": m.number}
            )
        rows.append(
            MeasureRow(
                spec,
                [check(n) for n in m.lead_units],
                [check(n) for n in m.cooperating_units],
                problems,
            )
        )
    choices = sorted({ref.canonical for ref in index.values()})
    digest = hashlib.sha256(text.encode())
    digest.update(json.dumps([sorted(index), sorted(taken)], ensure_ascii=False).encode())
    return Preview(rows, plan.problems, list(corrections.values()), choices, digest.hexdigest())
