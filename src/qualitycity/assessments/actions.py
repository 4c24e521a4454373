"""Names of the audit actions this app records (registered with audit.labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "round.created": _("新建考核轮次"),
    "round.submitted": _("提交考核轮次"),
    "round.locked": _("锁定考核轮次"),
    "round.open": _("重新开放考核轮次"),
    "round.reopened": _("重新开放考核轮次"),
    "round.assessors_changed": _("调整评审专家"),
    "round.auto_scored": _("自动评分"),
    "score.saved": _("评分"),
    "score.evidence_linked": _("关联佐证材料"),
    "score.na_claimed": _("申请合理缺项"),
    "score.na_approved": _("认定合理缺项"),
    "score.na_rejected": _("不予认定合理缺项"),
    "score.na_revoked": _("撤销合理缺项认定"),
    "finding.created": _("生成整改任务"),
    "finding.start": _("开始整改"),
    "finding.fix": _("提交整改完成"),
    "finding.verify": _("复核通过"),
    "finding.send_back": _("退回整改"),
}
