"""Admin for campaigns: configuration is editable, the workflow is read-only.

Campaigns, phases and measures are configuration: editable here, every save and delete audited.
Tasks, progress reports, supervision notices and meetings are workflow: their changes go through
the pages, CLI or API services only, which check who may act, move statuses along their allowed
transitions and audit each step; the admin would skip all of that, so it only shows them.
Notifications and reminders are written by the system and are read-only for the same reason.
"""

from django.contrib import admin

from qualitycity.audit.admin import AuditedAdmin, ReadOnlyAdmin

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

    def has_delete_permission(self, request, obj=None):
        # Deleting a campaign would take its tasks, reports, notices and meetings with it: the
        # admin edits a campaign's settings but never removes its work.
        return False


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


class ProgressReportInline(admin.TabularInline):
    """A task's reports on its page, read-only like the task (see ReadOnlyAdmin)."""

    model = ProgressReport
    fields = ["period_start", "period_end", "status", "percent", "late", "submitted_at"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        # The tabular inline prints each report's str(), which names the task's unit.
        return super().get_queryset(request).select_related("task__unit")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "role", "phase", "due", "status", "progress"]
    list_filter = ["campaign", "status", "role", "phase"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "phase"]
    inlines = [ProgressReportInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["task", "period_start", "status", "percent", "late", "submitted_at"]
    list_filter = ["task__campaign", "status", "late"]
    search_fields = ["task__title", "task__unit__name", "text"]
    list_select_related = ["task__unit"]


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "colour", "status", "response_due", "issued_at"]
    list_filter = ["campaign", "status", "colour"]
    search_fields = ["number", "unit__name", "content"]
    list_select_related = ["unit"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "date", "campaign"]
    list_filter = ["kind", "campaign"]
    search_fields = ["title", "minutes"]
    list_select_related = ["campaign"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "text", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "user__username", "user__full_name"]
    list_select_related = ["user"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "user", "text", "emailed"]
    list_filter = ["kind", "emailed", "day"]
    search_fields = ["key", "text", "user__username", "user__full_name"]
    list_select_related = ["user"]
