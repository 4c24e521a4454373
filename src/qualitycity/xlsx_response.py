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
