"""Who may see and do what in rounds, scores and findings (evidence: `qualitycity.evidence.access`)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from qualitycity.campaigns.access import manages_campaign, visible_campaigns
from qualitycity.orgs.access import liaison_unit_ids, material_region_ids, roles_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import User

from .models import Finding, Round


def visible_rounds(user: User) -> QuerySet[Round]:
    return Round.objects.filter(campaign__in=visible_campaigns(user)).select_related(
        "campaign", "campaign__framework"
    )


def access_round(user: User, pk: int) -> Round:
    rnd = visible_rounds(user).filter(pk=pk).first()
    if rnd is None:
        raise Http404
    return rnd


def can_score(user: User, rnd: Round) -> bool:
    """Assessors assigned to the round and the campaign office; nobody else."""
    if manages_campaign(user, rnd.campaign):
        return True
    if Role.ASSESSOR not in roles_of(user):
        return False
    return rnd.assessors.filter(pk=user.pk).exists()


def visible_findings(user: User) -> QuerySet[Finding]:
    qs = Finding.objects.filter(round__campaign__in=visible_campaigns(user))
    regions = material_region_ids(user)
    if regions is None:
        return qs
    units = liaison_unit_ids(user)
    if not units:
        return qs.filter(round__campaign__region_id__in=regions)
    own = Finding.objects.filter(Q(unit_id__in=units) | Q(cooperating_units__in=units))
    return qs.filter(Q(round__campaign__region_id__in=regions) | Q(pk__in=own.values("pk")))


def access_finding(user: User, pk: int) -> Finding:
    finding = (
        visible_findings(user)
        .select_related("round", "round__campaign", "criterion", "criterion__item", "unit")
        .filter(pk=pk)
        .first()
    )
    if finding is None:
        raise Http404
    return finding


def can_work_on_finding(user: User, finding: Finding) -> bool:
    """The responsible unit's liaisons, and the office."""
    if manages_campaign(user, finding.round.campaign):
        return True
    return finding.unit_id in liaison_unit_ids(user)
