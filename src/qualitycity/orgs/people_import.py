"""Bulk import of people (accounts with their first role) from an xlsx file: reading it
defensively and planning every row against the office's own region. Nothing here writes; the
clean plan goes to `services.import_people`.

The file: one sheet (the first, or one named 用户), a header row, then one person a row:
    用户名 (required) · 姓名 (required) · 电子邮箱 · 手机 · 角色 (required) · 单位
角色 is a role's name as the pages show it (创质办, 成员单位联络员 or 联络员, 评审专家, 领导) or its
code (office, liaison, assessor, leader); 单位 is a unit's name or alias in the region's directory
and is required for liaisons. The header row may list the columns in any order.

Hostile files: at most 1 MB, a zip of at most 50 members and 20 MB unpacked (shared strings at
most 5 MB), opened read-only, formulas refused (never evaluated), at most 500 people, every text
length-checked, NUL characters refused.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from qualitycity import archives
from qualitycity.errors import ValidationFailed

from .choices import Role
from .models import Region, Unit, User
from .services import OFFICE_ROLES, name_index

MAX_BYTES = 1024 * 1024
MAX_UNZIPPED = 20 * 1024 * 1024
MAX_SHARED_STRINGS = 5 * 1024 * 1024
MAX_MEMBERS = 50
MAX_ROWS = 500
MAX_COLUMNS = 12

# key, heading, maximum length
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("username", N_("用户名"), 150),
    ("full_name", N_("姓名"), 100),
    ("email", N_("电子邮箱"), 254),
    ("phone", N_("手机"), 40),
    ("role", N_("角色"), 20),
    ("unit", N_("单位"), 100),
)
REQUIRED = ("username", "full_name", "role")
HEADINGS = {heading: key for key, heading, _n in COLUMNS} | {"电话": "phone", "邮箱": "email"}
ROLE_NAMES = {
    **{str(label): value for value, label in Role.choices},
    **{value: value for value in Role.values},
    "联络员": Role.LIAISON,
    "专家": Role.ASSESSOR,
}
EXAMPLE_ROWS = (
    ("zhang-zhijian", "张明", "zhangming@example.cn", "13800000001", "成员单位联络员", "市质监局"),
    ("li-office", "李华", "lihua@example.cn", "13800000002", "创质办", ""),
    ("wang-leader", "王强", "", "", "领导", ""),
)


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read."""


@dataclass
class PersonRow:
    line: int  # the sheet's row number
    values: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)
    role: str = ""
    unit_id: int | None = None
    unit_name: str = ""

    def problem(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    @property
    def problem_rows(self) -> list[dict[str, str]]:
        labels = {key: _(heading) for key, heading, _n in COLUMNS}
        # No column label before a message that names its column already.
        rows = []
        for key, message in self.problems:
            label = labels.get(key, "")
            rows.append({"label": "" if label and label in message else label, "message": message})
        return rows

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.values["role"]


@dataclass
class PeoplePlan:
    region: Region
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the file as a whole

    @property
    def clean(self) -> bool:
        return bool(self.rows) and not self.errors and not any(r.problems for r in self.rows)

    @property
    def problem_count(self) -> int:
        return len(self.errors) + sum(len(r.problems) for r in self.rows)

    def fingerprint(self) -> str:
        data = [self.region.pk, [[r.values, r.role, r.unit_id] for r in self.rows]]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


# --- reading ---------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value).strip()
    return None


def _check_zip(content: bytes) -> None:
    """Inflated and measured (archives.xlsx_refusal), not trusted to its declared sizes."""
    shared = "xl/sharedStrings.xml"
    limits = archives.Limits(
        max_total=MAX_UNZIPPED,
        max_ratio=100,
        max_members=MAX_MEMBERS,
        max_depth=1,
        member_limits={shared: MAX_SHARED_STRINGS},
    )
    refused = archives.xlsx_refusal(content, limits)
    if refused and refused.reason == "damaged":
        raise FileRefused(_("无法读取该 Excel 文件。"))
    if refused and shared in str(refused):
        raise FileRefused(_("该 Excel 文件的文本表过大,已拒收。"))
    if refused:
        raise FileRefused(_("该 Excel 文件解压后过大,已拒收。"))


def read_people_file(name: str, content: bytes) -> tuple[list[PersonRow], list[str]]:
    """The rows of an xlsx people file and the file's own problems; FileRefused when it cannot
    be read at all."""
    from openpyxl import load_workbook

    if not content:
        raise FileRefused(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise FileRefused(_("文件不能超过 %(mb)s MB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if not (name or "").lower().endswith(".xlsx") or content[:4] != b"PK\x03\x04":
        raise FileRefused(_("只接受 Excel(.xlsx)文件,请使用下载的模板。"))
    _check_zip(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_("无法读取该 Excel 文件。")) from exc
    try:
        sheets = book.worksheets
        if not sheets:
            raise FileRefused(_("Excel 文件中没有工作表。"))
        sheet = next((s for s in sheets if s.title.strip() == "用户"), sheets[0])
        return _read_sheet(sheet)
    finally:
        book.close()


def _read_sheet(sheet: Any) -> tuple[list[PersonRow], list[str]]:
    rows: list[PersonRow] = []
    errors: list[str] = []
    keys: list[str | None] | None = None
    for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        formula = any(getattr(c, "data_type", None) == "f" for c in cells)
        values = [None if getattr(c, "data_type", None) == "f" else c.value for c in cells]
        if not formula and not any(v not in (None, "") for v in values):
            continue
        if keys is None:
            keys = [HEADINGS.get(str(v or "").strip()) for v in values]
            missing = [_(h) for k, h, _n in COLUMNS if k in REQUIRED and k not in keys]
            if missing:
                errors.append(
                    _("表头缺少以下列:%(columns)s。请使用下载的模板。")
                    % {"columns": "、".join(missing)}
                )
                return rows, errors
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(_("一次最多导入 %(n)s 人,请分批导入。") % {"n": MAX_ROWS})
            return rows, errors
        row = PersonRow(line, {key: "" for key, _h, _n in COLUMNS})
        if formula:
            row.problem("", _("不接受公式,请填写文本。"))
        for key, value in zip(keys, values, strict=False):
            if key is None:
                continue
            text = _text(value)
            if text is None:
                row.problem(key, _("应为文本。"))
                text = ""
            row.values[key] = text
        rows.append(row)
    if keys is None:
        errors.append(_("文件中没有数据,请使用下载的模板。"))
    elif not rows:
        errors.append(_("文件中只有表头,没有要导入的人员。"))
    return rows, errors


# --- planning --------------------------------------------------------------------------------


def suggestion(name: str, names: list[str]) -> str:
    """The directory name closest to a name typed (containment first), or ''."""
    inside = [n for n in names if name in n or n in name]
    if inside:
        return min(inside, key=lambda n: abs(len(n) - len(name)))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return close[0] if close else ""


def plan_people(
    rows: list[PersonRow], errors: list[str], *, region: Region, by: User | None
) -> PeoplePlan:
    """Check every row against the region's directory and the accounts there are (a fixed
    number of queries, whatever the file's size)."""
    from .access import is_admin

    plan = PeoplePlan(region=region, rows=rows, errors=list(errors))
    allowed = Role.values if by is None or is_admin(by) else list(OFFICE_ROLES)
    index = name_index(region)
    active_units = set(
        Unit.objects.filter(region=region, is_active=True).values_list("pk", flat=True)
    )
    names = sorted(n for n, ref in index.items() if ref.kind == "unit")
    wanted = [r.values["username"] for r in rows if r.values["username"]]
    # Usernames that differ only in case are refused like a repeat: they confuse people.
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in={w.lower() for w in wanted})
        .values_list("lowered", flat=True)
    )
    seen: dict[str, int] = {}
    validator = UnicodeUsernameValidator()
    for row in rows:
        v = row.values
        for key, _heading, max_len in COLUMNS:
            if "\x00" in v[key]:
                row.problem(key, _("包含 NUL 字符。"))
            elif len(v[key]) > max_len:
                row.problem(key, _("最多 %(n)s 个字符。") % {"n": max_len})
        username = v["username"]
        if not username:
            row.problem("username", _("缺少用户名。"))
        else:
            try:
                validator(username)
            except ValidationError:
                row.problem("username", _("用户名只能包含字母、数字和 @/./+/-/_ 字符。"))
            if username.lower() in seen:
                row.problem(
                    "username",
                    _("用户名“%(u)s”与第 %(line)s 行重复。")
                    % {"u": username, "line": seen[username.lower()]},
                )
            else:
                seen[username.lower()] = row.line
            if username.lower() in taken:
                row.problem("username", _("用户名“%(u)s”已被使用。") % {"u": username})
        if not v["full_name"]:
            row.problem("full_name", _("缺少姓名。"))
        if v["email"]:
            try:
                validate_email(v["email"])
            except ValidationError:
                row.problem("email", _("电子邮箱“%(e)s”无效。") % {"e": v["email"]})
        role = ROLE_NAMES.get(v["role"], "")
        if not v["role"]:
            row.problem("role", _("缺少角色。"))
        elif not role:
            row.problem(
                "role",
                _("未知角色“%(r)s”,可填:%(choices)s。")
                % {
                    "r": v["role"],
                    "choices": "、".join(str(Role(r).label) for r in allowed),
                },
            )
        elif role not in allowed:
            row.problem("role", _("创质办不能授予“%(role)s”角色。") % {"role": Role(role).label})
        row.role = role
        if v["unit"]:
            ref = index.get(v["unit"])
            if ref is None or ref.kind != "unit":
                hint = suggestion(v["unit"], names)
                message = _("“%(unit)s”不在%(region)s的单位名录中。") % {
                    "unit": v["unit"],
                    "region": region.name,
                }
                if hint:
                    message += _("是否指“%(hint)s”?") % {"hint": index[hint].canonical}
                row.problem("unit", message)
            elif ref.pk not in active_units:
                row.problem("unit", _("单位“%(unit)s”已停用。") % {"unit": ref.canonical})
            else:
                row.unit_id, row.unit_name = ref.pk, ref.canonical
        elif role == Role.LIAISON:
            row.problem("unit", _("成员单位联络员必须填写单位。"))
    return plan


def plan_from_upload(name: str, content: bytes, *, region: Region, by: User | None) -> PeoplePlan:
    """Read and plan an upload; a file that cannot be read becomes a plan with its error."""
    try:
        rows, errors = read_people_file(name, content)
    except FileRefused as exc:
        return PeoplePlan(region=region, errors=list(exc.messages))
    return plan_people(rows, errors, region=region, by=by)


def template_xlsx() -> bytes:
    """The template: the header row, three example rows and the filling notes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "用户"
    sheet.append([_(h) for _k, h, _n in COLUMNS])
    for row in EXAMPLE_ROWS:
        sheet.append(list(row))
    for letter, width in zip("ABCDEF", (18, 10, 24, 14, 16, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("说明")
    for line in instructions():
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def instructions() -> list[str]:
    return [
        _("每行一人,第一行为表头:用户名、姓名、电子邮箱、手机、角色、单位。"),
        _("用户名、姓名和角色必填;用户名只能包含字母、数字和 @/./+/-/_。"),
        _("角色填写:创质办、成员单位联络员(或“联络员”)、评审专家、领导。"),
        _("单位填写本行政区单位名录中的简称或别名;成员单位联络员必须填写单位。"),
        _("新账号没有密码:导入时可向填写了电子邮箱的人发送设置密码的一次性链接。"),
        _("文件不超过 1 MB,一次最多 %(n)s 人;不接受公式。") % {"n": MAX_ROWS},
    ]
