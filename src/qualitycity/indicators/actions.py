"""Names of the audit actions this app records (registered with audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "indicator.created": _("新增质量指标"),
    "indicator.changed": _("修改质量指标"),
    "observation.created": _("录入指标数据"),
    "observation.changed": _("修改指标数据"),
    "observation.deleted": _("删除指标数据"),
    "observation.imported": _("导入指标数据"),
}
