"""Refuse an oversized evidence file while it streams in, before it fills the disk."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts each file's bytes and skips a file past the limit,
    leaving the reason on the request (`request.upload_refusal`) for the page to show."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        limit = settings.EVIDENCE_MAX_BYTES
        if self.content_length is not None and self.content_length > limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.EVIDENCE_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        mb = settings.EVIDENCE_MAX_BYTES / (1024 * 1024)
        self.request.upload_refusal = _("文件超过大小上限 %(mb)s MB(%(name)s),已拒收。") % {
            "name": self.file_name,
            "mb": f"{mb:g}",
        }
        raise SkipFile
