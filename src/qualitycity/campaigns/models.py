from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qualitycity import clock
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion, Framework
from qualitycity.orgs.models import Region, Unit, UnitGroup

from .choices import (
    DeliveryChannel,
    DeliveryStatus,
    MeetingKind,
    NoticeStatus,
    ReportStatus,
    RobotKind,
    TaskStatus,
    WorkRole,
)


class Campaign(models.Model):
    """创建工作: a region running one framework version."""

    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区"), on_delete=models.PROTECT, related_name="campaigns"
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("考核评分体系"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    report_period = models.CharField(
        _("填报周期"),
        max_length=10,
        choices=[("month", _("每月")), ("quarter", _("每季度"))],
        default="month",
    )
    report_deadline_days = models.PositiveIntegerField(_("填报截止(周期结束后天数)"), default=5)
    blue_days = models.PositiveIntegerField(_("蓝色督办提前天数"), default=3)
    grace_days = models.PositiveIntegerField(
        _("新任务宽限天数"),
        default=7,
        help_text=_("任务开始后的这些天内不判定进度落后(不亮黄灯)。"),
    )
    reports_from = models.CharField(
        _("进展填报单位"),
        max_length=12,
        choices=[("all", _("牵头和配合单位")), ("lead", _("仅牵头单位"))],
        default="all",
        help_text=_("“仅牵头单位”时,配合单位向牵头单位报送情况,不单独填报进展。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("创建工作")
        verbose_name_plural = _("创建工作")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="campaign_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class ResponsibleUnit(models.Model):
    """责任分工表: one entry of the campaign's responsibility table (row → lead and cooperating
    units). Entries with a printed name come from the framework, resolved in the campaign's region
    directory (unit and group both empty: the name was not found there). Entries the office
    assigned to a row have no printed name."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("创建工作"),
        on_delete=models.CASCADE,
        related_name="responsible_units",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("评分细则"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("职责"), max_length=12, choices=WorkRole.choices)
    position = models.PositiveIntegerField(_("排序"))
    printed_name = models.CharField(_("原表名称"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("单位组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["campaign", "criterion", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit__isnull=False, group__isnull=False),
                name="responsible_unit_at_most_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(printed_name="") | Q(unit__isnull=False) | Q(group__isnull=False),
                name="responsible_unit_assigned_has_target",
            ),
            models.UniqueConstraint(
                fields=["campaign", "criterion", "role", "position"],
                name="responsible_unit_position",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "unit"], name="responsible_unit_idx")]

    def __str__(self) -> str:
        return self.printed_name or str(self.unit or self.group)

    @property
    def resolved(self) -> bool:
        return self.unit_id is not None or self.group_id is not None

    @property
    def target_name(self) -> str:
        """The unit's or group's name in the directory ('' when unresolved); needs the unit and
        group selected with the entry."""
        if self.unit_id:
            return self.unit.name
        if self.group_id:
            return self.group.name
        return ""

    @property
    def label(self) -> str:
        """As printed, or the assigned unit's name."""
        return self.printed_name or self.target_name


class NameMapping(models.Model):
    """名称对应: the office's reading of a printed name its directory does not know (or knows
    as something else), for one campaign: every row printing the name resolves to the target."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="name_mappings"
    )
    printed_name = models.CharField(_("原表名称"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("单位组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("名称对应")
        verbose_name_plural = _("名称对应")
        ordering = ["campaign", "printed_name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, group__isnull=True))
                | (Q(unit__isnull=True, group__isnull=False)),
                name="name_mapping_one_target",
            ),
            models.UniqueConstraint(fields=["campaign", "printed_name"], name="name_mapping_once"),
        ]

    def __str__(self) -> str:
        return self.printed_name


class Phase(models.Model):
    """工作阶段: 规划筹建 / 全面推进 / 巩固提升 / 总结验收, with dates as printed."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="phases"
    )
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("工作阶段")
        verbose_name_plural = _("工作阶段")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="phase_position"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="phase_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """主要措施: one of the plan's measures (section 三), with its units as printed."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="measures"
    )
    number = models.PositiveIntegerField(_("序号"))
    section = models.CharField(_("所属部分"), max_length=200)
    title = models.CharField(_("措施"), max_length=200)
    text = models.TextField(_("内容"), max_length=5000)
    bracket = models.CharField(_("责任分工(原文)"), max_length=500)
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("对应评分细则"), related_name="measures", blank=True
    )

    class Meta:
        verbose_name = _("主要措施")
        verbose_name_plural = _("主要措施")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="measure_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}、{self.title}"


class MeasureUnit(models.Model):
    measure = models.ForeignKey(
        Measure, verbose_name=_("主要措施"), on_delete=models.CASCADE, related_name="units"
    )
    role = models.CharField(_("职责"), max_length=12, choices=WorkRole.choices)
    position = models.PositiveIntegerField(_("排序"))
    printed_name = models.CharField(_("原文名称"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        UnitGroup,
        verbose_name=_("单位组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("措施责任单位")
        verbose_name_plural = _("措施责任单位")
        ordering = ["measure", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, group__isnull=True))
                | (Q(unit__isnull=True, group__isnull=False)),
                name="measure_unit_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.printed_name


class Task(models.Model):
    """工作任务: a unit's responsibility for a criterion, a measure or a meeting decision."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=500)
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="tasks"
    )
    role = models.CharField(_("职责"), max_length=12, choices=WorkRole.choices)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("评分细则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("主要措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("会议决定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    source_key = models.CharField(_("来源"), max_length=40, blank=True)
    generated_for = models.ForeignKey(
        Unit,
        verbose_name=_("生成时的责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("工作阶段"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    start = models.DateField(_("开始日期"))
    due = models.DateField(_("完成期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    cancel_reason = models.TextField(_("取消原因"), blank=True, max_length=2000)
    split_from = models.ForeignKey(
        "self",
        verbose_name=_("拆分自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_max"),
            models.CheckConstraint(condition=Q(due__gte=F("start")), name="task_dates"),
            models.UniqueConstraint(
                fields=["campaign", "source_key", "unit"],
                condition=Q(split_from__isnull=True) & ~Q(source_key=""),
                name="task_generated_once",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "unit", "status"], name="task_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.title[:30]}"


class ProgressReport(models.Model):
    """进展填报: a unit's report on one task for one period."""

    task = models.ForeignKey(
        Task, verbose_name=_("工作任务"), on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    deadline = models.DateField(_("填报截止"))
    text = models.TextField(_("进展情况"), blank=True, max_length=10000)
    percent = models.PositiveSmallIntegerField(_("完成(%)"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    late = models.BooleanField(_("逾期提交"), default=False)
    review_comment = models.TextField(_("审核意见"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("佐证材料"), related_name="reports", blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("进展填报")
        verbose_name_plural = _("进展填报")
        ordering = ["-period_start", "task"]
        constraints = [
            models.UniqueConstraint(fields=["task", "period_start"], name="report_once_per_period"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.period_start:%Y-%m}"


class SupervisionNotice(models.Model):
    """督办单: the office asks a unit about lagging tasks; the unit responds; the office closes it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="notices"
    )
    number = models.CharField(_("编号"), max_length=40)
    unit = models.ForeignKey(
        Unit, verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="notices"
    )
    tasks = models.ManyToManyField(Task, verbose_name=_("督办任务"), related_name="notices")
    colour = models.CharField(_("督办等级"), max_length=10)
    content = models.TextField(_("督办事项"), max_length=5000)
    response_due = models.DateField(_("反馈期限"))
    status = models.CharField(
        _("状态"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    response = models.TextField(_("反馈情况"), blank=True, max_length=5000)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="notice_number")]

    def __str__(self) -> str:
        return self.number


class Meeting(models.Model):
    """会议: leading-group meetings, coordination meetings and summary meetings."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("创建工作"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("名称"), max_length=300)
    date = models.DateField(_("日期"))
    attendees = models.ManyToManyField(
        Unit, verbose_name=_("参会单位"), related_name="meetings", blank=True
    )
    minutes = models.TextField(_("会议纪要"), blank=True, max_length=20000)
    attachments = models.ManyToManyField(
        Evidence, verbose_name=_("附件"), related_name="meetings", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    """An in-app notification (the bell), also sent by email when the user has an address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("事件"), max_length=40, blank=True)
    text = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=clock.now)  # the app's day (clock)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class Reminder(models.Model):
    """One reminder sent: what, to whom, on which day. Its key makes sending idempotent."""

    key = models.CharField(_("键"), max_length=200, unique=True)
    day = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    text = models.CharField(_("内容"), max_length=500)
    emailed = models.BooleanField(_("已发邮件"), default=False)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key


class NotificationPreference(models.Model):
    """A person's choice of channels for one event (站内通知, 邮件); no row means the defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    event = models.CharField(_("事件"), max_length=40)
    in_app = models.BooleanField(_("站内通知"), default=True)
    email = models.BooleanField(_("邮件"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.event}"


class Robot(models.Model):
    """群机器人: a WeCom (企业微信) or DingTalk (钉钉) group robot that carries a campaign's events,
    or those of one unit, to a group chat."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("创建工作"),
        on_delete=models.CASCADE,
        related_name="robots",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空:本创建工作的全部事件;选择单位:只推送与该单位有关的事件。"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=RobotKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    webhook = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    events = models.JSONField(_("推送事件"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One message handed to an outside channel (e-mail, a group robot), sent by the background
    worker with retries. A failed delivery never undoes the action that caused it."""

    channel = models.CharField(_("渠道"), max_length=10, choices=DeliveryChannel.choices)
    event = models.CharField(_("事件"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    robot = models.ForeignKey(
        Robot,
        verbose_name=_("群机器人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.CharField(_("地址"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=20000)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(robot__isnull=False),
                name="delivery_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.subject}"
