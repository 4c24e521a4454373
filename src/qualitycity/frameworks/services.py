"""Writes to scoring tables: importing another city's table (xlsx or docx) as a new framework.

A framework is stored whole and never edited (`loader.store_spec`, which records the audit
event); what may be imported, and when, is decided here for the page and the CLI alike.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.access import is_office

from .loader import store_spec
from .models import Framework
from .xlsx_table import ImportPlan


def import_framework(
    plan: ImportPlan, *, by: Any, source_file: str, accept_warnings: bool = False
) -> tuple[Framework, bool]:
    """Store the plan's table as a new framework version (or find the identical one stored
    before: `created` is then False). `by` None is the system (the CLI). Refused, with nothing
    written, when the file has errors, or warnings the user has not accepted."""
    if by is not None and not is_office(by):
        raise NotAllowed(_("只有创质办或系统管理员可以导入考核评分体系。"))
    if plan.spec is None or plan.errors:
        raise ValidationFailed(_("文件有错误,未导入,没有写入任何数据。"))
    if plan.warnings and not accept_warnings:
        raise ValidationFailed(
            _("文件有 %(n)s 个警告,请逐条核对并勾选“已核对警告”后再导入。")
            % {"n": len(plan.warnings)}
        )
    return store_spec(plan.spec, by=by, source_file=source_file)
