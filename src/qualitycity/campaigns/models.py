from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from qualitycity.frameworks.models import Framework
from qualitycity.orgs.models import Region


class Campaign(models.Model):
    """创建工作: a region running one framework version."""

    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区"), on_delete=models.PROTECT, related_name="campaigns"
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("考核评分体系"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("创建工作")
        verbose_name_plural = _("创建工作")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="campaign_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    """工作阶段: 规划筹建 / 全面推进 / 巩固提升 / 总结验收, with dates as printed."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True)

    class Meta:
        verbose_name = _("工作阶段")
        verbose_name_plural = _("工作阶段")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="phase_position"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="phase_dates"),
        ]

    def __str__(self) -> str:
        return self.name
