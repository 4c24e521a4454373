"""Names of the audit actions this app records (registered with audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "evidence.uploaded": _("上传佐证材料"),
}
