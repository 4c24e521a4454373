"""An xlsx download of a list page: the list's rows written with `xlsx.write_list` into a response
with a Chinese file name (a bottom-layer helper for the apps' list views)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse

from .xlsx import XLSX_TYPE, write_list

MAX_ROWS = 20000


def xlsx_download(
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str = "",
) -> FileResponse:
    out = tempfile.TemporaryFile()

    def capped() -> Iterable[Sequence[Any]]:
        for index, row in enumerate(rows):
            if index >= MAX_ROWS:
                return
            yield row

    write_list(out, title=title, headers=headers, rows=capped(), caption=caption)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def filters_caption(form: Any) -> str:
    """A list's filters in words for the export's caption line ("筛选条件:状态:已销号;单位:…"):
    each applied field's label and its value as the page shows it (a choice's label, not its
    code). Empty when nothing is filtered or the form is unbound or invalid."""
    from django import forms
    from django.utils.translation import gettext as _

    data = getattr(form, "cleaned_data", None) if form is not None and form.is_bound else None
    parts = []
    for name, value in (data or {}).items():
        if value in (None, "", False) or name not in form.fields:
            continue
        if isinstance(value, list | tuple | set) and not value:
            continue
        field = form.fields[name]
        if value is True:
            shown: Any = _("是")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = dict(_flat_choices(field.choices))
            shown = labels.get(value, value)
        elif isinstance(value, list | tuple | set):
            shown = "、".join(str(v) for v in value)
        else:
            shown = value
        parts.append(f"{field.label}:{shown}")
    return _("筛选条件:%(filters)s") % {"filters": ";".join(parts)} if parts else ""


def _flat_choices(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield key, label
