from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualitycity.orgs.models import Region, Unit

from . import evaluation, periods
from .choices import Category, Frequency, Series


class Indicator(models.Model):
    """质量指标: a quantitative target of section 二(二), e.g. 生产企业产品质量监督合格率 ≥ 94%."""

    code = models.CharField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    measure_unit = models.CharField(_("计量单位"), max_length=30, blank=True)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="indicators"
    )
    basis = models.CharField(_("责任依据"), max_length=200, blank=True)
    frequency = models.CharField(
        _("数据频率"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    source_text = models.TextField(_("原文"), blank=True, max_length=5000)
    rule = models.JSONField(_("目标规则"))
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("质量指标")
        verbose_name_plural = _("质量指标")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def target(self) -> evaluation.Target:
        return evaluation.parse_target(self.rule)

    def target_text(self) -> str:
        return evaluation.describe_target(self.target(), self.measure_unit)

    def parse_period(self, raw: object) -> periods.Period:
        return periods.parse_period(raw, self.frequency)


class Observation(models.Model):
    """指标数据: one value of one series of an indicator for one period.

    The region's own value and its national rank belong to a region; the national average has
    no region.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("质量指标"), on_delete=models.CASCADE, related_name="observations"
    )
    series = models.CharField(
        _("数据序列"), max_length=20, choices=Series.choices, default=Series.VALUE
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_observations",
    )
    period = models.CharField(_("期间"), max_length=10)
    period_end = models.DateField(_("期末日期"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    source = models.CharField(_("数据来源"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True, max_length=2000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标数据")
        verbose_name_plural = _("指标数据")
        ordering = ["indicator", "series", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series", "region", "period"],
                condition=Q(region__isnull=False),
                name="observation_once_per_region",
                violation_error_message=_("该期间已有数据"),
            ),
            models.UniqueConstraint(
                fields=["indicator", "series", "period"],
                condition=Q(region__isnull=True),
                name="observation_once_national",
                violation_error_message=_("该期间已有数据"),
            ),
            models.CheckConstraint(
                condition=(Q(series=Series.NATIONAL_AVERAGE) & Q(region__isnull=True))
                | (~Q(series=Series.NATIONAL_AVERAGE) & Q(region__isnull=False)),
                name="observation_region_matches_series",
                violation_error_message=_("全国平均值不属于行政区,其他数据必须属于一个行政区"),
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "indicator", "period_end"], name="observation_region_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.get_series_display()} {self.period}"
