"""Loading an organisation from a file in two steps: read and plan here, apply in services.

`read_org_file(name, content)` reads YAML or xlsx into rows (sections 行政区 / 单位 / 单位组),
refusing hostile files (size, rows, formulas, NUL characters, overlong texts) with row errors.
`plan_org_load(org_file, by=)` checks every row against the database as it stands (the
directories it touches are fetched once, whatever the file's size) and the user's permissions, and
computes what would be created or changed; nothing is written. `services.apply_org_plan` writes a
clean plan in one transaction. `export_org` writes what `read_org_file` reads back.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.validators import validate_slug
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from qualitycity import archives
from qualitycity.errors import ValidationFailed

from .access import scope_of
from .choices import RegionKind, UnitKind
from .models import Alias, Region, Unit, UnitGroup, User

MAX_BYTES = 2 * 1024 * 1024  # an organisation file is a few hundred kB at most
MAX_ROWS = 5000  # per section
MAX_ITEMS = 1000  # aliases or members in one cell
MAX_UNZIPPED = 50 * 1024 * 1024  # an xlsx expanding beyond this is refused unread
MAX_COLUMNS = 20
MAX_DESCRIPTION = 2000

REGIONS, UNITS, GROUPS = "regions", "units", "groups"
SECTIONS = (REGIONS, UNITS, GROUPS)
# Section key → Chinese name: the xlsx sheet names and how errors name a section.
_SECTION_NAMES = {REGIONS: N_("行政区"), UNITS: N_("单位"), GROUPS: N_("单位组")}

# (key, Chinese heading, max length) per section; headings are msgids, so a sheet is read
# whatever the language of the file it was made from. Lists are aliases and members.
_COLUMNS: dict[str, tuple[tuple[str, str, int], ...]] = {
    REGIONS: (
        ("code", N_("代码"), 32),
        ("name", N_("名称"), 100),
        ("kind", N_("类型"), 40),
        ("parent", N_("上级行政区代码"), 32),
    ),
    UNITS: (
        ("code", N_("代码"), 40),
        ("name", N_("简称"), 100),
        ("full_name", N_("全称"), 200),
        ("kind", N_("类型"), 40),
        ("region", N_("行政区代码"), 32),
        ("aliases", N_("别名"), 100),
        ("active", N_("有效"), 10),
        ("moved_from", N_("原所属行政区代码"), 32),
    ),
    GROUPS: (
        ("code", N_("代码"), 40),
        ("name", N_("名称"), 100),
        ("region", N_("行政区代码"), 32),
        ("description", N_("说明"), MAX_DESCRIPTION),
        ("aliases", N_("别名"), 100),
        ("members", N_("成员单位"), 100),
    ),
}
_REQUIRED = {
    REGIONS: ("code", "name", "kind"),
    UNITS: ("code", "name", "kind", "region"),
    GROUPS: ("code", "name", "region"),
}
LIST_FIELDS = frozenset({"aliases", "members"})
# Field key → the label errors and the preview show.
_FIELD_LABELS = {
    "code": gettext_lazy("代码"),
    "name": gettext_lazy("名称"),
    "full_name": gettext_lazy("全称"),
    "kind": gettext_lazy("类型"),
    "parent": gettext_lazy("上级行政区"),
    "region": gettext_lazy("所属名录"),
    "aliases": gettext_lazy("别名"),
    "active": gettext_lazy("有效"),
    "moved_from": gettext_lazy("原所属行政区代码"),
    "description": gettext_lazy("说明"),
    "members": gettext_lazy("成员单位"),
    "position": gettext_lazy("排序"),
    "file": gettext_lazy("文件"),
}
_SPLIT = re.compile(r"[、\n\r]+")
_TRUE = {"是", "true", "yes", "1", "y", "有效"}
_FALSE = {"否", "false", "no", "0", "n", "无效"}

CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"


def section_name(section: str) -> str:
    return _(_SECTION_NAMES[section]) if section in _SECTION_NAMES else _("文件")


def field_label(key: str) -> str:
    return str(_FIELD_LABELS.get(key, key))


@dataclass(frozen=True)
class RowError:
    """One problem of one row: where it is (section, row number, field) and what is wrong."""

    section: str  # regions | units | groups | "" for the whole file
    line: int  # xlsx: the sheet's row number; YAML: the line the entry starts on; 0: no row
    field: str
    message: str

    @property
    def label(self) -> str:
        return field_label(self.field) if self.field and self.field != "file" else ""

    @property
    def where(self) -> str:
        if not self.section:
            return _("文件")
        if not self.line:
            return section_name(self.section)
        return _("%(section)s 第 %(line)s 行") % {
            "section": section_name(self.section),
            "line": self.line,
        }

    def render(self) -> str:
        if self.field and self.field != "file":
            return _("%(where)s,%(field)s:%(message)s") % {
                "where": self.where,
                "field": field_label(self.field),
                "message": self.message,
            }
        return _("%(where)s:%(message)s") % {"where": self.where, "message": self.message}


@dataclass
class Row:
    section: str
    line: int
    cells: dict[str, Any]  # text, or a list of names for aliases and members


@dataclass
class OrgFile:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    errors: list[RowError] = field(default_factory=list)


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read."""


# --- reading ---------------------------------------------------------------------------------


def _split_names(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _scalar_text(value: Any) -> str | None:
    """A cell's or a YAML scalar's text; None when it is not a scalar."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value).strip()
    return None


def _normalise(section: str, line: int, raw: dict[str, Any], errors: list[RowError]) -> Row:
    """Texts checked (scalar, no NUL, length) and lists split; problems become row errors."""
    cells: dict[str, Any] = {}
    for key, _heading, max_len in _COLUMNS[section]:
        value = raw.get(key)
        if key in LIST_FIELDS:
            if isinstance(value, list):
                items = [_scalar_text(v) for v in value]
                if any(i is None for i in items):
                    errors.append(RowError(section, line, key, _("应为名称列表。")))
                    items = [i for i in items if i]
            else:
                text = _scalar_text(value)
                if text is None:
                    errors.append(RowError(section, line, key, _("应为名称列表。")))
                    text = ""
                items = _split_names(text)
            names = [str(i).strip() for i in items if str(i).strip()]
            if len(names) > MAX_ITEMS:
                errors.append(
                    RowError(section, line, key, _("最多 %(n)s 个名称。") % {"n": MAX_ITEMS})
                )
                names = names[:MAX_ITEMS]
            for name in names:
                if "\x00" in name:
                    errors.append(RowError(section, line, key, _("不能包含 NUL 字符。")))
                elif len(name) > max_len:
                    errors.append(
                        RowError(
                            section,
                            line,
                            key,
                            _("“%(name)s…”超过 %(n)s 个字符。") % {"name": name[:20], "n": max_len},
                        )
                    )
            cells[key] = [n for n in names if "\x00" not in n and len(n) <= max_len]
            continue
        text = _scalar_text(value)
        if text is None:
            errors.append(RowError(section, line, key, _("应为文本。")))
            text = ""
        if "\x00" in text:
            errors.append(RowError(section, line, key, _("不能包含 NUL 字符。")))
            text = text.replace("\x00", "")
        if len(text) > max_len:
            errors.append(
                RowError(section, line, key, _("不能超过 %(n)s 个字符。") % {"n": max_len})
            )
            text = text[:max_len]
        cells[key] = text
    return Row(section, line, cells)


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loading without anchors and aliases (no "billion laughs")."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted", event.start_mark
            )
        return super().compose_node(parent, index)


def _read_yaml(text: str) -> OrgFile:
    out = OrgFile()
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        out.errors.append(
            RowError(
                "",
                0,
                "file",
                _("YAML 语法错误(第 %(line)s 行):%(problem)s")
                % {"line": mark.line + 1 if mark else "?", "problem": problem},
            )
        )
        return out
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        out.errors.append(RowError("", 0, "file", _("组织数据必须是一个映射。")))
        return out
    lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value:
        if isinstance(value_node, yaml.SequenceNode):
            lines[str(key_node.value)] = [item.start_mark.line + 1 for item in value_node.value]
    unknown = sorted(str(k) for k in data if k not in SECTIONS)
    if unknown:
        out.errors.append(
            RowError(
                "",
                0,
                "file",
                _("未知的部分:%(keys)s(应为 regions、units、groups)。")
                % {"keys": "、".join(unknown)},
            )
        )
    for section in SECTIONS:
        items = data.get(section) or []
        if not isinstance(items, list):
            out.errors.append(RowError(section, 0, "", _("应为列表。")))
            continue
        if len(items) > MAX_ROWS:
            out.errors.append(
                RowError(section, 0, "", _("最多 %(n)s 行,已拒收。") % {"n": MAX_ROWS})
            )
            continue
        known = {key for key, _h, _n in _COLUMNS[section]}
        for index, item in enumerate(items):
            line = lines.get(section, [])[index] if index < len(lines.get(section, [])) else 0
            if not isinstance(item, dict):
                out.errors.append(RowError(section, line, "", _("每一项应为一个映射。")))
                continue
            extra = sorted(str(k) for k in item if k not in known)
            if extra:
                out.errors.append(
                    RowError(
                        section, line, "", _("未知字段:%(keys)s。") % {"keys": "、".join(extra)}
                    )
                )
            out.rows[section].append(_normalise(section, line, item, out.errors))
    return out


def _header_key(section: str, text: str) -> str | None:
    label = text.strip().strip("*").strip()
    for key, heading, _n in _COLUMNS[section]:
        if label in (key, heading, _(heading)):
            return key
    return None


def _sheet_section(title: str) -> str | None:
    for section, name in _SECTION_NAMES.items():
        if title.strip() in (section, name, _(name)):
            return section
    return None


def _read_xlsx(content: bytes) -> OrgFile:
    from openpyxl import load_workbook

    out = OrgFile()
    # Inflated and measured (archives.xlsx_refusal), not trusted to its declared sizes.
    limits = archives.Limits(max_total=MAX_UNZIPPED, max_ratio=100, max_members=200, max_depth=1)
    refused = archives.xlsx_refusal(content, limits)
    if refused and refused.reason == "damaged":
        raise FileRefused(_("无法读取该 Excel 文件。"))
    if refused:
        raise FileRefused(_("该 Excel 文件解压后过大,已拒收。"))
    try:
        # read_only streams rows; formulas are never evaluated (data_only=False keeps them as
        # formulas, and they are refused below).
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("无法读取该 Excel 文件。")) from exc
    try:
        found = False
        for sheet in book.worksheets:
            section = _sheet_section(sheet.title)
            if section is None:
                continue
            found = True
            _read_sheet(sheet, section, out)
        if not found:
            raise FileRefused(
                _("Excel 文件中没有名为“行政区”“单位”或“单位组”的工作表,请使用下载的模板。")
            )
    finally:
        book.close()
    return out


def _read_sheet(sheet: Any, section: str, out: OrgFile) -> None:
    keys: list[str | None] | None = None
    count = 0
    for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        values = []
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                out.errors.append(RowError(section, line, "", _("不接受公式,请填写文本。")))
                values.append("")
            else:
                values.append(getattr(cell, "value", None))
        if not any(v not in (None, "") for v in values):
            continue
        if keys is None:
            keys = [_header_key(section, str(v or "")) for v in values]
            missing = [
                _(h) for k, h, _n in _COLUMNS[section] if k in _REQUIRED[section] and k not in keys
            ]
            if missing:
                out.errors.append(
                    RowError(
                        section,
                        line,
                        "",
                        _("表头缺少以下列:%(columns)s。请使用下载的模板。")
                        % {"columns": "、".join(missing)},
                    )
                )
                return
            continue
        count += 1
        if count > MAX_ROWS:
            out.errors.append(
                RowError(section, 0, "", _("最多 %(n)s 行,已拒收。") % {"n": MAX_ROWS})
            )
            return
        raw = {k: v for k, v in zip(keys, values, strict=False) if k is not None}
        out.rows[section].append(_normalise(section, line, raw, out.errors))


def read_org_file(name: str, content: bytes) -> OrgFile:
    """The rows of a YAML or xlsx organisation file; FileRefused when it cannot be read."""
    if not content:
        raise FileRefused(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise FileRefused(_("文件不能超过 %(mb)s MB。") % {"mb": f"{MAX_BYTES / (1024 * 1024):g}"})
    lower = (name or "").lower()
    if content[:4] == b"PK\x03\x04":
        if not lower.endswith(".xlsx"):
            raise FileRefused(_("只接受 .yaml、.yml 或 .xlsx 文件。"))
        return _read_xlsx(content)
    if not lower.endswith((".yaml", ".yml")):
        raise FileRefused(_("只接受 .yaml、.yml 或 .xlsx 文件。"))
    if b"\x00" in content:
        raise FileRefused(_("文件包含 NUL 字符,已拒收。"))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(_("YAML 文件必须是 UTF-8 编码。")) from exc
    return _read_yaml(text)


# --- planning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diff:
    field: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return field_label(self.field)


@dataclass
class Change:
    """What loading does to one region, unit or group."""

    kind: str  # region | unit | group
    action: str  # create | change | unchanged
    directory: str  # the region code whose directory it is in (a region: its own code)
    code: str
    name: str
    line: int
    pk: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # what apply writes
    diffs: list[Diff] = field(default_factory=list)


@dataclass
class OrgPlan:
    changes: list[Change]
    errors: list[RowError]
    by_id: int | None
    region_names: dict[str, str]

    @property
    def clean(self) -> bool:
        return not self.errors

    @property
    def writes(self) -> list[Change]:
        return [c for c in self.changes if c.action != UNCHANGED]

    def counts(self) -> dict[str, int]:
        out = {CREATE: 0, CHANGE: 0, UNCHANGED: 0}
        for change in self.changes:
            out[change.action] += 1
        return out

    def fingerprint(self) -> str:
        """Changes as data: two plans with the same fingerprint write the same."""
        data = [
            [
                c.kind,
                c.action,
                c.directory,
                c.code,
                c.pk,
                c.values,
                [list(d.__dict__.values()) for d in c.diffs],
            ]
            for c in self.changes
        ]
        data.append([[e.section, e.line, e.field, e.message] for e in self.errors])
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()

    def by_region(self) -> list[dict[str, Any]]:
        """The changes grouped by directory, in the file's order, for the preview."""
        groups: dict[str, dict[str, Any]] = {}
        for change in self.changes:
            entry = groups.setdefault(
                change.directory,
                {
                    "code": change.directory,
                    "name": self.region_names.get(change.directory, change.directory),
                    "changes": [],
                    "unchanged": 0,
                },
            )
            if change.action == UNCHANGED:
                entry["unchanged"] += 1
            else:
                entry["changes"].append(change)
        return list(groups.values())

    def error_lines(self) -> list[str]:
        return [e.render() for e in self.errors]


@dataclass
class _RegionState:
    pk: int | None
    code: str
    name: str
    kind: str
    parent: str  # parent code, "" for none
    line: int = 0  # the file row defining it (0: only in the database)


def _kind_map(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Value, Chinese label and the active language's label → value."""
    out: dict[str, str] = {}
    choices = list(choices)
    with translation.override("zh-hans"):
        for value, label in choices:
            out[str(label)] = value
    for value, label in choices:
        out[str(label)] = value
        out[value] = value
    return out


def _kind_label(choices_cls: Any, value: str) -> str:
    try:
        return str(choices_cls(value).label)
    except ValueError:
        return value


def _bool(text: str) -> bool | None:
    text = text.strip().lower()
    if not text:
        return True
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _names(items: Iterable[str], exclude: str = "") -> list[str]:
    out: list[str] = []
    for raw in items:
        name = raw.strip().strip("、,,")  # noqa: B005 — as services._clean_names
        if name and name != exclude and name not in out:
            out.append(name)
    return out


def _joined(names: Iterable[str]) -> str:
    return "、".join(names)


class _Planner:
    def __init__(self, org_file: OrgFile, by: User | None) -> None:
        self.file = org_file
        self.by = by
        self.errors: list[RowError] = list(org_file.errors)
        self.bad_rows = {(e.section, e.line) for e in self.errors if e.line}
        self.changes: list[Change] = []
        scope = scope_of(by) if by is not None else None
        self.admin = by is None or bool(scope and scope.admin)
        self.managed: frozenset[int] = scope.managed if scope is not None else frozenset()

    def error(self, row: Row, key: str, message: str) -> None:
        self.errors.append(RowError(row.section, row.line, key, message))
        self.bad_rows.add((row.section, row.line))

    def has_errors(self, row: Row) -> bool:
        return (row.section, row.line) in self.bad_rows

    def may_manage(self, region: _RegionState | None) -> bool:
        return self.admin or (region is not None and region.pk in self.managed)

    # -- regions

    def plan_regions(self) -> None:
        db: dict[str, _RegionState] = {}
        for pk, code, name, kind, parent in Region.objects.values_list(
            "pk", "code", "name", "kind", "parent__code"
        ):
            db[code] = _RegionState(pk, code, name, kind, parent or "")
        self.db_regions = db
        final = dict(db)
        kinds = _kind_map(RegionKind.choices)
        seen: dict[str, int] = {}
        rows: list[tuple[Row, _RegionState]] = []
        for row in self.file.rows[REGIONS]:
            c = row.cells
            code, name = c["code"], c["name"]
            if not code:
                self.error(row, "code", _("不能为空。"))
                continue
            if code in seen:
                self.error(
                    row,
                    "code",
                    _("代码“%(code)s”在文件中重复(第 %(line)s 行已使用)。")
                    % {"code": code, "line": seen[code]},
                )
                continue
            seen[code] = row.line
            if not name:
                self.error(row, "name", _("不能为空。"))
            kind = kinds.get(c["kind"])
            if kind is None:
                self.error(
                    row,
                    "kind",
                    _("行政区类型“%(kind)s”无效,可填:%(choices)s。")
                    % {
                        "kind": c["kind"],
                        "choices": _joined(str(lbl) for _v, lbl in RegionKind.choices),
                    },
                )
            state = _RegionState(
                db[code].pk if code in db else None, code, name, kind or "", c["parent"], row.line
            )
            final[code] = state
            rows.append((row, state))
        self.regions = final
        names_by_parent: dict[tuple[str, str], str] = {}
        for state in final.values():
            names_by_parent.setdefault((state.parent, state.name), state.code)
        positions: dict[str, int] = {}
        for row, state in rows:
            position = positions.get(state.parent, 0)
            positions[state.parent] = position + 1
            self._plan_region(row, state, final, names_by_parent, position)

    def _plan_region(
        self,
        row: Row,
        state: _RegionState,
        final: dict[str, _RegionState],
        names_by_parent: dict[tuple[str, str], str],
        position: int,
    ) -> None:
        code, parent = state.code, state.parent
        if parent:
            if parent == code:
                self.error(row, "parent", _("上级行政区不能是它自己。"))
            elif parent not in final:
                self.error(row, "parent", _("上级行政区“%(code)s”不存在。") % {"code": parent})
            elif self._cycles(code, final):
                self.error(row, "parent", _("上级行政区形成循环。"))
        elif state.kind != RegionKind.PROVINCE:
            self.error(row, "parent", _("除省级行政区外,必须填写上级行政区代码。"))
        other = names_by_parent.get((parent, state.name))
        if other is not None and other != code:
            self.error(
                row,
                "name",
                _("同一上级行政区下已有同名行政区“%(name)s”(代码 %(code)s)。")
                % {"name": state.name, "code": other},
            )
        before = self.db_regions.get(code)
        if before is None:
            action = CREATE
            diffs = []
        else:
            diffs = [
                Diff(key, str(b), str(a))
                for key, b, a in (
                    ("name", before.name, state.name),
                    (
                        "kind",
                        _kind_label(RegionKind, before.kind),
                        _kind_label(RegionKind, state.kind),
                    ),
                    ("parent", before.parent, state.parent),
                )
                if b != a
            ]
            action = CHANGE if diffs else UNCHANGED
        if action != UNCHANGED and not self.admin:
            parent_state = final.get(parent) if parent else None
            if state.kind == RegionKind.PROVINCE or (
                before is not None and before.kind == RegionKind.PROVINCE
            ):
                self.error(row, "kind", _("只有系统管理员可以创建或修改省级行政区。"))
            elif action == CREATE and not self.may_manage(parent_state):
                self.error(
                    row,
                    "parent",
                    _("只能在本创质办所管理的行政区下创建下级行政区。"),
                )
            elif action == CHANGE:
                old_parent = self.db_regions.get(before.parent) if before.parent else None
                if not (self.may_manage(before) or self.may_manage(old_parent)) or not (
                    self.may_manage(parent_state) or parent == before.parent
                ):
                    self.error(row, "name", _("不能修改其他创质办管理的行政区。"))
        if self.has_errors(row):
            return
        depth = 0
        walk = state
        while walk.parent and walk.parent in final and depth < 50:
            walk = final[walk.parent]
            depth += 1
        self.changes.append(
            Change(
                "region",
                action,
                code,
                code,
                state.name,
                row.line,
                pk=state.pk,
                values={
                    "name": state.name,
                    "kind": state.kind,
                    "parent": parent,
                    "depth": depth,
                    "position": position,  # used only when the region is created
                },
                diffs=diffs,
            )
        )

    @staticmethod
    def _cycles(code: str, final: dict[str, _RegionState]) -> bool:
        seen = {code}
        walk = final[code]
        while walk.parent and walk.parent in final:
            if walk.parent in seen:
                return True
            seen.add(walk.parent)
            walk = final[walk.parent]
        return False

    # -- directories

    def fetch_directories(self) -> None:
        """Units, groups, aliases and members of every directory the file names: five queries."""
        codes = set()
        for section in (UNITS, GROUPS):
            for row in self.file.rows[section]:
                codes.add(row.cells["region"])
                if row.cells.get("moved_from"):
                    codes.add(row.cells["moved_from"])
        pks = {self.regions[c].pk for c in codes if c in self.regions and self.regions[c].pk}
        self.code_of = {s.pk: s.code for s in self.regions.values() if s.pk}
        self.db_units: dict[tuple[str, str], dict[str, Any]] = {}
        self.unit_by_pk: dict[int, dict[str, Any]] = {}
        for u in Unit.objects.filter(region_id__in=pks).values(
            "pk", "code", "name", "full_name", "kind", "is_active", "position", "region_id"
        ):
            u["region"] = self.code_of[u["region_id"]]
            u["aliases"] = []
            self.db_units[(u["region"], u["code"])] = u
            self.unit_by_pk[u["pk"]] = u
        self.db_groups: dict[tuple[str, str], dict[str, Any]] = {}
        group_by_pk: dict[int, dict[str, Any]] = {}
        for g in UnitGroup.objects.filter(region_id__in=pks).values(
            "pk", "code", "name", "description", "position", "region_id"
        ):
            g["region"] = self.code_of[g["region_id"]]
            g["aliases"], g["members"] = [], []
            self.db_groups[(g["region"], g["code"])] = g
            group_by_pk[g["pk"]] = g
        for name, unit_id, group_id in (
            Alias.objects.filter(Q(unit__region_id__in=pks) | Q(group__region_id__in=pks))
            .order_by("name")
            .values_list("name", "unit_id", "group_id")
        ):
            owner = self.unit_by_pk.get(unit_id) if unit_id else group_by_pk.get(group_id)
            if owner is not None:
                owner["aliases"].append(name)
        for group_id, unit_id, unit_code in UnitGroup.members.through.objects.filter(
            unitgroup__region_id__in=pks
        ).values_list("unitgroup_id", "unit_id", "unit__code"):
            group_by_pk[group_id]["members"].append((unit_id, unit_code))

    @staticmethod
    def _positions(rows: list[Row], db: dict[tuple[str, str], dict[str, Any]]) -> dict[int, int]:
        """Row line → position in its directory. A file that lists a whole directory orders it;
        otherwise what exists keeps its place and new rows follow, in the file's order."""
        covered = set()
        for row in rows:
            covered.add((row.cells["region"], row.cells["code"]))
            if row.cells.get("moved_from"):
                covered.add((row.cells["moved_from"], row.cells["code"]))
        complete: dict[str, bool] = {}
        following: dict[str, int] = {}
        for key, obj in db.items():
            complete[key[0]] = complete.get(key[0], True) and key in covered
            following[key[0]] = max(following.get(key[0], 0), obj["position"] + 1)
        out: dict[int, int] = {}
        index: dict[str, int] = {}
        for row in rows:
            region = row.cells["region"]
            position = index.get(region, 0)
            index[region] = position + 1
            existing = db.get((region, row.cells["code"]))
            if complete.get(region, True):
                out[row.line] = position
            elif existing is not None:
                out[row.line] = existing["position"]
            else:
                out[row.line] = following.get(region, 0)
                following[region] = out[row.line] + 1
        return out

    def _region_of(self, row: Row, key: str = "region") -> _RegionState | None:
        code = row.cells[key]
        if not code:
            self.error(row, key, _("不能为空。"))
            return None
        region = self.regions.get(code)
        if region is None:
            self.error(row, key, _("行政区“%(code)s”不存在。") % {"code": code})
        return region

    def _check_code(self, row: Row) -> str | None:
        code = row.cells["code"]
        if not code:
            self.error(row, "code", _("不能为空。"))
            return None
        try:
            validate_slug(code)
        except Exception:
            self.error(
                row,
                "code",
                _("代码“%(code)s”只能包含字母、数字、下划线或连字符。") % {"code": code},
            )
            return None
        return code

    # -- units

    def plan_units(self) -> None:
        kinds = _kind_map(UnitKind.choices)
        seen: dict[tuple[str, str], int] = {}
        positions = self._positions(self.file.rows[UNITS], self.db_units)
        self.unit_rows: list[tuple[Row, dict[str, Any], dict[str, Any] | None]] = []
        self.covered_units: set[int] = set()
        for row in self.file.rows[UNITS]:
            c = row.cells
            code = self._check_code(row)
            region = self._region_of(row)
            name = c["name"]
            if not name:
                self.error(row, "name", _("不能为空。"))
            kind = kinds.get(c["kind"])
            if kind is None:
                self.error(
                    row,
                    "kind",
                    _("单位类型“%(kind)s”无效,可填:%(choices)s。")
                    % {
                        "kind": c["kind"],
                        "choices": _joined(str(lbl) for _v, lbl in UnitKind.choices),
                    },
                )
            active = _bool(c["active"])
            if active is None:
                self.error(row, "active", _("请填写“是”或“否”。"))
            if code is None or region is None:
                continue
            key = (region.code, code)
            if key in seen:
                self.error(
                    row,
                    "code",
                    _("代码“%(code)s”在文件中重复(第 %(line)s 行已使用)。")
                    % {"code": code, "line": seen[key]},
                )
                continue
            seen[key] = row.line
            existing = self.db_units.get(key)
            moved_from = c["moved_from"]
            if moved_from and moved_from != region.code:
                source = self._region_of(row, "moved_from")
                old = self.db_units.get((moved_from, code)) if source else None
                if source is not None and old is None:
                    self.error(
                        row,
                        "moved_from",
                        _("%(region)s的名录中没有代码为“%(code)s”的单位。")
                        % {"region": source.name, "code": code},
                    )
                elif existing is not None:
                    self.error(
                        row,
                        "code",
                        _("%(region)s的名录中已有代码为“%(code)s”的单位。")
                        % {"region": region.name, "code": code},
                    )
                elif old is not None:
                    existing = old
                    if not self.admin:
                        self.error(
                            row,
                            "region",
                            _("单位不能移到其他行政区的名录(只有系统管理员可以)。"),
                        )
                    elif not self.may_manage(source):
                        self.error(row, "moved_from", _("不能修改其他行政区名录中的单位。"))
            position = positions[row.line]
            wanted = {
                "code": code,
                "name": name,
                "full_name": c["full_name"],
                "kind": kind or "",
                "region": region.code,
                "is_active": bool(active),
                "position": position,
                "aliases": sorted(_names(c["aliases"], exclude=name)),
            }
            if existing is not None:
                self.covered_units.add(existing["pk"])
            self.unit_rows.append((row, wanted, existing))
            if self.has_errors(row):
                continue
            action, diffs = self._unit_diffs(wanted, existing)
            if action != UNCHANGED and not self.may_manage(region):
                self.error(
                    row,
                    "region",
                    _("不能修改%(region)s的名录:只有本行政区的创质办或系统管理员可以。")
                    % {"region": region.name},
                )
                continue
            self.changes.append(
                Change(
                    "unit",
                    action,
                    region.code,
                    code,
                    name,
                    row.line,
                    pk=existing["pk"] if existing else None,
                    values=wanted,
                    diffs=diffs,
                )
            )

    def _unit_diffs(
        self, wanted: dict[str, Any], existing: dict[str, Any] | None
    ) -> tuple[str, list[Diff]]:
        if existing is None:
            return CREATE, []
        diffs = []
        for key in ("name", "full_name", "kind", "region", "is_active", "position", "aliases"):
            before, after = existing[key], wanted[key]
            if key == "aliases":
                before = sorted(before)
            if before != after:
                diffs.append(Diff(key, self._shown(key, before), self._shown(key, after)))
        return (CHANGE if diffs else UNCHANGED), diffs

    @staticmethod
    def _shown(key: str, value: Any) -> str:
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, list):
            return _joined(value)
        return str(value)

    # -- groups

    def plan_groups(self) -> None:
        seen: dict[tuple[str, str], int] = {}
        positions = self._positions(self.file.rows[GROUPS], self.db_groups)
        self.group_rows: list[tuple[Row, dict[str, Any], dict[str, Any] | None]] = []
        self.covered_groups: set[int] = set()
        for row in self.file.rows[GROUPS]:
            c = row.cells
            code = self._check_code(row)
            region = self._region_of(row)
            if not c["name"]:
                self.error(row, "name", _("不能为空。"))
            if code is None or region is None:
                continue
            key = (region.code, code)
            if key in seen:
                self.error(
                    row,
                    "code",
                    _("代码“%(code)s”在文件中重复(第 %(line)s 行已使用)。")
                    % {"code": code, "line": seen[key]},
                )
                continue
            seen[key] = row.line
            existing = self.db_groups.get(key)
            position = positions[row.line]
            wanted = {
                "code": code,
                "name": c["name"],
                "region": region.code,
                "description": c["description"],
                "position": position,
                "aliases": sorted(_names(c["aliases"], exclude=c["name"])),
                "members": _names(c["members"]),  # resolved to unit codes below
            }
            if existing is not None:
                self.covered_groups.add(existing["pk"])
            self.group_rows.append((row, wanted, existing))

    # -- names in each directory, members

    def check_names(self) -> None:
        """A name (of a unit, a group or an alias) belongs to one object of a directory, in the
        directory as it will be after loading."""
        fixed: dict[str, dict[str, str]] = {}  # region code → name → what uses it

        def owner(kind: str, name: str) -> str:
            return (_("单位“%(name)s”") if kind == "unit" else _("单位组“%(name)s”")) % {
                "name": name
            }

        for u in self.db_units.values():
            if u["pk"] not in self.covered_units:
                for n in [u["name"], *u["aliases"]]:
                    fixed.setdefault(u["region"], {})[n] = owner("unit", u["name"])
        for g in self.db_groups.values():
            if g["pk"] not in self.covered_groups:
                for n in [g["name"], *g["aliases"]]:
                    fixed.setdefault(g["region"], {})[n] = owner("group", g["name"])
        in_file: dict[str, dict[str, int]] = {}
        # name → the final unit's code, per directory, for members
        self.final_units: dict[str, dict[str, tuple[str, str]]] = {}
        for u in self.db_units.values():
            if u["pk"] not in self.covered_units:
                for n in [u["name"], *u["aliases"]]:
                    self.final_units.setdefault(u["region"], {})[n] = (u["code"], u["name"])
        for rows, kind in ((self.unit_rows, "unit"), (self.group_rows, "group")):
            for row, wanted, _existing in rows:
                region = wanted["region"]
                for key, n in [("name", wanted["name"])] + [
                    ("aliases", a) for a in wanted["aliases"]
                ]:
                    if not n:
                        continue
                    used = fixed.get(region, {}).get(n)
                    if used is not None:
                        self.error(
                            row,
                            key,
                            _("名称“%(name)s”已被本名录中其他单位、单位组或别名使用(%(owner)s)。")
                            % {"name": n, "owner": used},
                        )
                    elif n in in_file.setdefault(region, {}):
                        self.error(
                            row,
                            key,
                            _("名称“%(name)s”在文件的同一名录中重复(第 %(line)s 行已使用)。")
                            % {"name": n, "line": in_file[region][n]},
                        )
                    else:
                        in_file[region][n] = row.line
                        if kind == "unit":
                            self.final_units.setdefault(region, {})[n] = (
                                wanted["code"],
                                wanted["name"],
                            )
        self._drop_changes_with_errors()

    def _drop_changes_with_errors(self) -> None:
        sections = {"region": REGIONS, "unit": UNITS, "group": GROUPS}
        self.changes = [c for c in self.changes if (sections[c.kind], c.line) not in self.bad_rows]

    def finish_groups(self) -> None:
        for row, wanted, existing in self.group_rows:
            region = self.regions[wanted["region"]]
            units = self.final_units.get(region.code, {})
            codes: list[str] = []
            names: list[str] = []
            for member in wanted["members"]:
                found = units.get(member)
                if found is None:
                    self.error(
                        row,
                        "members",
                        _("成员“%(name)s”不是%(region)s名录中的单位。")
                        % {"name": member, "region": region.name},
                    )
                elif found[0] not in codes:
                    codes.append(found[0])
                    names.append(found[1])
            if self.has_errors(row):
                continue
            wanted = {**wanted, "members": sorted(codes)}
            if existing is None:
                action, diffs = CREATE, []
            else:
                before_codes = sorted(code for _pk, code in existing["members"])
                diffs = []
                for key in ("name", "description", "position", "aliases"):
                    b = existing[key]
                    if key == "aliases":
                        b = sorted(b)
                    elif key == "description":
                        b = b.strip()
                    if b != wanted[key]:
                        diffs.append(Diff(key, self._shown(key, b), self._shown(key, wanted[key])))
                if before_codes != wanted["members"]:
                    by_code = {
                        u["code"]: u["name"]
                        for u in self.db_units.values()
                        if u["region"] == region.code
                    }
                    diffs.append(
                        Diff(
                            "members",
                            _joined(by_code.get(c, c) for c in before_codes),
                            _joined(names),
                        )
                    )
                action = CHANGE if diffs else UNCHANGED
            if action != UNCHANGED and not self.may_manage(region):
                self.error(
                    row,
                    "region",
                    _("不能修改%(region)s的名录:只有本行政区的创质办或系统管理员可以。")
                    % {"region": region.name},
                )
                continue
            self.changes.append(
                Change(
                    "group",
                    action,
                    region.code,
                    wanted["code"],
                    wanted["name"],
                    row.line,
                    pk=existing["pk"] if existing else None,
                    values={**wanted, "member_names": names},
                    diffs=diffs,
                )
            )

    def plan(self) -> OrgPlan:
        self.plan_regions()
        self.fetch_directories()
        self.plan_units()
        self.plan_groups()
        self.check_names()
        self.finish_groups()
        order = {REGIONS: 0, UNITS: 1, GROUPS: 2, "": -1}
        self.errors.sort(key=lambda e: (order.get(e.section, 3), e.line))
        return OrgPlan(
            changes=self.changes,
            errors=self.errors,
            by_id=self.by.pk if self.by is not None else None,
            region_names={code: s.name for code, s in self.regions.items()},
        )


def plan_org_load(org_file: OrgFile, *, by: User | None) -> OrgPlan:
    """Every row checked and every change computed; nothing written. A constant number of
    queries whatever the file's size."""
    return _Planner(org_file, by).plan()


def plan_from_upload(name: str, content: bytes, *, by: User | None) -> OrgPlan:
    """Read and plan; a file that cannot be read at all becomes a plan with one error."""
    try:
        org_file = read_org_file(name, content)
    except FileRefused as exc:
        org_file = OrgFile(errors=[RowError("", 0, "file", m) for m in exc.messages])
        return OrgPlan([], org_file.errors, by.pk if by is not None else None, {})
    return plan_org_load(org_file, by=by)


# --- export ----------------------------------------------------------------------------------


def _tree(root: Region | None) -> tuple[list[Region], set[int]]:
    """Regions to write (ancestors of the root first, then the subtree in tree order) and the
    ids of the directories to write (the root's subtree; all without a root)."""
    regions = list(Region.objects.select_related("parent").order_by("position", "code"))
    children: dict[int | None, list[Region]] = {}
    for region in regions:
        children.setdefault(region.parent_id, []).append(region)
    ordered: list[Region] = []

    def walk(region: Region) -> None:
        ordered.append(region)
        for child in children.get(region.pk, []):
            walk(child)

    if root is None:
        for top in children.get(None, []):
            walk(top)
        return ordered, {r.pk for r in ordered}
    ancestors: list[Region] = []
    by_pk = {r.pk: r for r in regions}
    walk_up = by_pk[root.pk]
    while walk_up.parent_id:
        walk_up = by_pk[walk_up.parent_id]
        ancestors.insert(0, walk_up)
    walk(by_pk[root.pk])
    return ancestors + ordered, {r.pk for r in ordered}


def export_data(root: Region | None = None) -> dict[str, list[dict[str, Any]]]:
    """The organisation (or one region's subtree) as the YAML file's data."""
    regions, directories = _tree(root)
    out: dict[str, list[dict[str, Any]]] = {REGIONS: [], UNITS: [], GROUPS: []}
    for r in regions:
        out[REGIONS].append(
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "parent": r.parent.code if r.parent_id else None,
            }
        )
    region_order = {r.pk: i for i, r in enumerate(regions)}
    units = sorted(
        Unit.objects.filter(region_id__in=directories)
        .select_related("region")
        .prefetch_related("aliases"),
        key=lambda u: (region_order[u.region_id], u.position, u.code),
    )
    for u in units:
        entry: dict[str, Any] = {
            "code": u.code,
            "name": u.name,
            "full_name": u.full_name,
            "kind": u.kind,
            "region": u.region.code,
            "aliases": sorted(a.name for a in u.aliases.all()),
        }
        if not u.is_active:
            entry["active"] = False
        out[UNITS].append(entry)
    groups = sorted(
        UnitGroup.objects.filter(region_id__in=directories)
        .select_related("region")
        .prefetch_related("aliases", "members"),
        key=lambda g: (region_order[g.region_id], g.position, g.code),
    )
    for g in groups:
        out[GROUPS].append(
            {
                "code": g.code,
                "name": g.name,
                "region": g.region.code,
                "description": g.description,
                "aliases": sorted(a.name for a in g.aliases.all()),
                "members": [
                    m.name for m in sorted(g.members.all(), key=lambda m: (m.position, m.code))
                ],
            }
        )
    return out


def to_yaml(data: dict[str, list[dict[str, Any]]]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def to_xlsx(data: dict[str, list[dict[str, Any]]], *, notes: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8F0FB")
    for section in SECTIONS:
        sheet = book.create_sheet(_SECTION_NAMES[section])  # sheet names stay Chinese
        columns = [c for c in _COLUMNS[section] if c[0] != "moved_from"]
        sheet.append([heading for _k, heading, _n in columns])  # Chinese headings
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        for entry in data.get(section, []):
            values = []
            for key, _h, _n in columns:
                value = entry.get(key)
                if key == "kind" and section == REGIONS:
                    with translation.override("zh-hans"):
                        value = _kind_label(RegionKind, value or "")
                elif key in LIST_FIELDS:
                    value = "、".join(value or [])
                elif key == "active":
                    value = "否" if value is False else "是"
                values.append("" if value is None else str(value))
            sheet.append(values)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.data_type = "s"  # text, never a formula, even when it starts with "="
                cell.number_format = "@"
        for column, width in zip("ABCDEFGH", (14, 22, 30, 14, 14, 30, 30, 10), strict=False):
            sheet.column_dimensions[column].width = width
    if notes:
        guide = book.create_sheet(_("填写说明"))
        for line in instructions():
            guide.append([line])
        guide.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def instructions() -> list[str]:
    return [
        _("“行政区”表:代码、名称、类型(省、市、区、县、管理区、经济技术开发区)、上级行政区代码。"),
        _(
            "“单位”表:代码(字母、数字、下划线)、简称、全称、类型、行政区代码(单位所属名录)、别名、有效(是/否)。"
        ),
        _("“单位组”表:代码、名称、行政区代码、说明、别名、成员单位(同一名录中单位的名称)。"),
        _("别名和成员单位可写在一个单元格中,用“、”或换行分隔。"),
        _(
            "已有的行政区、单位和单位组按代码(单位和单位组按所属名录和代码)识别;行的顺序即名录中的顺序。"
        ),
        _("文件先经检查,有问题的行逐行列出;只有整个文件无误时才能导入。"),
    ]


def example_data() -> dict[str, list[dict[str, Any]]]:
    """A small example organisation for the template."""
    return {
        REGIONS: [
            {"code": "320000", "name": "江苏省", "kind": "province", "parent": None},
            {"code": "321200", "name": "泰州市", "kind": "city", "parent": "320000"},
        ],
        UNITS: [
            {
                "code": "sscjgj",
                "name": "市市场监管局",
                "full_name": "泰州市市场监督管理局",
                "kind": "政府部门",
                "region": "321200",
                "aliases": ["市市场监督管理局"],
            },
            {
                "code": "sfgw",
                "name": "市发改委",
                "full_name": "泰州市发展和改革委员会",
                "kind": "政府部门",
                "region": "321200",
                "aliases": [],
            },
        ],
        GROUPS: [
            {
                "code": "lxz",
                "name": "质量强市工作领导小组成员单位",
                "region": "321200",
                "description": "",
                "aliases": ["各成员单位"],
                "members": ["市市场监管局", "市发改委"],
            }
        ],
    }
