"""佐证材料: uploaded files stored once under their SHA-256, and the titled evidence made of them.

Evidence belongs to a campaign (referred to by name, so this app imports nothing above it) and is
linked to criteria here; rounds (assessments), progress reports and meetings (campaigns) link to
evidence from their side.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit


class EvidenceFile(models.Model):
    """The bytes of an uploaded file, stored once under their SHA-256."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    extension = models.CharField(_("文件类型"), max_length=10)
    mime = models.CharField(_("MIME 类型"), max_length=120)
    created_at = models.DateTimeField(_("首次上传"), auto_now_add=True)

    class Meta:
        db_table = "assessments_evidencefile"  # made by the assessments app before evidence was one
        verbose_name = _("文件")
        verbose_name_plural = _("文件")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}.{self.extension}"

    @property
    def storage_name(self) -> str:
        return f"evidence/{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class Evidence(models.Model):
    """佐证材料: a titled document from a unit, reusable across criteria and rounds."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("创建工作"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.ForeignKey(
        EvidenceFile, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="uses"
    )
    original_name = models.CharField(_("原文件名"), max_length=255)
    title = models.CharField(_("标题"), max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name=_("提供单位"), on_delete=models.PROTECT, related_name="evidence"
    )
    effective_date = models.DateField(_("材料日期"))
    description = models.TextField(_("说明"), blank=True, max_length=2000)
    criteria = models.ManyToManyField(
        Criterion,
        verbose_name=_("关联评分细则"),
        related_name="evidence",
        blank=True,
        db_table="assessments_evidence_criteria",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        db_table = "assessments_evidence"  # made by the assessments app before evidence was one
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(fields=["campaign", "effective_date"], name="evidence_date_idx"),
            # the library's order (newest first): the first page without sorting every row
            models.Index(fields=["-uploaded_at", "-id"], name="evidence_uploaded_idx"),
        ]

    def __str__(self) -> str:
        return self.title
