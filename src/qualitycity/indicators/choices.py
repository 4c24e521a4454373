from django.db import models
from django.utils.translation import gettext_lazy as _

from . import evaluation, periods


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


class EvaluationStatus(models.TextChoices):
    """How an indicator stands against its target: the statuses of evaluation.evaluate."""

    MET = evaluation.MET, _("达标")
    NOT_MET = evaluation.NOT_MET, _("未达标")
    NO_DATA = evaluation.NO_DATA, _("数据不足")


EVALUATION_STATUS_BADGES = {
    EvaluationStatus.MET: "green",
    EvaluationStatus.NOT_MET: "red",
    EvaluationStatus.NO_DATA: "secondary",
}

# The choices shown as badges, for the status_badge template tag (qualitycity.web.badges).
BADGES = {EvaluationStatus: EVALUATION_STATUS_BADGES}
