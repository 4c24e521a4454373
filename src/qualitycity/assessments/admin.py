"""Admin for assessments: rounds, scores and findings, read-only.

They are workflow: a round moves open → submitted → locked (and back, with a reason), a score is
saved against its version by the round's assessors or the office, a finding goes from open to
verified through its lead unit and the office. Those changes go through the pages, CLI or API
services only, which check who may act, keep to the allowed transitions and audit each step; the
admin would skip all of that, so it only shows them.

Evidence and its files are not registered here.
"""

from django.contrib import admin

from qualitycity.audit.admin import ReadOnlyAdmin

from .models import Finding, Round, Score


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "kind", "start", "end", "status"]
    list_filter = ["campaign", "kind", "status"]
    search_fields = ["name"]
    list_select_related = ["campaign"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["criterion", "round", "points", "na_status", "scored_by", "scored_at"]
    list_filter = ["round", "na_status"]
    search_fields = ["criterion__key", "comment"]
    list_select_related = ["criterion", "round", "scored_by"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "round", "criterion", "unit", "due", "status", "points_lost"]
    list_filter = ["round", "status"]
    search_fields = ["title", "description", "criterion__key", "unit__name"]
    list_select_related = ["round", "criterion", "unit"]
