"""Who may see and do what in rounds, scores and findings, and which evidence assessors read.

Who reads a round (its scores, comments, totals, gaps): administrators, the offices and leaders of
the campaign's region and of the regions above it, and the assessors assigned to it. Liaisons do
not read rounds (every unit's scores and the experts' comments are not theirs): what an
assessment asks of their unit reaches them as findings (整改) and through their own evidence. An
assessor assigned to no round of a campaign reads none of its rounds or evidence."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from qualitycity.campaigns.access import manages_campaign, visible_campaigns
from qualitycity.campaigns.models import Campaign
from qualitycity.evidence.access import visible_evidence
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.access import liaison_unit_ids, material_region_ids, scope_of
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region, User

from . import duties as duty_table
from .duties import Duty, Relation
from .models import Finding, Round, Score


def visible_rounds(user: User) -> QuerySet[Round]:
    """The rounds of the campaigns whose whole material the user reads (offices and leaders, of
    their regions and below; everything for administrators), and the rounds the user is assigned
    to assess."""
    if not user.is_authenticated:
        return Round.objects.none()
    qs = Round.objects.select_related("campaign", "campaign__framework", "campaign__region")
    regions = material_region_ids(user)
    if regions is None:
        return qs
    assigned = Round.objects.filter(assessors=user).values("pk")
    return qs.filter(Q(campaign__region_id__in=regions) | Q(pk__in=assigned))


def readable_evidence(user: User) -> QuerySet[Evidence]:
    """Evidence a user reads: `evidence.access.visible_evidence` (offices and leaders every
    unit's, liaisons their unit's) and, for an assessor, the evidence of every campaign in which
    it is assigned to a round."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    seen = visible_evidence(user)
    assigned = Round.objects.filter(assessors=user).values("campaign_id")
    if not assigned.exists():
        return seen
    return Evidence.objects.filter(Q(pk__in=seen.values("pk")) | Q(campaign_id__in=assigned))


def access_readable_evidence(user: User, pk: int) -> Evidence:
    evidence = readable_evidence(user).select_related("file", "unit").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return evidence


def access_round_criterion(rnd: Round, criterion_pk: int) -> Criterion:
    """A row of the round's table (its framework's criterion), or the same 404 as a missing one."""
    criterion = (
        Criterion.objects.select_related("item__dimension")
        .filter(pk=criterion_pk, framework_id=rnd.campaign.framework_id)
        .first()
    )
    if criterion is None:
        raise Http404
    return criterion


def access_round(user: User, pk: int) -> Round:
    """The round, with whether the user is one of its assessors (read in the same query), or
    the same 404 for a missing and a hidden one."""
    assigned = Round.assessors.through.objects.filter(round_id=OuterRef("pk"), user_id=user.pk)
    rnd = visible_rounds(user).filter(pk=pk).annotate(qc_assigned=Exists(assigned)).first()
    if rnd is None:
        raise Http404
    rnd.qc_assigned_to = (user.pk, rnd.qc_assigned)
    return rnd


# --- separation of duties: the facts about a person and a round, for `duties` -----------------


def _region_parents(user: User) -> dict[int, int | None]:
    """Every region's parent, read once per request (the region tree is small)."""
    cached = getattr(user, "_qc_region_parents", None)
    if cached is None:
        cached = dict(Region.objects.values_list("pk", "parent_id"))
        user._qc_region_parents = cached  # type: ignore[attr-defined]
    return cached


def region_ancestor_ids(user: User, region_id: int) -> list[int]:
    """The regions above `region_id`, nearest first."""
    parents = _region_parents(user)
    out: list[int] = []
    current = parents.get(region_id)
    while current is not None and current not in out:
        out.append(current)
        current = parents.get(current)
    return out


def relations_to(user: User, rnd: Round, *, assigned: bool | None = None) -> frozenset[Relation]:
    """The user's relations to a round (`assigned` when the caller already knows it)."""
    if not user.is_authenticated:
        return frozenset()
    scope = scope_of(user)
    region_id = rnd.campaign.region_id
    above = scope.managed and bool(scope.managed & set(region_ancestor_ids(user, region_id)))
    assessor_role = Role.ASSESSOR in scope.roles
    if assigned is None:
        # access_round read it with the round, for the user who asked
        known = getattr(rnd, "qc_assigned_to", None)
        if known is not None and known[0] == user.pk:
            assigned = assessor_role and known[1]
        else:
            assigned = assessor_role and rnd.assessors.filter(pk=user.pk).exists()
    return duty_table.relations_of(
        admin=scope.admin,
        office=region_id in scope.managed,
        office_above=bool(above),
        assessor_role=assessor_role,
        assigned=assigned,
        liaison=Role.LIAISON in scope.roles,
        leader=Role.LEADER in scope.roles,
    )


@dataclass(frozen=True)
class RoundDuties:
    """What one user may do in one round (the state of the round is `transitions.ROUND`'s)."""

    kind: str
    relations: frozenset[Relation]
    user_id: int | None

    def may(self, duty: Duty | str) -> bool:
        return duty_table.may(self.kind, self.relations, Duty(duty))

    def may_decide(self, score: Score | None) -> bool:
        """Whether the user may decide this score's claim (never their own where the rule holds)."""
        own = bool(score and score.scored_by_id and score.scored_by_id == self.user_id)
        return duty_table.may(self.kind, self.relations, Duty.DECIDE_NA, own_claim=own)

    def refusal(self, duty: Duty, *, own_claim: bool = False) -> str:
        return duty_table.refusal(self.kind, duty, own_claim=own_claim)

    def flags(self) -> dict[str, bool]:
        """Every duty → allowed, for templates: {% if duties.score %}."""
        return {duty.value: self.may(duty) for duty in Duty}


def round_duties(user: User, rnd: Round) -> RoundDuties:
    return RoundDuties(
        rnd.kind, relations_to(user, rnd), user.pk if user.is_authenticated else None
    )


def can_score(user: User, rnd: Round) -> bool:
    """Whether the user may write scores in the round (`duties`: assigned assessors, and in the
    office's own rounds the office)."""
    return round_duties(user, rnd).may(Duty.SCORE)


def assessor_candidates(campaign: Campaign, kind: str | None = None) -> QuerySet[User]:
    """Who may be assigned to a campaign's rounds: active users with the assessor role in the
    campaign's region or a region above it; for a provincial or national round, not the office
    of the campaign's region (the assessed)."""
    parents = dict(Region.objects.values_list("pk", "parent_id"))
    regions = [campaign.region_id]
    current = parents.get(campaign.region_id)
    while current is not None and current not in regions:
        regions.append(current)
        current = parents.get(current)
    qs = User.objects.filter(
        is_active=True,
        pk__in=User.objects.filter(
            memberships__role=Role.ASSESSOR, memberships__region_id__in=regions
        ).values("pk"),
    )
    if kind is not None and duty_table.kind_class(kind) == "external":
        qs = qs.exclude(
            pk__in=User.objects.filter(
                memberships__role=Role.OFFICE, memberships__region_id=campaign.region_id
            ).values("pk")
        )
    return qs.order_by("full_name", "username")


def visible_findings(user: User) -> QuerySet[Finding]:
    """Findings of the campaigns whose material the user reads, of the rounds it assesses, and
    (liaisons) those charged to or shared with its units."""
    qs = Finding.objects.filter(round__campaign__in=visible_campaigns(user))
    regions = material_region_ids(user)
    if regions is None:
        return qs
    wanted = Q(round__campaign__region_id__in=regions) | Q(
        round__in=Round.objects.filter(assessors=user).values("pk")
    )
    units = liaison_unit_ids(user)
    if units:
        own = Finding.objects.filter(Q(unit_id__in=units) | Q(cooperating_units__in=units))
        wanted |= Q(pk__in=own.values("pk"))
    return qs.filter(wanted)


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
