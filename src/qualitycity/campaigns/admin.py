from django.contrib import admin

from qualitycity.audit.admin import AuditedAdmin

from .models import Campaign, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["name", "region", "framework", "start", "end"]
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(AuditedAdmin):
    list_display = ["name", "campaign", "start", "end"]
    list_filter = ["campaign"]
