from django.contrib import admin

from qualitycity.audit.admin import AuditedAdmin

from .models import (
    Campaign,
    Measure,
    MeasureUnit,
    Meeting,
    Notification,
    Phase,
    ProgressReport,
    Reminder,
    SupervisionNotice,
    Task,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class MeasureUnitInline(admin.TabularInline):
    model = MeasureUnit
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["name", "region", "framework", "start", "end", "report_period"]
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(AuditedAdmin):
    list_display = ["name", "campaign", "start", "end"]
    list_filter = ["campaign"]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ["number", "title", "campaign"]
    list_filter = ["campaign"]
    search_fields = ["title", "text"]
    filter_horizontal = ["criteria"]
    inlines = [MeasureUnitInline]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["title", "unit", "role", "due", "status", "progress"]
    list_filter = ["campaign", "status", "role", "phase"]
    search_fields = ["title", "unit__name"]
    raw_id_fields = ["criterion", "measure", "meeting", "split_from"]


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin):
    list_display = ["task", "period_start", "status", "percent", "late", "submitted_at"]
    list_filter = ["status", "late"]
    raw_id_fields = ["task"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(AuditedAdmin):
    list_display = ["number", "unit", "colour", "status", "response_due"]
    list_filter = ["status", "colour"]
    filter_horizontal = ["tasks"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "kind", "date", "campaign"]
    list_filter = ["kind", "campaign"]
    filter_horizontal = ["attendees"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "user", "text", "emailed"]
    list_filter = ["kind", "day"]
