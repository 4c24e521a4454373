"""Names of the audit actions this app records (registered with audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "framework.loaded": _("导入考核评分体系"),
}
