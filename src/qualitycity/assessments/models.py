from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qualitycity.campaigns.models import Campaign
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit

from .choices import FindingStatus, NAStatus, RoundKind, RoundStatus


class Round(models.Model):
    """考核轮次: one assessment of a campaign against its framework."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.PROTECT, related_name="rounds"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=RoundKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审专家"),
        related_name="assessed_rounds",
        blank=True,
    )
    reopen_reason = models.TextField(_("重新开放原因"), blank=True, max_length=2000)
    evidence = models.ManyToManyField(
        Evidence,
        verbose_name=_("佐证材料"),
        related_name="rounds",
        blank=True,
        # Evidence.rounds before evidence became its own app; same table, same columns.
        db_table="assessments_evidence_rounds",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")
        ordering = ["-start", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="round_dates")]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """得分: one criterion in one round, with the input its rule takes."""

    round = models.ForeignKey(
        Round, verbose_name=_("考核轮次"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("评分细则"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.JSONField(_("评分输入"), null=True, blank=True)
    points = models.DecimalField(_("得分"), max_digits=8, decimal_places=2, null=True, blank=True)
    override_reason = models.TextField(_("人工调整原因"), blank=True, max_length=2000)
    comment = models.TextField(_("评语"), blank=True, max_length=5000)
    na_status = models.CharField(
        _("合理缺项"), max_length=10, choices=NAStatus.choices, default=NAStatus.NONE, blank=True
    )
    na_reason = models.TextField(_("合理缺项理由"), blank=True, max_length=2000)
    na_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("合理缺项审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("佐证材料"), related_name="scores", blank=True
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("得分")
        verbose_name_plural = _("得分")
        ordering = ["round", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "criterion"], name="score_once_per_round"),
            models.CheckConstraint(
                condition=Q(points__gte=0) | Q(points__isnull=True), name="score_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.criterion.key}"


class Finding(models.Model):
    """问题 / 整改: lost points turned into work for the lead unit, until the office verifies it."""

    round = models.ForeignKey(
        Round, verbose_name=_("考核轮次"), on_delete=models.PROTECT, related_name="findings"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("评分细则"), on_delete=models.PROTECT, related_name="findings"
    )
    title = models.CharField(_("问题"), max_length=300)
    description = models.TextField(_("问题描述"), blank=True, max_length=5000)
    points_lost = models.DecimalField(_("失分"), max_digits=8, decimal_places=2)
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="findings"
    )
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name=_("配合单位"), related_name="cooperating_findings", blank=True
    )
    due = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    fix_note = models.TextField(_("整改情况"), blank=True, max_length=5000)
    return_reason = models.TextField(_("退回原因"), blank=True, max_length=2000)
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("整改佐证"), related_name="findings", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    fixed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("问题整改")
        verbose_name_plural = _("问题整改")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title
