"""Choices of the campaign work models: roles, statuses and meeting kinds.

Beside each status and the meeting kind: its badge colour per member (Tabler palette names).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    COOPERATING = "cooperating", _("配合")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


TASK_STATUS_BADGES = {
    TaskStatus.NOT_STARTED: "secondary",
    TaskStatus.IN_PROGRESS: "azure",
    TaskStatus.DONE: "green",
    TaskStatus.CANCELLED: "dark",
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


REPORT_STATUS_BADGES = {
    ReportStatus.DRAFT: "secondary",
    ReportStatus.SUBMITTED: "blue",
    ReportStatus.RETURNED: "orange",
    ReportStatus.ACCEPTED: "green",
}


class MonthlyState(models.TextChoices):
    """A unit's 月报 for one period, derived from its tasks' reports (campaigns.monthly)."""

    NOT_STARTED = "not_started", _("未填报")
    DRAFT = "draft", _("草稿")
    PARTLY_SUBMITTED = "partly_submitted", _("部分提交")
    SUBMITTED = "submitted", _("已提交")
    PARTLY_RETURNED = "partly_returned", _("部分退回")
    RETURNED = "returned", _("已退回")
    PARTLY_ACCEPTED = "partly_accepted", _("部分采纳")
    ACCEPTED = "accepted", _("已采纳")


MONTHLY_STATE_BADGES = {
    MonthlyState.NOT_STARTED: "secondary",
    MonthlyState.DRAFT: "secondary",
    MonthlyState.PARTLY_SUBMITTED: "azure",
    MonthlyState.SUBMITTED: "blue",
    MonthlyState.PARTLY_RETURNED: "orange",
    MonthlyState.RETURNED: "orange",
    MonthlyState.PARTLY_ACCEPTED: "teal",
    MonthlyState.ACCEPTED: "green",
}


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("待反馈")
    RESPONDED = "responded", _("已反馈")
    CLOSED = "closed", _("已销号")


NOTICE_STATUS_BADGES = {
    NoticeStatus.ISSUED: "orange",
    NoticeStatus.RESPONDED: "blue",
    NoticeStatus.CLOSED: "green",
}


class MeetingKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组会议")
    COORDINATION = "coordination", _("碰头会")
    SUMMARY = "summary", _("总结大会")


MEETING_KIND_BADGES = {
    MeetingKind.LEADING_GROUP: "blue",
    MeetingKind.COORDINATION: "green",
    MeetingKind.SUMMARY: "yellow",
}


class EntryStatus(models.TextChoices):
    """How an entry of the responsibility table (责任分工) got its unit."""

    MAPPED = "mapped", _("已对应")  # the office's mapping of the printed name
    DIRECTORY = "directory", _("名录中已有")  # the name is in the region's directory
    ASSIGNED = "assigned", _("已分配")  # a unit the office assigned to the row
    UNRESOLVED = "unresolved", _("未匹配")


ENTRY_STATUS_BADGES = {
    EntryStatus.MAPPED: "green",
    EntryStatus.DIRECTORY: "secondary",
    EntryStatus.ASSIGNED: "blue",
    EntryStatus.UNRESOLVED: "red",
}


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


DELIVERY_STATUS_BADGES = {
    DeliveryStatus.PENDING: "yellow",
    DeliveryStatus.SENT: "green",
    DeliveryStatus.FAILED: "red",
}

# The choices shown as badges, for the status_badge template tag (qualitycity.web.badges).
BADGES = {
    DeliveryStatus: DELIVERY_STATUS_BADGES,
    TaskStatus: TASK_STATUS_BADGES,
    ReportStatus: REPORT_STATUS_BADGES,
    MonthlyState: MONTHLY_STATE_BADGES,
    NoticeStatus: NOTICE_STATUS_BADGES,
    MeetingKind: MEETING_KIND_BADGES,
    EntryStatus: ENTRY_STATUS_BADGES,
}
