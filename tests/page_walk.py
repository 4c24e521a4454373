"""The pages of the site, by URL pattern, with their ids filled from one small but complete
campaign: shared by the page-width browser test and the form-label test.

`tests/browser/test_page_widths.py::test_every_page_pattern_is_walked` fails when a new URL pattern
is in neither PAGE_NAMES nor SKIPPED, so every walk over the pages stays complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import criteria_of, make_task, named, pdf_bytes, unit

PERSONAS = ("office", "liaison", "assessor", "leader", "admin_user")

# Patterns that are not pages to look at: downloads, POST-only actions, pages for signed-out users
# reached by a token, and the admin (Django's own).
SKIPPED = {
    "set_language": "POST only",
    "logout": "POST only",
    "password_reset_confirm": "needs a token from an e-mail",
    "password_reset_complete": "reached after a reset",
    "orgs:load_template": "download",
    "orgs:export": "download",
    "orgs:people_import_template": "download",
    "indicators:import_template": "download",
    "frameworks:export": "download",
    "frameworks:import_confirm": "POST only",
    "assessments:evidence_download": "download",
    "orgs:load_confirm": "POST only",
    "orgs:people_import_confirm": "POST only",
    "indicators:import_confirm": "POST only",
    "indicators:observation_delete": "POST only",
    "orgs:user_action": "POST only",
    "campaigns:task_action": "POST only",
    "campaigns:notice_action": "POST only",
    "campaigns:phase_remove": "POST only",
    "campaigns:measure_remove": "POST only",
    "campaigns:measures_import_confirm": "POST only",
    "campaigns:monthly_upload": "POST only",
    "campaigns:report_upload": "POST only (htmx)",
    "campaigns:monthly_review": "POST only",
    "campaigns:open_notification": "a redirect to the notified page",
    "assessments:round_transition": "POST only",
    "assessments:score_save": "POST only (htmx)",
    "assessments:score_na": "POST only (htmx)",
    "assessments:finding_action": "POST only",
    "reports:export": "a download (a background kind's page: tests/reports/test_exports.py)",
    "reports:export_job": "one job of its owner (tests/reports/test_exports.py)",
    "reports:export_job_status": "an htmx fragment",
    "reports:export_job_download": "download",
}


def url_names() -> list[str]:
    """The name of every URL pattern outside the admin."""

    def walk(patterns, namespace: str | None) -> list[str]:
        names = []
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin" or p.namespace == "api":  # the API: tests/api/
                    continue
                inner = ":".join(n for n in (namespace, p.namespace) if n) or None
                names += walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                names.append(f"{namespace}:{p.name}" if namespace else p.name)
        return names

    return walk(get_resolver().url_patterns, None)


@dataclass
class World:
    campaign: Any
    round: Any
    second_round: Any
    task: Any
    report: Any
    evidence: Any
    finding: Any
    meeting: Any
    notice: Any
    gap: Any
    phase: Any
    group: Any
    indicator: Any
    people: dict[str, Any] = field(default_factory=dict)


def pages(w: World) -> dict[str, list[str]]:
    """Addresses to open, by URL pattern name."""
    c, r = w.campaign.pk, w.round.pk
    qzj = w.task.unit_id
    period = w.report.period_start
    from qualitycity.web.queues import BY_KEY

    named = {
        "home": [reverse("home")],
        "login": [],  # opened signed out, below
        "password_change": [reverse("password_change")],
        "api_tokens": [reverse("api_tokens")],
        "queue": [reverse("queue", args=[key]) for key in BY_KEY],
        "frameworks:list": [reverse("frameworks:list")],
        "frameworks:detail": [reverse("frameworks:detail", args=[w.campaign.framework_id])],
        "frameworks:import": [reverse("frameworks:import")],
        "orgs:units": [reverse("orgs:units")],
        "orgs:unit_edit": [reverse("orgs:unit_edit", args=[qzj])],
        "orgs:groups": [reverse("orgs:groups")],
        "orgs:group_edit": [reverse("orgs:group_edit", args=[w.group.pk])],
        "orgs:load": [reverse("orgs:load")],
        "orgs:users": [reverse("orgs:users")],
        "orgs:user_create": [reverse("orgs:user_create")],
        "orgs:people_import": [reverse("orgs:people_import")],
        "orgs:user_detail": [reverse("orgs:user_detail", args=[w.people["liaison"].pk])],
        "campaigns:list": [reverse("campaigns:list")],
        "reports:cockpit": [reverse("reports:cockpit", args=[c])],
        "reports:league": [reverse("reports:league")],
        "system": [reverse("system")],
        "system_deliveries": [reverse("system_deliveries")],
        "system_audit": [reverse("system_audit")],
        "campaigns:detail": [reverse("campaigns:detail", args=[c])],
        "campaigns:create": [reverse("campaigns:create")],
        "campaigns:edit": [reverse("campaigns:edit", args=[c])],
        "campaigns:phases_edit": [reverse("campaigns:phases_edit", args=[c])],
        "campaigns:phase_edit": [reverse("campaigns:phase_edit", args=[w.phase.pk])],
        "campaigns:measures_edit": [reverse("campaigns:measures_edit", args=[c])],
        "campaigns:measure_create": [reverse("campaigns:measure_create", args=[c])],
        "campaigns:measures_import": [reverse("campaigns:measures_import", args=[c])],
        "campaigns:measure_edit": [
            reverse("campaigns:measure_edit", args=[w.campaign.measures.first().pk])
        ],
        "campaigns:responsibilities": [reverse("campaigns:responsibilities", args=[c])],
        "campaigns:measure_list": [reverse("campaigns:measure_list", args=[c])],
        "campaigns:measure_detail": [
            reverse("campaigns:measure_detail", args=[c, w.campaign.measures.first().number])
        ],
        "campaigns:my_tasks": [reverse("campaigns:my_tasks")],
        "campaigns:task_list": [reverse("campaigns:task_list", args=[c])],
        "campaigns:task_create": [reverse("campaigns:task_create", args=[c])],
        "campaigns:task_generate": [reverse("campaigns:task_generate", args=[c])],
        "campaigns:task_detail": [reverse("campaigns:task_detail", args=[w.task.pk])],
        "campaigns:report_edit": [
            reverse("campaigns:report_edit", args=[w.task.pk, period.isoformat()])
        ],
        "campaigns:report_review": [reverse("campaigns:report_review", args=[w.report.pk])],
        "campaigns:monthly_overview": [reverse("campaigns:monthly_overview", args=[c])],
        "campaigns:monthly_index": [reverse("campaigns:monthly_index", args=[c, qzj])],
        "campaigns:monthly": [
            reverse("campaigns:monthly", args=[c, qzj, f"{period.year}-{period.month:02d}"])
        ],
        "campaigns:notifications": [reverse("campaigns:notifications")],
        "campaigns:notification_preferences": [reverse("campaigns:notification_preferences")],
        "campaigns:robots": [reverse("campaigns:robots", args=[c])],
        "campaigns:board": [reverse("campaigns:board", args=[c])],
        "campaigns:timeline": [reverse("campaigns:timeline", args=[c])],
        "campaigns:notice_list": [reverse("campaigns:notice_list", args=[c])],
        "campaigns:notice_create": [
            reverse("campaigns:notice_create", args=[c]),
            reverse("campaigns:notice_create", args=[c]) + f"?unit={qzj}",
        ],
        "campaigns:notice_detail": [reverse("campaigns:notice_detail", args=[w.notice.pk])],
        "campaigns:meeting_list": [reverse("campaigns:meeting_list", args=[c])],
        "campaigns:meeting_create": [reverse("campaigns:meeting_create", args=[c])],
        "campaigns:meeting_detail": [reverse("campaigns:meeting_detail", args=[w.meeting.pk])],
        "campaigns:meeting_decisions": [
            reverse("campaigns:meeting_decisions", args=[w.meeting.pk])
        ],
        "indicators:board": [reverse("indicators:board")],
        "indicators:detail": [reverse("indicators:detail", args=[w.indicator.pk])],
        "indicators:import": [reverse("indicators:import")],
        "assessments:round_list": [reverse("assessments:round_list")],
        "assessments:queue_to_score": [reverse("assessments:queue_to_score")],
        "assessments:queue_to_decide": [reverse("assessments:queue_to_decide")],
        "assessments:round_create": [reverse("assessments:round_create", args=[c])],
        "assessments:compare": [
            reverse("assessments:compare") + f"?a={w.second_round.pk}&b={r}",
        ],
        "assessments:round_summary": [reverse("assessments:round_summary", args=[r])],
        "assessments:auto_score": [reverse("assessments:auto_score", args=[r])],
        "assessments:round_assessors": [reverse("assessments:round_assessors", args=[r])],
        "assessments:workspace": [reverse("assessments:workspace", args=[r])],
        "assessments:gaps": [reverse("assessments:gaps", args=[r])],
        "assessments:finding_create": [reverse("assessments:finding_create", args=[r, w.gap.pk])],
        "assessments:finding_list": [reverse("assessments:finding_list")],
        "assessments:finding_detail": [reverse("assessments:finding_detail", args=[w.finding.pk])],
        "assessments:evidence_list": [reverse("assessments:evidence_list")],
        "assessments:evidence_upload": [reverse("assessments:evidence_upload")],
        "assessments:evidence_detail": [
            reverse("assessments:evidence_detail", args=[w.evidence.pk])
        ],
    }
    return named


PAGE_NAMES = {
    *"""home login password_change api_tokens queue frameworks:list frameworks:detail frameworks:import orgs:units
    orgs:unit_edit orgs:groups orgs:group_edit orgs:load orgs:users orgs:user_create
    orgs:people_import orgs:user_detail campaigns:list campaigns:detail campaigns:create
    campaigns:edit campaigns:phases_edit campaigns:phase_edit campaigns:measures_edit
    campaigns:measure_create campaigns:measure_edit campaigns:measures_import campaigns:responsibilities
    campaigns:measure_list campaigns:measure_detail campaigns:my_tasks campaigns:task_list
    campaigns:task_create campaigns:task_generate campaigns:task_detail campaigns:report_edit
    campaigns:report_review campaigns:monthly_overview campaigns:monthly_index campaigns:monthly
    campaigns:notifications campaigns:notification_preferences campaigns:robots campaigns:board
    campaigns:timeline campaigns:notice_list campaigns:notice_create campaigns:notice_detail
    campaigns:meeting_list campaigns:meeting_create campaigns:meeting_detail
    campaigns:meeting_decisions indicators:board indicators:detail indicators:import
    assessments:round_list assessments:queue_to_score assessments:queue_to_decide
    assessments:round_create assessments:compare assessments:round_summary assessments:auto_score
    assessments:round_assessors assessments:workspace assessments:gaps
    assessments:finding_create assessments:finding_list assessments:finding_detail
    assessments:evidence_list assessments:evidence_upload assessments:evidence_detail
    reports:cockpit reports:league system system_deliveries system_audit""".split()
}


def build_world(office, liaison, assessor, leader, admin_user, campaign, open_round) -> World:
    """A small campaign with one of everything a page can show."""
    from qualitycity.assessments import services as assess
    from qualitycity.campaigns import services as work
    from qualitycity.campaigns.services.measures import load_measures
    from qualitycity.demo.indicators import ensure_demo_indicators
    from qualitycity.indicators.models import Indicator
    from qualitycity.orgs.models import UnitGroup
    from tests.factories import score_criteria

    qzj = unit("市质监局")
    task = make_task(campaign, office, title="建立质量工作部门联席会议制度")
    work.update_progress(task, by=office, progress=60)
    late = make_task(
        campaign, office, title="制定企业质量信用分级分类管理办法", due=dt.date(2018, 9, 10)
    )
    work.update_progress(late, by=office, progress=20)
    make_task(campaign, office, title="配合开展质量提升行动", unit_name="市住建局")
    evidence = assess.upload_evidence(
        campaign,
        named("联席会议纪要.pdf", pdf_bytes("minutes")),
        by=office,
        title="质量工作部门联席会议纪要(2018年第一次)",
        unit=qzj,
        effective_date=dt.date(2018, 3, 12),
        rounds=[open_round],
    )
    report = work.save_report(
        task,
        by=liaison,
        period_start=dt.date(2018, 8, 1),
        text="已召开联席会议,印发会议纪要。" * 3,
        percent=60,
        evidence=[evidence],
        submit=True,
    )
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[0:40:2], by=assessor)
    score_criteria(open_round, criteria[1:40:2], by=assessor, high=True)
    gap = criteria[0]
    finding = assess.create_finding(open_round, gap, by=office, due=dt.date(2019, 6, 30))
    second = assess.create_round(
        campaign,
        by=office,
        kind="mock",
        name="2018年模拟考核",
        start=dt.date(2018, 10, 1),
        end=dt.date(2018, 10, 31),
        assessors=[assessor],
    )
    score_criteria(second, criteria[0:40:3], by=assessor, high=True)
    meeting = work.create_meeting(
        campaign,
        by=office,
        kind="leading_group",
        title="质量强市工作领导小组第一次全体会议",
        date=dt.date(2018, 3, 12),
        attendees=[qzj, unit("市住建局")],
        minutes="会议听取了各成员单位工作进展汇报。",
        attachments=[evidence],
    )
    notice = work.issue_notice(
        campaign,
        by=office,
        unit=qzj,
        tasks=[late],
        content="请于期限内完成办法的制定并报送。",
        response_due=dt.date(2018, 9, 25),
    )
    load_measures(campaign, by=office)
    ensure_demo_indicators()
    return World(
        campaign=campaign,
        round=open_round,
        second_round=second,
        task=task,
        report=report,
        evidence=evidence,
        finding=finding,
        meeting=meeting,
        notice=notice,
        gap=gap,
        phase=campaign.phases.order_by("position").first(),
        group=UnitGroup.objects.filter(region=campaign.region).first(),
        indicator=Indicator.objects.order_by("pk").first(),
        people={
            "office": office,
            "liaison": liaison,
            "assessor": assessor,
            "leader": leader,
            "admin_user": admin_user,
        },
    )
