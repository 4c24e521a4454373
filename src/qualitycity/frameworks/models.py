from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import rules


class Framework(models.Model):
    """考核评分体系: one version of a scoring table. Versions are never rewritten."""

    code = models.SlugField(_("代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("名称"), max_length=300)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    errata = models.JSONField(_("勘误"), default=list, blank=True)
    # Framework-level data, only what the file sets: bonus_cap, grades, bonus_items (item codes),
    # bonus_criteria (criterion keys). See spec.stored_scheme.
    scheme = models.JSONField(_("计分方案"), default=dict, blank=True)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_file = models.CharField(_("导入文件"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考核评分体系")
        verbose_name_plural = _("考核评分体系")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version"),
            models.UniqueConstraint(fields=["code", "content_hash"], name="framework_code_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.title}(v{self.version})"


class Dimension(models.Model):
    """指标项 (一 … 十)."""

    framework = models.ForeignKey(
        Framework,
        verbose_name=_("考核评分体系"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    number = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("指标项"), max_length=300)
    position = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标项")
        verbose_name_plural = _("指标项")
        ordering = ["framework", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="dimension_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Item(models.Model):
    """指标内容, e.g. "1.1 制定并出台质量发展实施意见(20分)"."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("考核评分体系"), on_delete=models.CASCADE, related_name="items"
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("指标项"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("指标内容"), max_length=500)
    max_points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2)
    position = models.PositiveIntegerField(_("排序"))

    class Meta:
        verbose_name = _("指标内容")
        verbose_name_plural = _("指标内容")
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Criterion(models.Model):
    """具体目标 / 评分细则: one printed row of the table."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("考核评分体系"), on_delete=models.CASCADE, related_name="criteria"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("指标内容"), on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.CharField(_("编号"), max_length=30)
    position = models.PositiveIntegerField(_("排序"))
    row = models.CharField(_("序号(原表)"), max_length=20)
    text = models.TextField(_("具体目标"), max_length=5000)
    points = models.DecimalField(
        _("标明分值"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_points = models.DecimalField(_("满分"), max_digits=8, decimal_places=2)
    rule = models.JSONField(_("评分规则"))
    na_allowed = models.BooleanField(_("允许合理缺项"), default=False)
    na_condition = models.CharField(_("合理缺项条件"), max_length=300, blank=True)
    remarks = models.TextField(_("备注"), blank=True, max_length=2000)
    note = models.TextField(_("录入说明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="criterion_key"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="criterion_max_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.key}(序号 {self.row})"

    def parsed_rule(self) -> rules.Rule:
        return rules.parse_rule(self.rule)

    @property
    def maximum(self) -> Decimal:
        return self.max_points


class UnitRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    COOPERATING = "cooperating", _("配合单位")


class CriterionUnit(models.Model):
    """A lead or cooperating unit of a criterion, as printed. Names are text: each campaign
    resolves them against its own region's directory (see campaigns.ResponsibleUnit)."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("评分细则"), on_delete=models.CASCADE, related_name="units"
    )
    role = models.CharField(_("职责"), max_length=12, choices=UnitRole.choices)
    position = models.PositiveIntegerField(_("排序"))
    printed_name = models.CharField(_("原表名称"), max_length=100)

    class Meta:
        verbose_name = _("责任单位(原表)")
        verbose_name_plural = _("责任单位(原表)")
        ordering = ["criterion", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "role", "position"], name="criterion_unit_position"
            ),
        ]

    def __str__(self) -> str:
        return self.printed_name
