"""The scoring workspace: the table in its order, one dimension at a time, an input per rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.models import ResponsibleUnit
from qualitycity.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationFailed
from qualitycity.frameworks import naming, rules
from qualitycity.frameworks.models import Criterion
from qualitycity.frameworks.structure import dimension_criterion_ids
from qualitycity.refusals import refusals, render

from .. import services
from ..access import RoundDuties, access_round, access_round_criterion, round_duties
from ..auto_scoring import evaluations_for_round
from ..choices import NAStatus
from ..models import Round, Score
from ..queries import RoundData, round_data
from ..scoring import RoundTotal
from ..transitions import NA_CLAIM, ROUND


@dataclass
class SubInput:
    """One input of a composite (a condition) or `parts` (a part) row: `value-<index>`."""

    index: int
    label: str
    rule: rules.Rule
    points: Any  # a part's points, a condition's partial points, or None
    choices: list[tuple[str, str]]
    current: str

    @property
    def kind(self) -> str:
        return self.rule.type

    @property
    def name(self) -> str:
        return f"value-{self.index}"


@dataclass
class Row:
    criterion: Criterion
    rule: rules.Rule
    rule_text: str
    score: Score | None
    lead: list[ResponsibleUnit]
    evidence: int
    choices: list[tuple[str, str]]
    current: str
    error: str = ""
    evaluation: Any = None  # (indicator, evaluation) for an indicator criterion
    subs: list[SubInput] | None = None  # conditions or parts, each with its own input
    may_claim: bool = False  # the user may claim 合理缺项 here (duties and the claim's state)
    may_decide: bool = False  # the user may decide the pending claim here
    may_revoke: bool = False  # the user may take back the accepted claim here

    @property
    def kind(self) -> str:
        return self.rule.type

    @property
    def version(self) -> int:
        return self.score.version if self.score else 0

    @property
    def scored(self) -> bool:
        return bool(
            self.score
            and (self.score.points is not None or self.score.na_status == NAStatus.APPROVED)
        )

    @property
    def na_status(self) -> str:
        return self.score.na_status if self.score else NAStatus.NONE

    @property
    def na_pending(self) -> bool:
        """A claim waits for a decision."""
        return NA_CLAIM.allows("approve", self.na_status)

    @property
    def na_approved(self) -> bool:
        return self.na_status == NAStatus.APPROVED

    @property
    def na_form(self) -> bool:
        return self.criterion.na_allowed and (self.may_claim or self.may_decide or self.may_revoke)

    @property
    def na_claimable(self) -> bool:
        return NA_CLAIM.allows("claim", self.na_status)

    @property
    def shown(self) -> str:
        """The stored input as a reader reads it: choices by their label, numbers with their
        unit, a combined rule's inputs one per condition or part."""
        if self.subs:
            return ";".join(
                f"{sub.label}:{shown_value(sub.rule, sub.current) or '—'}" for sub in self.subs
            )
        return shown_value(self.rule, self.current)


def _choices(rule: rules.Rule) -> list[tuple[str, str]]:
    if isinstance(rule, rules.Tiers):
        return [(t.label, f"{t.label}({rules.fmt(t.points)}分)") for t in rule.tiers]
    if isinstance(rule, rules.Rank):
        return [(b.band, f"{b.band}({rules.fmt(b.points)}分)") for b in rule.bands]
    if isinstance(rule, rules.Binary):
        return [("yes", _("是")), ("no", _("否"))]
    if isinstance(rule, rules.IndicatorRule):
        return [("yes", _("达标")), ("no", _("未达标"))]
    if isinstance(rule, rules.Veto):
        return [("no", _("未触发")), ("yes", _("已触发"))]
    return []


def shown_value(rule: rules.Rule, current: str) -> str:
    """One input as a reader reads it: 是/否 (or 达标/未达标, 已触发/未触发) for yes/no rules, a
    number with its rule's unit (0.7‰, 3 个), a manual score with 分."""
    if current == "":
        return ""
    labels = dict(_choices(rule))
    if isinstance(rule, (rules.Binary, rules.IndicatorRule, rules.Veto)):
        return labels.get(current, current)
    if isinstance(rule, rules.Threshold):
        return f"{current}{rule.unit}"
    if isinstance(rule, rules.Count):
        return f"{current} {rule.unit or _('个')}"
    if isinstance(rule, rules.Deduction):
        return f"{current} {rule.unit or _('次')}"
    if isinstance(rule, rules.Manual):
        return _("%(n)s 分") % {"n": current}
    return current


def _current(score: Score | None) -> str:
    if score is None or not score.value:
        return ""
    return _shown(score.value.get("input"))


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(_shown(v) for v in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def sub_rules(rule: rules.Rule) -> list[tuple[str, rules.Rule, Any]]:
    """(label, rule, points) of each condition or part of a combined rule; [] for other rules."""
    if isinstance(rule, rules.Composite):
        return [(c.label, c.rule, c.points) for c in rule.conditions]
    if isinstance(rule, rules.Parts):
        return [(p.text, p.rule, p.points) for p in rule.parts]
    return []


def _subs(rule: rules.Rule, score: Score | None) -> list[SubInput] | None:
    entries = sub_rules(rule)
    if not entries:
        return None
    stored = (score.value or {}).get("input") if score else None
    values = stored if isinstance(stored, list) and len(stored) == len(entries) else []
    return [
        SubInput(
            index,
            label,
            sub,
            points,
            _choices(sub),
            _shown(values[index]) if values else "",
        )
        for index, (label, sub, points) in enumerate(entries)
    ]


def posted_value(rule: rules.Rule, post: Any) -> Any:
    """The scoring input of a form: one `value-<i>` per condition or part, else `value`."""
    entries = sub_rules(rule)
    if entries:
        return [post.get(f"value-{i}", "") for i in range(len(entries))]
    return post.get("value", "")


def _row(
    data: RoundData,
    criterion: Criterion,
    error: str = "",
    evaluations: dict | None = None,
    *,
    duties: RoundDuties,
    names: dict[str, str] | None = None,
) -> Row:
    rule = criterion.parsed_rule()
    if names is None:
        names = naming.indicator_names(rules.indicator_codes(rule))
    score = data.scores.get(criterion.pk)
    status = score.na_status if score else NAStatus.NONE
    return Row(
        criterion=criterion,
        rule=rule,
        rule_text=rules.describe(rule, names),
        score=score,
        lead=data.lead.get(criterion.pk, []),
        evidence=data.evidence_count.get(criterion.pk, 0),
        choices=_choices(rule),
        current=_current(score),
        error=error,
        evaluation=(evaluations or {}).get(criterion.pk),
        subs=_subs(rule, score),
        may_claim=duties.may("claim_na") and NA_CLAIM.allows("claim", status),
        may_decide=NA_CLAIM.allows("approve", status) and duties.may_decide(score),
        may_revoke=NA_CLAIM.allows("revoke", status) and duties.may_decide(score),
    )


@dataclass
class DimensionTab:
    number: int
    title: str
    unscored: int
    no_evidence: int


def _tabs(data: RoundData) -> dict[int, DimensionTab]:
    """Every dimension with its unscored and evidence-less rows, in the table's order."""
    items_by_pk = {i.pk: i for i in data.items}
    tabs: dict[int, DimensionTab] = {}
    for item in data.items:
        tabs.setdefault(
            item.dimension.number, DimensionTab(item.dimension.number, item.dimension.title, 0, 0)
        )
    for criterion in data.criteria:
        tab = tabs[items_by_pk[criterion.item_id].dimension.number]
        facts = data.facts.get(criterion.pk)
        if not (facts and facts.scored):
            tab.unscored += 1
        if not data.evidence_count.get(criterion.pk):
            tab.no_evidence += 1
    return tabs


ALL = 0  # `?dim=all`: every dimension on one page


def _counts(tabs: dict[int, DimensionTab], dim: int) -> dict[str, Any]:
    """The tab badges and the 未评分 counts, for the page and for a save's out-of-band parts;
    `dim` ALL counts the whole table under one heading."""
    unscored = sum(t.unscored for t in tabs.values())
    no_evidence = sum(t.no_evidence for t in tabs.values())
    return {
        "tabs": list(tabs.values()),
        "dimension": (
            DimensionTab(ALL, _("全部指标项"), unscored, no_evidence)
            if dim == ALL
            else tabs.get(dim)
        ),
        "unscored_total": unscored,
        "no_evidence_total": no_evidence,
    }


def shown_dimension(value: str | None) -> int:
    """The `dim` of a workspace address or a save: a dimension's number, ALL for "all", and the
    first dimension for anything else."""
    if value == "all":
        return ALL
    try:
        return int(value or "1")
    except ValueError:
        return 1


def _context(request: HttpRequest, rnd: Round, data: RoundData, dim: int) -> dict[str, Any]:
    total: RoundTotal = data.totals()
    items_by_pk = {i.pk: i for i in data.items}
    tabs = _tabs(data)
    duties = round_duties(request.user, rnd)
    groups: list[tuple[Any, Any, list[Row], DimensionTab | None]] = []
    shown = [c for c in data.criteria if dim in (ALL, items_by_pk[c.item_id].dimension.number)]
    evaluations = evaluations_for_round(rnd, shown)  # the indicator rows shown
    names = naming.indicator_names(  # the indicators the tab's rules read, named in one query
        set().union(*(rules.indicator_codes(c.parsed_rule()) for c in shown))
    )
    current_item = None
    for criterion in shown:
        item = items_by_pk[criterion.item_id]
        if current_item is None or current_item.pk != item.pk:
            # on the page of every dimension, each dimension's first item carries its heading
            heading = None
            if dim == ALL and (
                current_item is None or current_item.dimension_id != item.dimension_id
            ):
                heading = tabs[item.dimension.number]
            current_item = item
            groups.append((item, total.items[item.code], [], heading))
        groups[-1][2].append(
            _row(data, criterion, evaluations=evaluations, duties=duties, names=names)
        )
    return {
        "round": rnd,
        "total": total,
        "dim": dim,
        "every_dimension": dim == ALL,
        "groups": groups,
        "duties": duties.flags(),
        "can_score": duties.may("score"),
        "editable": ROUND.allows("score", rnd.status),
        **_counts(tabs, dim),
    }


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    dim = shown_dimension(request.GET.get("dim"))
    # the units and scores of the dimension shown only
    shown = None if dim == ALL else dimension_criterion_ids(rnd.campaign.framework, dim)
    data = round_data(rnd, units_for=shown, scores_for=shown)
    context = _context(request, rnd, data, dim)
    if context["dimension"] is None:
        raise Http404
    return render(request, "assessments/workspace.html", context)


def _respond(
    request: HttpRequest, rnd: Round, criterion: Criterion, *, error: str = "", status: int = 200
) -> HttpResponse:
    """htmx: the row again plus, out of band, what the row changes elsewhere on the page (the
    totals, its item's subtotal, the tab badges and the 未评分 counts); plain POST: back to the
    workspace, or, when refused, the reason with its status (403, 422, or 409 for a stale
    version) and a link back.

    The htmx answer reads the round's rows and scores once (no units, no evidence lists), the
    lead units of this row only and the indicator evaluation of this row only: a fixed number of
    queries whatever the round holds (tests/assessments/test_workspace.py)."""
    every_dimension = request.POST.get("dim") == "all"  # saved on the 全部 tab
    if request.headers.get("HX-Request") != "true":
        url = reverse("assessments:workspace", args=[rnd.pk])
        page = "all" if every_dimension else criterion.item.dimension.number
        back = f"{url}?dim={page}#crit-{criterion.pk}"
        if error:
            return render(
                request,
                "web/bad_request.html",
                {"message": error, "back_url": back, "back_label": _("返回评分")},
                status=status if status >= 400 else 422,
            )
        messages.success(request, _("第 %(n)s 行已保存。") % {"n": criterion.row})
        return redirect(back)
    data = round_data(rnd, with_units=False, scores_for=[criterion.pk])
    data.lead = {
        criterion.pk: list(
            ResponsibleUnit.objects.filter(
                campaign_id=rnd.campaign_id, criterion=criterion, role=WorkRole.LEAD
            )
            .select_related("unit", "group")
            .order_by("position")
        )
    }
    evaluations = evaluations_for_round(rnd, [criterion])  # this row's, if an indicator's
    duties = round_duties(request.user, rnd)
    total = data.totals()
    item = next(i for i in data.items if i.pk == criterion.item_id)
    # the page the row was saved on: one dimension's counts, or the whole table's
    page = ALL if every_dimension else item.dimension.number
    context = {
        "round": rnd,
        "row": _row(data, criterion, error, evaluations, duties=duties),
        "total": total,
        "item": item,
        "item_total": total.items[item.code],
        "duties": duties.flags(),
        "can_score": duties.may("score"),
        "editable": ROUND.allows("score", rnd.status),
        "oob": True,
        "dim": page,
        "every_dimension": every_dimension,
        **_counts(_tabs(data), page),
    }
    return render(request, "assessments/_workspace_row.html", context, status=status)


def _refusal_status(outcome: Any) -> int:
    """A refused save or claim: 403 when the user may not do it, 409 for a stale version, else
    422 — each answered with the row and the reason, never a bare 404 (the user sees the round)."""
    if isinstance(outcome.error, NotAllowed):
        return 403
    if isinstance(outcome.error, StaleVersion):
        return 409
    return 422


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return -1


@login_required
@require_POST
def save(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    criterion = access_round_criterion(rnd, criterion_pk)
    rule = criterion.parsed_rule()
    with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
        services.save_score(
            rnd,
            criterion,
            by=request.user,
            value=posted_value(rule, request.POST),
            expected_version=_version(request),
            comment=request.POST.get("comment", ""),
            override_points=request.POST.get("override_points", ""),
            override_reason=request.POST.get("override_reason", ""),
        )
    if not outcome.refused:
        return _respond(request, rnd, criterion)
    status = _refusal_status(outcome)
    reasons = list(outcome.messages)
    if status == 409:
        unsaved = _unsaved(rule, request.POST)
        if unsaved:
            reasons.append(_("您刚才输入的“%(v)s”未保存。") % {"v": unsaved})
    return _respond(request, rnd, criterion, error=" ".join(reasons).strip(), status=status)


def _unsaved(rule: rules.Rule, post: Any) -> str:
    """What the user typed, as a reader reads it, for the message of a stale save."""
    value = posted_value(rule, post)
    entries = sub_rules(rule)
    if entries:
        parts = [
            f"{label}:{shown_value(sub, str(v))}"
            for (label, sub, _points), v in zip(entries, value, strict=True)
            if str(v).strip()
        ]
        return ";".join(parts)
    return shown_value(rule, str(value).strip())


NA_DECISIONS = ("approve", "reject", "revoke")


@login_required
@require_POST
def not_applicable(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Claim 合理缺项, decide a pending claim (decision=approve|reject) or take back an accepted
    one (decision=revoke); who may do which is `duties`' answer, checked by the services. Every
    refusal comes back as the row with its reason."""
    rnd = access_round(request.user, pk)
    criterion = access_round_criterion(rnd, criterion_pk)
    decision = request.POST.get("decision", "")
    with refusals(request, quiet=True, forbidden_as_404=False) as outcome:
        if decision in NA_DECISIONS:
            score = Score.objects.filter(round=rnd, criterion=criterion).first()
            if score is None:
                raise InvalidTransition(_("没有待审核的合理缺项申请。"))
            if decision == "revoke":
                services.revoke_not_applicable(
                    score, by=request.user, expected_version=_version(request)
                )
            else:
                services.decide_not_applicable(
                    score,
                    by=request.user,
                    approve=decision == "approve",
                    expected_version=_version(request),
                )
        elif decision:
            raise ValidationFailed(_("无法识别的操作。"))
        else:
            services.claim_not_applicable(
                rnd,
                criterion,
                by=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
    if outcome.refused:
        return _respond(
            request,
            rnd,
            criterion,
            error=" ".join(outcome.messages),
            status=_refusal_status(outcome),
        )
    return _respond(request, rnd, criterion)
