"""Choices of the assessment models, and the badge colour of each status (Tabler palette names)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    SELF = "self", _("自评")
    PROVINCIAL = "provincial", _("省级考核")
    NATIONAL = "national", _("国家验收")
    MOCK = "mock", _("模拟")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    SUBMITTED = "submitted", _("已提交")
    LOCKED = "locked", _("已锁定")


ROUND_STATUS_BADGES = {
    RoundStatus.OPEN: "green",
    RoundStatus.SUBMITTED: "yellow",
    RoundStatus.LOCKED: "secondary",
}


class NAStatus(models.TextChoices):
    NONE = "", _("未申请")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已认定")
    REJECTED = "rejected", _("未认定")


NA_STATUS_BADGES = {
    NAStatus.NONE: "secondary",
    NAStatus.PENDING: "yellow",
    NAStatus.APPROVED: "azure",
    NAStatus.REJECTED: "red",
}


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    IN_PROGRESS = "in_progress", _("整改中")
    FIXED = "fixed", _("已整改")
    VERIFIED = "verified", _("已复核")


FINDING_STATUS_BADGES = {
    FindingStatus.OPEN: "red",
    FindingStatus.IN_PROGRESS: "yellow",
    FindingStatus.FIXED: "blue",
    FindingStatus.VERIFIED: "green",
}

# The choices shown as badges, for the status_badge template tag (qualitycity.web.badges).
BADGES = {
    RoundStatus: ROUND_STATUS_BADGES,
    NAStatus: NA_STATUS_BADGES,
    FindingStatus: FINDING_STATUS_BADGES,
}
