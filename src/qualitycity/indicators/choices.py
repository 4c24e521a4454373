from django.db import models
from django.utils.translation import gettext_lazy as _

from . import periods


class Category(models.TextChoices):
    PRODUCT = "product", _("产品质量")
    ENGINEERING = "engineering", _("工程质量")
    SERVICE = "service", _("服务质量")


class Frequency(models.TextChoices):
    ANNUAL = periods.ANNUAL, _("年度")
    QUARTERLY = periods.QUARTERLY, _("季度")
    MONTHLY = periods.MONTHLY, _("月度")


class Series(models.TextChoices):
    """What an observation measures: the region's own value, or a benchmark for comparison."""

    VALUE = "value", _("本市数值")
    NATIONAL_AVERAGE = "national_average", _("全国平均")
    RANK = "rank", _("全国排名")
