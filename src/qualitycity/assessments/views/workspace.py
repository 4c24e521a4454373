"""The scoring workspace: the table in its order, one dimension at a time, an input per rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.campaigns.models import ResponsibleUnit
from qualitycity.errors import StaleVersion
from qualitycity.frameworks import naming, rules
from qualitycity.frameworks.models import Criterion
from qualitycity.refusals import refusals

from .. import services
from ..access import RoundDuties, access_round, round_duties
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
    def na_form(self) -> bool:
        return self.criterion.na_allowed and (self.may_claim or self.may_decide)

    @property
    def na_claimable(self) -> bool:
        return NA_CLAIM.allows("claim", self.na_status)


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
    )


@dataclass
class DimensionTab:
    number: int
    title: str
    unscored: int
    no_evidence: int


def _context(request: HttpRequest, rnd: Round, data: RoundData, dim: int) -> dict[str, Any]:
    total: RoundTotal = data.totals()
    items_by_pk = {i.pk: i for i in data.items}
    tabs: dict[int, DimensionTab] = {}
    for item in data.items:
        tabs.setdefault(
            item.dimension.number, DimensionTab(item.dimension.number, item.dimension.title, 0, 0)
        )
    evaluations = evaluations_for_round(rnd)
    duties = round_duties(request.user, rnd)
    groups: list[tuple[Any, Any, list[Row]]] = []
    shown = [c for c in data.criteria if items_by_pk[c.item_id].dimension.number == dim]
    names = naming.indicator_names(  # the indicators the tab's rules read, named in one query
        set().union(*(rules.indicator_codes(c.parsed_rule()) for c in shown))
    )
    current_item = None
    for criterion in data.criteria:
        item = items_by_pk[criterion.item_id]
        tab = tabs[item.dimension.number]
        score = data.scores.get(criterion.pk)
        if not (score and (score.points is not None or score.na_status == NAStatus.APPROVED)):
            tab.unscored += 1
        if not data.evidence_count.get(criterion.pk):
            tab.no_evidence += 1
        if item.dimension.number != dim:
            continue
        if current_item is None or current_item.pk != item.pk:
            current_item = item
            groups.append((item, total.items[item.code], []))
        groups[-1][2].append(
            _row(data, criterion, evaluations=evaluations, duties=duties, names=names)
        )
    return {
        "round": rnd,
        "total": total,
        "tabs": list(tabs.values()),
        "dim": dim,
        "dimension": next((t for t in tabs.values() if t.number == dim), None),
        "groups": groups,
        "duties": duties.flags(),
        "can_score": duties.may("score"),
        "editable": ROUND.allows("score", rnd.status),
        "unscored_total": sum(t.unscored for t in tabs.values()),
        "no_evidence_total": sum(t.no_evidence for t in tabs.values()),
    }


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    try:
        dim = int(request.GET.get("dim", "1"))
    except ValueError:
        dim = 1
    data = round_data(rnd)
    context = _context(request, rnd, data, dim)
    if context["dimension"] is None:
        raise Http404
    return render(request, "assessments/workspace.html", context)


def _respond(
    request: HttpRequest, rnd: Round, criterion: Criterion, *, error: str = "", status: int = 200
) -> HttpResponse:
    """htmx: the row again plus the totals (out of band); plain POST: back to the workspace, or,
    when refused, the reason with its status (422, or 409 for a stale version) and a link back."""
    if request.headers.get("HX-Request") != "true":
        url = reverse("assessments:workspace", args=[rnd.pk])
        back = f"{url}?dim={criterion.item.dimension.number}#crit-{criterion.pk}"
        if error:
            return render(
                request,
                "web/bad_request.html",
                {"message": error, "back_url": back, "back_label": _("返回评分")},
                status=status if status >= 400 else 422,
            )
        return redirect(back)
    data = round_data(rnd)
    duties = round_duties(request.user, rnd)
    context = {
        "round": rnd,
        "row": _row(data, criterion, error, evaluations_for_round(rnd), duties=duties),
        "total": data.totals(),
        "duties": duties.flags(),
        "can_score": duties.may("score"),
        "editable": ROUND.allows("score", rnd.status),
        "oob": True,
    }
    return render(request, "assessments/_workspace_row.html", context, status=status)


def _criterion(rnd: Round, criterion_pk: int) -> Criterion:
    return get_object_or_404(
        Criterion.objects.select_related("item__dimension"),
        pk=criterion_pk,
        framework_id=rnd.campaign.framework_id,
    )


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", "0"))
    except ValueError:
        return -1


@login_required
@require_POST
def save(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    rnd = access_round(request.user, pk)
    criterion = _criterion(rnd, criterion_pk)
    with refusals(request, quiet=True) as outcome:
        services.save_score(
            rnd,
            criterion,
            by=request.user,
            value=posted_value(criterion.parsed_rule(), request.POST),
            expected_version=_version(request),
            comment=request.POST.get("comment", ""),
            override_points=request.POST.get("override_points", ""),
            override_reason=request.POST.get("override_reason", ""),
        )
    if isinstance(outcome.error, StaleVersion):
        unsaved = _shown(posted_value(criterion.parsed_rule(), request.POST)).strip(";")
        note = _("您刚才输入的“%(v)s”未保存。") % {"v": unsaved} if unsaved else ""
        return _respond(
            request, rnd, criterion, error=" ".join([*outcome.messages, note]).strip(), status=409
        )
    if outcome.refused:
        return _respond(request, rnd, criterion, error=" ".join(outcome.messages), status=422)
    return _respond(request, rnd, criterion)


@login_required
@require_POST
def not_applicable(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    """Claim 合理缺项 or decide a pending claim (decision=approve|reject); who may do which is
    `duties`' answer, checked by the services."""
    rnd = access_round(request.user, pk)
    criterion = _criterion(rnd, criterion_pk)
    decision = request.POST.get("decision", "")
    with refusals(request, quiet=True) as outcome:
        if decision in ("approve", "reject"):
            score = get_object_or_404(Score, round=rnd, criterion=criterion)
            services.decide_not_applicable(
                score,
                by=request.user,
                approve=decision == "approve",
                expected_version=_version(request),
            )
        else:
            services.claim_not_applicable(
                rnd,
                criterion,
                by=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
    if outcome.refused:
        status = 409 if isinstance(outcome.error, StaleVersion) else 422
        return _respond(request, rnd, criterion, error=" ".join(outcome.messages), status=status)
    return _respond(request, rnd, criterion)
