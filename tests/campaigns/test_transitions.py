"""Pages and services agree on the campaign workflows: every action a page offers in a state is
one the service accepts in that state, and the service refuses what the table does not allow."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from qualitycity.campaigns import services, supervision
from qualitycity.campaigns.choices import NoticeStatus, ReportStatus
from qualitycity.campaigns.models import ProgressReport, SupervisionNotice
from qualitycity.campaigns.transitions import NOTICE, REPORT
from qualitycity.errors import InvalidTransition
from tests.factories import TODAY, make_task, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


@pytest.fixture
def task(campaign, office):
    return make_task(campaign, office)


@pytest.fixture
def report(task, liaison):
    period = supervision.report_periods(task)[0]
    return services.save_report(
        task, by=liaison, period_start=period.start, text="本月完成调研。", percent=10
    )


def _set(report, state):
    ProgressReport.objects.filter(pk=report.pk).update(status=state)
    return ProgressReport.objects.select_related("task__campaign").get(pk=report.pk)


@pytest.mark.parametrize("state", list(ReportStatus))
def test_report_pages_offer_what_the_report_service_accepts(
    client, task, report, office, liaison, state
):
    _set(report, state)
    client.force_login(office)
    body = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    offered = set()
    if f'data-review-for="{report.pk}"' in body:
        offered |= {"accept", "return"}
    client.force_login(liaison)
    edit = reverse("campaigns:report_edit", args=[task.pk, report.period_start.isoformat()])
    detail = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    link = re.search(r'<a class="btn btn-sm ([\w-]+)" href="' + re.escape(edit) + '"', detail)
    assert link, "the task page links the period's report"
    assert (link.group(1) == "btn-primary") == REPORT.allows("save", state)  # still to write
    body = client.get(edit).content.decode()
    buttons = {"draft": "save", "submit": "submit"}  # the form's button values → actions
    offered |= {
        buttons[v] for v in re.findall(r'name="action" value="(\w+)"', body) if v in buttons
    }
    assert offered == set(REPORT.available(state))
    for action in REPORT.actions:
        fresh = _set(report, state)

        def run(action=action, fresh=fresh):
            if action in ("save", "submit"):
                return services.save_report(
                    task,
                    by=liaison,
                    period_start=fresh.period_start,
                    text="补充说明。",
                    percent=20,
                    submit=action == "submit",
                )
            return services.review_report(
                fresh, by=office, accept=action == "accept", comment="请补充佐证材料。"
            )

        if action in offered:
            assert run().status == REPORT.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                run()


@pytest.fixture
def notice(campaign, office, task):
    return services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[task],
        content="请说明进度。",
        response_due=dt.date(2018, 9, 30),
        today=TODAY,
    )


@pytest.mark.parametrize("state", list(NoticeStatus))
def test_notice_pages_offer_what_the_notice_service_accepts(client, notice, office, liaison, state):
    SupervisionNotice.objects.filter(pk=notice.pk).update(status=state)
    url = reverse("campaigns:notice_detail", args=[notice.pk])
    offered = set()
    for user in (liaison, office):  # the unit responds, the office closes
        client.force_login(user)
        body = client.get(url).content.decode()
        offered |= set(re.findall(r'data-testid="action-(\w+)"', body))
    assert offered == set(NOTICE.available(state))
    for action in NOTICE.actions:
        SupervisionNotice.objects.filter(pk=notice.pk).update(status=state)
        fresh = SupervisionNotice.objects.get(pk=notice.pk)

        def run(action=action, fresh=fresh):
            if action == "respond":
                return services.respond_notice(fresh, by=liaison, response="已加快进度。")
            return services.close_notice(fresh, by=office)

        if action in offered:
            assert run().status == NOTICE.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                run()
