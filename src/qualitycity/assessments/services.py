"""All writes to rounds, scores, evidence and findings: permission, validation, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.campaigns.access import manages_campaign
from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.models import Campaign, ResponsibleUnit
from qualitycity.campaigns.services.common import require_directory_unit
from qualitycity.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from qualitycity.evidence import services as evidence_services
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks import rules
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit, User

from . import auto_scoring, events
from .access import assessor_candidates, can_work_on_finding, round_duties
from .choices import FindingStatus, NAStatus, RoundKind, RoundStatus
from .duties import Duty
from .models import Finding, Round, Score
from .transitions import FINDING, NA_CLAIM, ROUND

# The events a finding's moves announce (campaigns.events); starting work tells nobody.
FINDING_EVENTS = {
    "fix": "finding.fixed",
    "send_back": "finding.sent_back",
    "verify": "finding.verified",
}

# --- rounds -----------------------------------------------------------------------------------


def _require_office(user: User, campaign: Campaign) -> None:
    if not manages_campaign(user, campaign):
        raise NotAllowed(_("只有本创建工作的创质办可以执行此操作。"))


def _require(user: User, rnd: Round, duty: Duty) -> None:
    """Refuse unless the separation of duties (`duties`) lets the user do `duty` in the round."""
    allowed = round_duties(user, rnd)
    if not allowed.may(duty):
        raise NotAllowed(allowed.refusal(duty))


def _check_assessors(campaign: Campaign, kind: str, assessors: list[User]) -> None:
    """Only active assessors of the campaign's region or a region above it; in a provincial or
    national round not the office being assessed."""
    allowed = set(
        assessor_candidates(campaign, kind)
        .filter(pk__in=[u.pk for u in assessors])
        .values_list("pk", flat=True)
    )
    problems = [
        _("“%(name)s”不是本地区或上级地区的在职评审专家,不能指派为本轮的评审专家。")
        % {"name": u.full_name or u.username}
        for u in assessors
        if u.pk not in allowed
    ]
    if problems:
        raise ValidationFailed(problems)


def _round_state(rnd: Round) -> dict[str, Any]:
    state = snapshot(rnd)
    state["assessors"] = sorted(rnd.assessors.values_list("username", flat=True))
    return state


@transaction.atomic
def create_round(
    campaign: Campaign,
    *,
    by: User,
    kind: str,
    name: str,
    start: dt.date,
    end: dt.date,
    assessors: Iterable[User] = (),
) -> Round:
    _require_office(by, campaign)
    problems = []
    if kind not in RoundKind.values:
        problems.append(_("考核轮次类型“%(kind)s”无效。") % {"kind": kind})
    if not name.strip():
        problems.append(_("名称不能为空。"))
    if end < start:
        problems.append(_("结束日期不能早于开始日期。"))
    if problems:
        raise ValidationFailed(problems)
    assessors = list(assessors)
    _check_assessors(campaign, kind, assessors)
    rnd = Round.objects.create(
        campaign=campaign, kind=kind, name=name.strip(), start=start, end=end
    )
    rnd.assessors.set(assessors)
    record(by, "round.created", rnd, after=_round_state(rnd))
    events.round_changed(rnd, "round.opened", by)
    return rnd


@transaction.atomic
def set_assessors(rnd: Round, *, by: User, assessors: Iterable[User]) -> None:
    """The campaign's office chooses the round's assessors (`assessor_candidates`)."""
    _require(by, rnd, Duty.SET_ASSESSORS)
    _refuse_if_locked(rnd, "set_assessors")
    assessors = list(dict.fromkeys(assessors))
    _check_assessors(rnd.campaign, rnd.kind, assessors)
    before = _round_state(rnd)
    rnd.assessors.set(assessors)
    record(by, "round.assessors_changed", rnd, before=before, after=_round_state(rnd))


def _transition(rnd: Round, action: str, *, by: User) -> Round:
    locked = Round.objects.select_for_update().get(pk=rnd.pk)
    source = locked.status
    target = ROUND.target(action, source)
    if target is None:
        raise InvalidTransition(
            _("考核轮次当前为“%(now)s”,不能%(action)s(只有“%(source)s”的轮次可以)。")
            % {
                "now": locked.get_status_display(),
                "action": {"submit": _("提交"), "lock": _("锁定")}[action],
                "source": "、".join(
                    str(RoundStatus(s).label) for s in sorted(ROUND.sources(action))
                ),
            }
        )
    locked.status = target
    locked.save(update_fields=["status"])
    record(by, f"round.{target}", locked, before={"status": source}, after={"status": target})
    rnd.status = target
    events.round_changed(rnd, f"round.{target}", by)
    return rnd


@transaction.atomic
def submit_round(rnd: Round, *, by: User) -> Round:
    _require(by, rnd, Duty.SUBMIT)
    return _transition(rnd, "submit", by=by)


@transaction.atomic
def lock_round(rnd: Round, *, by: User) -> Round:
    _require(by, rnd, Duty.LOCK)
    return _transition(rnd, "lock", by=by)


@transaction.atomic
def reopen_round(rnd: Round, *, by: User, reason: str) -> Round:
    _require(by, rnd, Duty.REOPEN)
    if not reason.strip():
        raise ValidationFailed(_("重新开放考核轮次必须说明原因。"))
    locked = Round.objects.select_for_update().get(pk=rnd.pk)
    target = ROUND.target("reopen", locked.status)
    if target is None:
        raise InvalidTransition(_("考核轮次已经是“进行中”,无需重新开放。"))
    before = locked.status
    locked.status = target
    locked.reopen_reason = reason.strip()
    locked.save(update_fields=["status", "reopen_reason"])
    record(
        by,
        "round.reopened",
        locked,
        before={"status": before},
        after={"status": "open", "reason": reason.strip()},
    )
    rnd.status, rnd.reopen_reason = locked.status, locked.reopen_reason
    events.round_changed(rnd, "round.opened", by)
    return rnd


def _fresh_status(rnd: Round) -> str:
    """The round's status as stored, with its row locked until the transaction ends, so a score
    can never slip into a round that is being submitted or locked at the same moment."""
    rnd.status = Round.objects.select_for_update().values_list("status", flat=True).get(pk=rnd.pk)
    return rnd.status


def _refuse_if_locked(rnd: Round, action: str) -> None:
    if not ROUND.allows(action, _fresh_status(rnd)):
        raise InvalidTransition(_("考核轮次已锁定,不能再修改。"))


def _refuse_unless_open(rnd: Round) -> None:
    _refuse_if_locked(rnd, "link_evidence")
    if not ROUND.allows("score", rnd.status):
        raise InvalidTransition(_("考核轮次已提交,重新开放后才能修改评分。"))


# --- scores -----------------------------------------------------------------------------------


def _score_state(score: Score) -> dict[str, Any]:
    return {
        "value": score.value,
        "points": None if score.points is None else str(score.points),
        "override_reason": score.override_reason,
        "comment": score.comment,
        "na_status": score.na_status,
        "na_reason": score.na_reason,
        "version": score.version,
    }


def _check_criterion(rnd: Round, criterion: Criterion) -> None:
    if criterion.framework_id != rnd.campaign.framework_id:
        raise ValidationFailed(_("该评分细则不属于本创建工作的考核评分体系。"))


def _locked_score(rnd: Round, criterion: Criterion, expected_version: int) -> Score:
    """The score row, locked for update, or a new unsaved one; refuses a stale version."""
    score = Score.objects.select_for_update().filter(round=rnd, criterion=criterion).first()
    current = score.version if score else 0
    if current != expected_version:
        raise StaleVersion(
            _("该项评分已被 %(who)s 修改(版本 %(now)s,您编辑的是版本 %(yours)s),请刷新后再保存。")
            % {
                "who": (score.scored_by if score and score.scored_by else _("他人")),
                "now": current,
                "yours": expected_version,
            }
        )
    return score or Score(round=rnd, criterion=criterion)


def _save_versioned(score: Score, before_version: int) -> None:
    score.version = before_version + 1
    if score.pk is None:
        try:
            with transaction.atomic():
                score.save()
        except IntegrityError as exc:
            raise StaleVersion(_("该项评分刚被他人保存,请刷新后再保存。")) from exc
        return
    updated = Score.objects.filter(pk=score.pk, version=before_version).update(
        value=score.value,
        points=score.points,
        override_reason=score.override_reason,
        comment=score.comment,
        na_status=score.na_status,
        na_reason=score.na_reason,
        na_decided_by=score.na_decided_by,
        scored_by=score.scored_by,
        scored_at=score.scored_at,
        version=F("version") + 1,
    )
    if updated != 1:
        raise StaleVersion(_("该项评分刚被他人保存,请刷新后再保存。"))


@transaction.atomic
def save_score(
    rnd: Round,
    criterion: Criterion,
    *,
    by: User,
    value: Any,
    expected_version: int,
    comment: str = "",
    override_points: Any = None,
    override_reason: str = "",
) -> Score:
    """Score a criterion from its rule's input. `override_points` needs a reason."""
    _require(by, rnd, Duty.SCORE)
    _refuse_unless_open(rnd)
    _check_criterion(rnd, criterion)
    rule = criterion.parsed_rule()
    try:
        typed = rules.coerce(rule, value)
        points = rules.score(rule, typed, criterion.max_points)
    except rules.RuleError as exc:
        raise ValidationFailed(str(exc)) from exc
    if override_points not in (None, ""):
        if not override_reason.strip():
            raise ValidationFailed(_("人工调整得分必须说明原因。"))
        try:
            manual = rules.to_decimal(override_points, what=_("调整后得分"))
        except rules.RuleError as exc:
            raise ValidationFailed(str(exc)) from exc
        if manual < 0 or manual > criterion.max_points:
            raise ValidationFailed(
                _("调整后得分必须在 0 到 %(max)s 分之间。")
                % {"max": rules.fmt(criterion.max_points)}
            )
        points = manual
    else:
        override_reason = ""
    score = _locked_score(rnd, criterion, expected_version)
    if score.na_status == NAStatus.APPROVED:
        raise InvalidTransition(
            _("该项已认定为合理缺项,不能评分;如需评分,请先由有权认定的人员撤销认定。")
        )
    before = _score_state(score) if score.pk else None
    score.value = {"input": rules.value_to_json(typed)}
    score.points = points
    score.override_reason = override_reason.strip()
    score.comment = comment.strip()
    if score.na_status == NAStatus.PENDING:
        score.na_status = NAStatus.NONE  # scoring withdraws a pending 合理缺项 claim
        score.na_decided_by = None
    score.scored_by = by
    score.scored_at = clock.now()
    _save_versioned(score, expected_version)
    score.refresh_from_db()
    score.round, score.criterion = rnd, criterion  # kept: the audit row names them, no re-read
    record(by, "score.saved", score, before=before, after=_score_state(score))
    return score


def _claim_refusal(status: str) -> str:
    if status == NAStatus.APPROVED:
        return _("该项已认定为合理缺项,不能重新申请;如需更改,请由有权认定的人员先撤销认定。")
    if status == NAStatus.PENDING:
        return _("该项的合理缺项申请正在等待认定,不能重复申请。")
    return _("该项当前不能申请合理缺项。")


@transaction.atomic
def claim_not_applicable(
    rnd: Round, criterion: Criterion, *, by: User, reason: str, expected_version: int
) -> Score:
    """Claim 合理缺项 where the criterion allows it; it counts once decided (`duties`: the office
    in its own rounds, the round's assessors or an office above in provincial and national ones)."""
    _require(by, rnd, Duty.CLAIM_NA)
    _refuse_unless_open(rnd)
    _check_criterion(rnd, criterion)
    if not criterion.na_allowed:
        raise ValidationFailed(_("该评分细则不允许合理缺项。"))
    if not reason.strip():
        raise ValidationFailed(_("申请合理缺项必须说明理由。"))
    score = _locked_score(rnd, criterion, expected_version)
    before = _score_state(score) if score.pk else None
    target = NA_CLAIM.target("claim", score.na_status)
    if target is None:
        raise InvalidTransition(_claim_refusal(score.na_status))
    score.na_status = target
    score.na_reason = reason.strip()
    score.na_decided_by = None
    score.value, score.points = None, None
    score.scored_by, score.scored_at = by, clock.now()
    _save_versioned(score, expected_version)
    score.refresh_from_db()
    score.round, score.criterion = rnd, criterion  # kept: the audit row names them, no re-read
    record(by, "score.na_claimed", score, before=before, after=_score_state(score))
    events.na_claimed(score, by)
    return score


def _locked_for_decision(score: Score, *, by: User, expected_version: int) -> Score:
    """The claim's score row, locked, for someone who may decide it (not their own claim) in an
    open round; refused otherwise. Shared by deciding and revoking a 合理缺项 claim."""
    rnd = score.round
    allowed = round_duties(by, rnd)
    if not allowed.may(Duty.DECIDE_NA):
        raise NotAllowed(allowed.refusal(Duty.DECIDE_NA))
    _refuse_unless_open(rnd)
    locked = _locked_score(rnd, score.criterion, expected_version)
    if not allowed.may_decide(locked):
        raise NotAllowed(allowed.refusal(Duty.DECIDE_NA, own_claim=True))
    return locked


@transaction.atomic
def decide_not_applicable(score: Score, *, by: User, approve: bool, expected_version: int) -> Score:
    locked = _locked_for_decision(score, by=by, expected_version=expected_version)
    target = NA_CLAIM.target("approve" if approve else "reject", locked.na_status)
    if target is None:
        raise InvalidTransition(_("没有待审核的合理缺项申请。"))
    before = _score_state(locked)
    locked.na_status = target
    locked.na_decided_by = by
    _save_versioned(locked, expected_version)
    locked.refresh_from_db()
    record(
        by,
        "score.na_approved" if approve else "score.na_rejected",
        locked,
        before=before,
        after=_score_state(locked),
    )
    events.na_decided(locked, by, approve)
    return locked


@transaction.atomic
def revoke_not_applicable(score: Score, *, by: User, expected_version: int) -> Score:
    """Take back an accepted 合理缺项 claim: it waits for a decision again, reason kept. Only
    someone who may decide the claim (`duties`) may; the row counts as unscored meanwhile."""
    locked = _locked_for_decision(score, by=by, expected_version=expected_version)
    target = NA_CLAIM.target("revoke", locked.na_status)
    if target is None:
        raise InvalidTransition(_("该项没有已认定的合理缺项,无需撤销。"))
    before = _score_state(locked)
    locked.na_status = target
    locked.na_decided_by = None
    _save_versioned(locked, expected_version)
    locked.refresh_from_db()
    record(by, "score.na_revoked", locked, before=before, after=_score_state(locked))
    events.na_revoked(locked, by)
    return locked


@transaction.atomic
def link_score_evidence(score: Score, *, by: User, evidence: Sequence[Evidence]) -> None:
    _require(by, score.round, Duty.LINK_EVIDENCE)
    _refuse_if_locked(score.round, "link_evidence")
    for item in evidence:
        if item.campaign_id != score.round.campaign_id:
            raise ValidationFailed(_("佐证材料“%(t)s”不属于本创建工作。") % {"t": item.title})
    before = sorted(score.evidence.values_list("pk", flat=True))
    score.evidence.set(list(evidence))
    for item in evidence:
        item.criteria.add(score.criterion)
        item.rounds.add(score.round)
    record(
        by,
        "score.evidence_linked",
        score,
        before={"evidence": before},
        after={"evidence": sorted(e.pk for e in evidence)},
    )


# --- evidence ---------------------------------------------------------------------------------


@transaction.atomic
def upload_evidence(
    campaign: Campaign,
    upload: File,
    *,
    by: User,
    title: str,
    unit: Unit,
    effective_date: dt.date,
    description: str = "",
    criteria: Iterable[Criterion] = (),
    rounds: Iterable[Round] = (),
) -> Evidence:
    """Upload evidence (the evidence app's service) and link it to open rounds of its campaign."""
    rounds = list(rounds)
    problems = []
    if any(r.campaign_id != campaign.pk for r in rounds):
        problems.append(_("关联的考核轮次不属于本创建工作。"))
    if any(not ROUND.allows("link_evidence", r.status) for r in rounds):
        problems.append(_("考核轮次已锁定,不能再关联佐证材料。"))
    evidence = evidence_services.upload_evidence(
        campaign,
        upload,
        by=by,
        title=title,
        unit=unit,
        effective_date=effective_date,
        description=description,
        criteria=criteria,
        problems=problems,
        audit_extra={"rounds": sorted(r.pk for r in rounds)},
    )
    evidence.rounds.set(rounds)
    return evidence


def evidence_warnings(
    evidence: Evidence, *, campaign: Campaign, rounds: Iterable[Round] = ()
) -> list[str]:
    """Warnings for evidence whose effective date lies outside the campaign or a round window."""
    out = []
    day = evidence.effective_date
    if not (campaign.start <= day <= campaign.end):
        out.append(
            _("材料日期 %(d)s 不在创建工作期间(%(s)s 至 %(e)s)内。")
            % {"d": day, "s": campaign.start, "e": campaign.end}
        )
    for rnd in rounds:
        if day > rnd.end:
            out.append(
                _("材料日期 %(d)s 晚于考核轮次“%(r)s”的截止日期 %(e)s。")
                % {"d": day, "r": rnd.name, "e": rnd.end}
            )
    return out


# --- findings and rectification ----------------------------------------------------------------


def _finding_state(finding: Finding) -> dict[str, Any]:
    return snapshot(finding)


def _table(campaign: Campaign, criterion: Criterion, role: str):
    return (
        ResponsibleUnit.objects.filter(campaign=campaign, criterion=criterion, role=role)
        .select_related("unit", "group")
        .order_by("position")
    )


def lead_unit_of(campaign: Campaign, criterion: Criterion) -> Unit | None:
    """The first lead unit of a row in the campaign's responsibility table (groups and
    unresolved names skipped)."""
    entry = _table(campaign, criterion, WorkRole.LEAD).filter(unit__isnull=False).first()
    return entry.unit if entry else None


def cooperating_units_of(campaign: Campaign, criterion: Criterion) -> list[Unit]:
    """A row's cooperating units in the campaign's table (groups expanded to their members),
    without any lead unit."""
    units: dict[int, Unit] = {}
    leads = set(
        _table(campaign, criterion, WorkRole.LEAD)
        .filter(unit__isnull=False)
        .values_list("unit_id", flat=True)
    )
    for entry in _table(campaign, criterion, WorkRole.COOPERATING).prefetch_related(
        "group__members"
    ):
        if entry.unit_id:
            units[entry.unit_id] = entry.unit
        elif entry.group_id:
            for member in entry.group.members.all():
                units[member.pk] = member
    return [u for pk, u in units.items() if pk not in leads]


@transaction.atomic
def create_finding(
    rnd: Round,
    criterion: Criterion,
    *,
    by: User,
    due: dt.date,
    title: str = "",
    description: str = "",
    unit: Unit | None = None,
) -> Finding:
    """From a gap row: a finding for the lead unit, cooperating units attached."""
    _require_office(by, rnd.campaign)
    _check_criterion(rnd, criterion)
    score = Score.objects.filter(round=rnd, criterion=criterion).first()
    if score and score.na_status == NAStatus.APPROVED:
        raise ValidationFailed(_("该项已认定为合理缺项,不需要整改。"))
    lost = criterion.max_points - (
        score.points if score and score.points is not None else Decimal(0)
    )
    if lost <= 0:
        raise ValidationFailed(_("该项没有失分,不需要整改。"))
    if due < clock.today():
        raise ValidationFailed(_("整改期限不能早于今天。"))
    if (
        Finding.objects.filter(round=rnd, criterion=criterion)
        .exclude(status=FindingStatus.VERIFIED)
        .exists()
    ):
        raise ValidationFailed(_("该评分细则在本轮已有未复核的整改任务,请在原任务中办理。"))
    unit = unit or lead_unit_of(rnd.campaign, criterion)
    if unit is None:
        raise ValidationFailed(
            _("该评分细则没有可直接指定的牵头单位(未列出或为单位组),请指定一个责任单位。")
        )
    require_directory_unit(rnd.campaign, unit)
    finding = Finding.objects.create(
        round=rnd,
        criterion=criterion,
        title=title.strip()
        or _("%(key)s 失分 %(lost)s 分") % {"key": criterion.key, "lost": rules.fmt(lost)},
        description=description.strip(),
        points_lost=lost,
        unit=unit,
        due=due,
        created_by=by,
    )
    finding.cooperating_units.set(
        [u for u in cooperating_units_of(rnd.campaign, criterion) if u.pk != unit.pk]
    )
    record(by, "finding.created", finding, after=_finding_state(finding))
    events.finding_changed(finding, "finding.assigned", by)
    return finding


def _move_finding(
    finding: Finding, action: str, *, by: User, evidence: Sequence[Evidence] = (), **changes: Any
) -> Finding:
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    target = FINDING.target(action, locked.status)
    if target is None:
        raise InvalidTransition(
            _("整改当前为“%(now)s”,不能执行此操作。") % {"now": locked.get_status_display()}
        )
    before = _finding_state(locked)
    locked.status = target
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save()
    if evidence:
        locked.evidence.add(*evidence)
    record(by, f"finding.{action}", locked, before=before, after=_finding_state(locked))
    key = FINDING_EVENTS.get(action)
    if key:
        events.finding_changed(locked, key, by)
    return locked


@transaction.atomic
def start_rectification(finding: Finding, *, by: User) -> Finding:
    if not can_work_on_finding(by, finding):
        raise NotAllowed(_("只有责任单位的联络员和创质办可以办理整改。"))
    return _move_finding(finding, "start", by=by)


@transaction.atomic
def mark_fixed(
    finding: Finding, *, by: User, note: str, evidence: Sequence[Evidence] = ()
) -> Finding:
    if not can_work_on_finding(by, finding):
        raise NotAllowed(_("只有责任单位的联络员和创质办可以办理整改。"))
    if not note.strip():
        raise ValidationFailed(_("请填写整改情况。"))
    for item in evidence:
        if item.campaign_id != finding.round.campaign_id:
            raise ValidationFailed(_("佐证材料“%(t)s”不属于本创建工作。") % {"t": item.title})
    return _move_finding(
        finding,
        "fix",
        by=by,
        evidence=evidence,
        fix_note=note.strip(),
        fixed_at=clock.now(),
        return_reason="",
    )


@transaction.atomic
def verify_finding(finding: Finding, *, by: User) -> Finding:
    _require_office(by, finding.round.campaign)
    return _move_finding(finding, "verify", by=by, verified_at=clock.now())


@transaction.atomic
def send_back_finding(finding: Finding, *, by: User, reason: str) -> Finding:
    _require_office(by, finding.round.campaign)
    if not reason.strip():
        raise ValidationFailed(_("退回整改必须说明原因。"))
    return _move_finding(finding, "send_back", by=by, return_reason=reason.strip())


def is_overdue(finding: Finding, today: dt.date | None = None) -> bool:
    today = today or clock.today()
    return finding.status in (FindingStatus.OPEN, FindingStatus.IN_PROGRESS) and finding.due < today


# --- auto-scoring -----------------------------------------------------------------------------


@dataclass
class AutoScoreReport:
    rows: list[auto_scoring.AutoScoreRow] = field(default_factory=list)
    scored: list[auto_scoring.AutoScoreRow] = field(default_factory=list)

    def with_action(self, action: str) -> list[auto_scoring.AutoScoreRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def skipped(self) -> list[auto_scoring.AutoScoreRow]:
        return [
            r
            for r in self.rows
            if r.action
            in (auto_scoring.SKIP_NO_DATA, auto_scoring.SKIP_NO_INDICATOR, auto_scoring.SKIP_NA)
        ]


@transaction.atomic
def auto_score_round(rnd: Round, *, by: User) -> AutoScoreReport:
    """Score every `indicator` criterion of the round from its indicator's evaluation as of the
    round's end date, through save_score (达标/未达标, the reason as the
    comment). Scores with a manual override (人工调整) or a 合理缺项 claim are kept; criteria
    whose indicator has not enough data are skipped, with the reason in the report."""
    _require(by, rnd, Duty.AUTO_SCORE)
    if not ROUND.allows("score", rnd.status):
        raise InvalidTransition(_("考核轮次不是“进行中”,不能自动评分。"))
    report = AutoScoreReport(rows=auto_scoring.auto_score_plan(rnd))
    for row in report.rows:
        if row.action != auto_scoring.SCORE:
            continue
        assert row.evaluation is not None
        save_score(
            rnd,
            row.criterion,
            by=by,
            value=row.evaluation.met,
            expected_version=row.score.version if row.score else 0,
            comment=row.evaluation.reason,
        )
        report.scored.append(row)
    record(
        by,
        "round.auto_scored",
        rnd,
        after={
            "scored": [r.criterion.key for r in report.scored],
            "kept_override": [
                r.criterion.key for r in report.with_action(auto_scoring.KEEP_OVERRIDE)
            ],
            "skipped": {r.criterion.key: r.message for r in report.skipped},
        },
    )
    return report
