"""Which campaigns a user sees and manages."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import Http404

from qualitycity.orgs.access import (
    liaison_unit_ids,
    managed_region_ids,
    manages_region,
    material_region_ids,
    readable_region_ids,
    scope_of,
    sees_all_campaign_material,
)
from qualitycity.orgs.models import Region, Unit, User

from .models import Campaign, Measure, Meeting, Phase, ProgressReport, SupervisionNotice, Task


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    if not user.is_authenticated:
        return Campaign.objects.none()
    qs = Campaign.objects.select_related("region", "framework")
    regions = readable_region_ids(user)
    return qs if regions is None else qs.filter(region_id__in=regions)


def manages_campaign(user: User, campaign: Campaign) -> bool:
    """The campaign office (创质办) of the campaign's region, or an administrator."""
    return manages_region(user, campaign.region_id)


def managed_campaigns(user: User) -> QuerySet[Campaign]:
    """The campaigns for which `manages_campaign` holds, as a queryset (for work queues): those of
    the regions whose office the user is; every campaign for administrators."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    regions = managed_region_ids(user)
    return (
        Campaign.objects.all()
        if regions is None
        else Campaign.objects.filter(region_id__in=regions)
    )


def access_campaign(user: User, pk: int, *, manage: bool = False) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first()
    if campaign is None or (manage and not manages_campaign(user, campaign)):
        raise Http404
    return campaign


def access_measure(user: User, campaign_pk: int, number: int) -> Measure:
    """A measure (主要措施) by its number, for whoever reads its campaign; the same 404 for a
    campaign the user cannot read and a number the campaign does not have."""
    campaign = access_campaign(user, campaign_pk)
    measure = Measure.objects.filter(campaign=campaign, number=number).first()
    if measure is None:
        raise Http404
    measure.campaign = campaign
    return measure


# --- work: tasks, reports, notices, meetings ---------------------------------------------------


def sees_all_work(user: User, campaign: Campaign | None = None) -> bool:
    """Whether the user reads every unit's work of the campaign (without one: of any campaign)."""
    return sees_all_campaign_material(user, campaign.region_id if campaign else None)


def own_work(user: User) -> Q:
    """Campaign rows a user reads: all of them in the regions where it reads every unit's
    material, elsewhere those of its own units."""
    regions = material_region_ids(user)
    if regions is None:
        return Q()
    return Q(campaign__region_id__in=regions) | Q(unit_id__in=liaison_unit_ids(user))


def visible_tasks(user: User) -> QuerySet[Task]:
    qs = Task.objects.filter(campaign__in=visible_campaigns(user)).select_related(
        "unit", "phase", "campaign", "criterion", "measure"
    )
    return qs.filter(own_work(user))


def access_task(user: User, pk: int) -> Task:
    task = visible_tasks(user).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def readable_task_ids(user: User, task_ids: Iterable[int]) -> set[int]:
    """Which of these tasks the user may open (access_task would not 404): one query.
    Pages that list tasks of several units (a meeting's) link only these."""
    ids = list(task_ids)
    if not ids:
        return set()
    return set(visible_tasks(user).filter(pk__in=ids).values_list("pk", flat=True))


def is_unit_liaison(user: User, unit_id: int) -> bool:
    return unit_id in liaison_unit_ids(user)


def visible_reports(user: User) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=visible_tasks(user)).select_related(
        "task", "task__unit", "author", "reviewed_by"
    )


def access_report(user: User, pk: int) -> ProgressReport:
    report = visible_reports(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def visible_notices(user: User) -> QuerySet[SupervisionNotice]:
    qs = SupervisionNotice.objects.filter(campaign__in=visible_campaigns(user)).select_related(
        "unit", "issued_by", "campaign"
    )
    return qs.filter(own_work(user))


def access_notice(user: User, pk: int) -> SupervisionNotice:
    notice = visible_notices(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def visible_meetings(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(campaign__in=visible_campaigns(user))


def access_meeting(user: User, pk: int) -> Meeting:
    meeting = visible_meetings(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


# --- the office's administration -------------------------------------------------------------


def creatable_regions(user: User) -> QuerySet[Region]:
    """The regions a user may set up a campaign in: an office its own, an administrator any."""
    scope = scope_of(user)
    qs = Region.objects.order_by("parent_id", "position", "code")
    return qs if scope.admin else qs.filter(pk__in=scope.managed)


def access_phase(user: User, pk: int) -> Phase:
    """A phase of a campaign the user manages (the 404 otherwise)."""
    phase = Phase.objects.filter(pk=pk, campaign__in=visible_campaigns(user)).first()
    if phase is None or not manages_campaign(user, phase.campaign):
        raise Http404
    return phase


def access_managed_measure(user: User, pk: int) -> Measure:
    """A measure of a campaign the user manages, by id, for editing (the 404 otherwise)."""
    measure = Measure.objects.filter(pk=pk, campaign__in=visible_campaigns(user)).first()
    if measure is None or not manages_campaign(user, measure.campaign):
        raise Http404
    return measure


# --- the unit's monthly report (月报) ----------------------------------------------------------

WRITE, REVIEW, READ = "write", "review", "read"


def access_monthly(user: User, pk: int, unit_pk: int) -> tuple[Campaign, Unit, str]:
    """A unit's 月报 of a campaign, and what the user may do with it: its liaisons write it, the
    campaign's office reviews it, those who read every unit's work of the campaign (leaders, the
    offices above) read it; anyone else gets the 404 (as for a unit that does not exist)."""
    campaign = access_campaign(user, pk)
    unit = Unit.objects.filter(pk=unit_pk, region_id=campaign.region_id).first()
    if unit is None:
        raise Http404
    if is_unit_liaison(user, unit.pk):
        return campaign, unit, WRITE
    if manages_campaign(user, campaign):
        return campaign, unit, REVIEW
    if sees_all_work(user, campaign):
        return campaign, unit, READ
    raise Http404
