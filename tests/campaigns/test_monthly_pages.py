"""The 月报 pages: the liaison's page (save, submit all together, errors per task, read-only once
submitted or accepted, returned tasks fixed and resubmitted), the upload inside a row, the office's
review (whole or one task), the unit's index and the office's overview; who sees what (another
unit's 月报 is a 404, leaders read only); bad ids and periods are a 4xx; query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import ReportStatus, WorkRole
from qualitycity.campaigns.models import ProgressReport
from qualitycity.campaigns.services import Entry
from qualitycity.evidence.models import Evidence
from tests.factories import TODAY, html, make_task, unit
from tests.factories import pdf_bytes as _pdf
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

AUGUST = dt.date(2018, 8, 1)


@pytest.fixture(autouse=True)
def pinned_day(settings):
    settings.QC_TODAY = TODAY  # 2018-09-15: August's deadline (09-05) has passed


@pytest.fixture
def qzj():
    return unit("市质监局")


@pytest.fixture
def tasks(campaign, office):
    campaign.reports_from = "lead"
    campaign.save(update_fields=["reports_from"])
    made = [make_task(campaign, office, title=f"质监任务{i}") for i in range(2)]
    make_task(campaign, office, title="配合任务", role=WorkRole.COOPERATING)
    return made


def url(campaign, qzj, suffix=""):
    return f"/campaigns/{campaign.pk}/monthly/{qzj.pk}/2018-08/{suffix}"


def form_data(tasks, action="submit", **texts):
    data = {"action": action}
    for i, t in enumerate(tasks):
        data[f"t{t.pk}-text"] = texts.get(f"t{i}", f"任务{i}本月完成。")
        data[f"t{t.pk}-percent"] = str(40 + i)
    return data


def submit_all(campaign, qzj, liaison, tasks):
    campaign_services.save_monthly(
        campaign,
        qzj,
        by=liaison,
        period_start=AUGUST,
        entries=[Entry(t.pk, "已完成。", 50) for t in tasks],
        submit=True,
    )


def test_the_liaison_sees_every_owed_task(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    body = html(client.get(url(campaign, qzj)))
    assert "质监任务0" in body and "质监任务1" in body and "配合任务" not in body
    assert 'data-testid="monthly-form"' in body and 'data-state="not_started"' in body
    assert 'data-testid="late-warning"' in body


def test_submitting_the_page_submits_every_task(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    response = client.post(url(campaign, qzj), form_data(tasks))
    assert response.status_code == 302
    reports = ProgressReport.objects.order_by("task_id")
    assert [r.status for r in reports] == [ReportStatus.SUBMITTED] * 2
    assert [r.percent for r in reports] == [40, 41]
    assert all(r.late for r in reports)  # 09-15 is after the 09-05 deadline: per task
    body = html(client.get(url(campaign, qzj)))
    assert 'data-testid="monthly-form"' not in body  # submitted: read-only now
    assert 'data-state="submitted"' in body and "逾期提交" in body


def test_a_draft_keeps_what_was_typed(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    client.post(url(campaign, qzj), form_data(tasks, action="draft", t0="写了一半"))
    body = html(client.get(url(campaign, qzj)))
    assert "写了一半" in body and 'data-state="draft"' in body


def test_one_bad_task_writes_nothing_and_shows_its_error(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    data = form_data(tasks, t1="  ")
    data[f"t{tasks[0].pk}-percent"] = "120"
    response = client.post(url(campaign, qzj), data)
    assert response.status_code == 400
    body = html(response)
    assert f'data-testid="errors-{tasks[1].pk}">提交前请填写进展情况。' in body
    assert f'data-testid="errors-{tasks[0].pk}">完成百分比必须是 0 到 100 之间的整数。' in body
    assert "任务0本月完成。" in body  # what was typed stays on the page
    assert ProgressReport.objects.count() == 0


def test_evidence_that_is_not_usable_is_refused_per_task(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    data = form_data(tasks)
    data[f"t{tasks[0].pk}-evidence"] = ["9" * 23]
    response = client.post(url(campaign, qzj), data)
    assert response.status_code == 400
    assert "所选佐证材料不存在,或您无权使用。" in html(response)
    assert ProgressReport.objects.count() == 0


def test_upload_in_a_row_answers_the_picker_with_the_file_selected(
    client, campaign, qzj, liaison, tasks, media
):
    client.force_login(liaison)
    task = tasks[0]
    response = client.post(
        url(campaign, qzj, f"upload/{task.pk}/"),
        {
            f"up{task.pk}-title": "联席会议纪要",
            f"up{task.pk}-file": SimpleUploadedFile("minutes.pdf", _pdf("minutes")),
            f"t{task.pk}-text": "typed",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    evidence = Evidence.objects.get(title="联席会议纪要")
    assert evidence.unit == qzj and evidence.campaign == campaign
    body = html(response)
    assert f'value="{evidence.pk}" checked>' in body
    assert "<form" not in body and "<html" not in body  # the picker only
    # and offered (out of band, not selected) in the other editable row's picker
    assert f'hx-swap-oob="beforeend:#id_t{tasks[1].pk}-evidence"' in body
    assert body.count(f'name="t{tasks[1].pk}-evidence" value="{evidence.pk}">') == 1
    # then the page submits with it selected
    data = form_data(tasks)
    data[f"t{task.pk}-evidence"] = [str(evidence.pk)]
    assert client.post(url(campaign, qzj), data).status_code == 302
    assert list(ProgressReport.objects.get(task=task).evidence.all()) == [evidence]


def test_a_refused_upload_says_why_and_keeps_the_selection(
    client, campaign, qzj, liaison, tasks, media
):
    client.force_login(liaison)
    task = tasks[0]
    response = client.post(
        url(campaign, qzj, f"upload/{task.pk}/"),
        {f"up{task.pk}-file": SimpleUploadedFile("x.exe", b"MZ\x90\x00garbage")},
    )
    assert response.status_code == 422
    assert 'data-testid="upload-error-' in html(response)
    assert Evidence.objects.count() == 0
    missing = client.post(url(campaign, qzj, f"upload/{task.pk}/"), {})
    assert missing.status_code == 422 and "请选择要上传的文件。" in html(missing)


def test_an_oversized_file_is_refused_in_the_row_while_it_streams(
    client, campaign, qzj, liaison, tasks, media, settings
):
    settings.EVIDENCE_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 512
    client.force_login(liaison)
    task = tasks[0]
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 5000)
    response = client.post(url(campaign, qzj, f"upload/{task.pk}/"), {f"up{task.pk}-file": big})
    assert response.status_code == 422 and "超过大小上限" in html(response)
    assert Evidence.objects.count() == 0


def test_the_office_returns_one_task_and_the_liaison_resubmits_it(
    client, campaign, qzj, liaison, office, tasks
):
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(office)
    body = html(client.get(url(campaign, qzj)))
    assert 'data-testid="whole-review"' in body and f'data-testid="review-{tasks[0].pk}"' in body
    assert 'data-testid="monthly-form"' not in body
    refused = client.post(
        url(campaign, qzj, "review/"), {"decision": "return", "task": tasks[1].pk, "comment": ""}
    )
    assert refused.status_code == 400
    assert ProgressReport.objects.get(task=tasks[1]).status == ReportStatus.SUBMITTED
    client.post(
        url(campaign, qzj, "review/"),
        {"decision": "return", "task": tasks[1].pk, "comment": "请补充纪要。"},
    )
    assert ProgressReport.objects.get(task=tasks[1]).status == ReportStatus.RETURNED

    client.force_login(liaison)
    body = html(client.get(url(campaign, qzj)))
    assert "请补充纪要。" in body and "重新提交月报" in body
    assert f'name="t{tasks[0].pk}-text"' not in body  # the submitted one stays read-only
    response = client.post(
        url(campaign, qzj),
        {
            "action": "submit",
            f"t{tasks[1].pk}-text": "已补充纪要。",
            f"t{tasks[1].pk}-percent": "60",
        },
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get(task=tasks[1]).status == ReportStatus.SUBMITTED

    client.force_login(office)
    client.post(url(campaign, qzj, "review/"), {"decision": "accept"})
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ReportStatus.ACCEPTED}
    body = html(client.get(url(campaign, qzj)))
    assert 'data-state="accepted"' in body and 'data-testid="whole-review"' not in body


def test_returning_the_whole_report_needs_a_comment(client, campaign, qzj, liaison, office, tasks):
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(office)
    response = client.post(url(campaign, qzj, "review/"), {"decision": "return"}, follow=True)
    assert "退回月报必须写明审核意见。" in html(response)
    client.post(url(campaign, qzj, "review/"), {"decision": "return", "comment": "重写"})
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ReportStatus.RETURNED}


@pytest.mark.parametrize("persona", ["zhujian_liaison", "outsider"])
def test_others_get_the_404(client, campaign, qzj, tasks, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for suffix in ("", "../"):
        assert client.get(url(campaign, qzj, suffix)).status_code == 404


def test_the_office_may_not_write_and_the_liaison_may_not_review(
    client, campaign, qzj, liaison, office, tasks
):
    client.force_login(office)
    assert client.post(url(campaign, qzj), form_data(tasks)).status_code == 404
    assert client.post(url(campaign, qzj, f"upload/{tasks[0].pk}/"), {}).status_code == 404
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(liaison)
    assert client.post(url(campaign, qzj, "review/"), {"decision": "accept"}).status_code == 404
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}


@pytest.mark.parametrize("persona", ["leader", "province_office"])
def test_readers_of_all_work_read_without_controls(
    client, campaign, qzj, liaison, tasks, persona, request
):
    """As on the task and report pages: leaders and the offices above read it (assessors read
    rounds, not the day-to-day work: tests/test_access_matrix.py)."""
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(request.getfixturevalue(persona))
    body = html(client.get(url(campaign, qzj)))
    assert 'data-testid="read-only"' in body and "已完成。" in body
    assert 'data-testid="whole-review"' not in body and 'data-testid="monthly-form"' not in body
    assert client.post(url(campaign, qzj, "review/"), {"decision": "accept"}).status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/monthly/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/campaigns/{c}/monthly/{u}/2018-13/",
        "/campaigns/{c}/monthly/{u}/2018-8/",
        "/campaigns/{c}/monthly/{u}/garbage/",
        "/campaigns/{c}/monthly/{u}/2016-08/",  # no task owes a report then
        "/campaigns/{c}/monthly/{u}/" + "9" * 60 + "/",
        "/campaigns/{c}/monthly/" + "9" * 23 + "/2018-08/",
        "/campaigns/" + "9" * 23 + "/monthly/{u}/2018-08/",
        "/campaigns/" + "9" * 23 + "/monthly/",
        "/campaigns/{c}/monthly/?period=2018-13",
        "/campaigns/{c}/monthly/?period=2030-01",
        "/campaigns/{c}/monthly/{u}/2018-08/upload/" + "9" * 23 + "/",
    ],
)
def test_bad_ids_and_periods_are_a_404_not_a_500(client, campaign, qzj, liaison, tasks, path):
    client.force_login(liaison if "upload" in path else campaign_office(campaign))
    address = path.format(c=campaign.pk, u=qzj.pk)
    method = client.post if "upload" in address else client.get
    assert method(address).status_code == 404


def campaign_office(campaign):
    from qualitycity.orgs.models import User

    return User.objects.get(username="t-office")


def test_the_review_form_refuses_garbage(client, campaign, qzj, liaison, office, tasks):
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(office)
    for data in ({"decision": "maybe"}, {"decision": "accept", "task": "9" * 23}):
        response = client.post(url(campaign, qzj, "review/"), data, follow=True)
        assert response.status_code == 400
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {ReportStatus.SUBMITTED}


def test_the_index_lists_periods_and_my_tasks_links_to_it(client, campaign, qzj, liaison, tasks):
    client.force_login(liaison)
    # a report due on 我的任务 links to its period's 月报
    assert f'href="{url(campaign, qzj)}"' in html(client.get("/campaigns/my/"))
    submit_all(campaign, qzj, liaison, tasks)
    index = f"/campaigns/{campaign.pk}/monthly/{qzj.pk}/"
    assert index in html(client.get("/campaigns/my/"))
    body = html(client.get(index))
    assert 'data-period="2018-08"' in body and 'data-period="2019-02"' in body
    row = body.split('data-period="2018-08"')[1].split("</tr>")[0]
    assert 'data-state="submitted"' in row


def test_the_overview_shows_each_unit_and_its_state(client, campaign, qzj, liaison, office, tasks):
    make_task(campaign, office, unit_name="市住建局", title="保障性住房质量巡查")
    submit_all(campaign, qzj, liaison, tasks)
    client.force_login(office)
    body = html(client.get(f"/campaigns/{campaign.pk}/monthly/?period=2018-08"))
    zhujian = unit("市住建局")
    assert f'data-unit="{qzj.pk}"' in body and f'data-unit="{zhujian.pk}"' in body
    assert body.split(f'data-unit="{qzj.pk}"')[1].split("</tr>")[0].count('data-state="submitted"')
    assert 'data-state="not_started"' in body.split(f'data-unit="{zhujian.pk}"')[1]
    # without a period: the latest one that has ended (August, on 09-15)
    assert "2018年8月" in html(client.get(f"/campaigns/{campaign.pk}/monthly/"))


def test_pages_cost_the_same_queries_whatever_the_number_of_tasks(
    client, campaign, qzj, liaison, office, tasks, media
):
    def measure(user, address):
        client.force_login(user)
        client.get(address)
        return count_queries(lambda: client.get(address))

    pages = [
        (liaison, url(campaign, qzj)),
        (liaison, f"/campaigns/{campaign.pk}/monthly/{qzj.pk}/"),
        (office, url(campaign, qzj)),
        (office, f"/campaigns/{campaign.pk}/monthly/?period=2018-08"),
    ]
    submit_all(campaign, qzj, liaison, tasks)
    before = [measure(user, address) for user, address in pages]
    more = [make_task(campaign, office, title=f"更多任务{i}") for i in range(6)]
    make_task(campaign, office, unit_name="市住建局", title="住建任务")
    campaign_services.save_monthly(
        campaign,
        qzj,
        by=liaison,
        period_start=AUGUST,
        entries=[Entry(t.pk, "草稿", 10) for t in more[:3]],
    )
    assert [measure(user, address) for user, address in pages] == before


@pytest.mark.parametrize("state", list(ReportStatus))
def test_the_monthly_page_offers_what_the_services_accept(
    client, campaign, qzj, liaison, office, state
):
    """As for the report pages (test_transitions.py): in each state of a task's report, the 月报
    page offers exactly the actions of the report workflow, and the 月报 services accept them."""
    from qualitycity.campaigns.transitions import REPORT
    from qualitycity.errors import InvalidTransition

    task = make_task(campaign, office)
    report = campaign_services.save_report(
        task, by=liaison, period_start=AUGUST, text="本月完成调研。", percent=10
    )

    def reset():
        ProgressReport.objects.filter(pk=report.pk).update(status=state)

    reset()
    offered = set()
    client.force_login(office)
    if f'data-testid="review-{task.pk}"' in html(client.get(url(campaign, qzj))):
        offered |= {"accept", "return"}
    client.force_login(liaison)
    body = html(client.get(url(campaign, qzj)))
    if f'name="t{task.pk}-text"' in body:
        buttons = {"draft": "save", "submit": "submit"}
        offered |= {buttons[v] for v in re.findall(r'name="action" value="(\w+)"', body)}
    assert offered == set(REPORT.available(state))
    for action in REPORT.actions:
        reset()

        def run(action=action):
            if action in ("save", "submit"):
                return campaign_services.save_monthly(
                    campaign,
                    qzj,
                    by=liaison,
                    period_start=AUGUST,
                    entries=[Entry(task.pk, "补充说明。", 20)],
                    submit=action == "submit",
                )
            return campaign_services.review_monthly(
                campaign,
                qzj,
                by=office,
                period_start=AUGUST,
                accept=action == "accept",
                comment="请补充佐证材料。",
                task_ids=[task.pk],
            )

        if action in offered:
            run()
            assert ProgressReport.objects.get(pk=report.pk).status == REPORT.target(action, state)
        else:
            with pytest.raises(InvalidTransition):
                run()


def test_a_refused_page_costs_the_same_queries_whatever_the_number_of_tasks(
    client, campaign, qzj, liaison, office, tasks
):
    """Checking every row of a posted 月报 runs no query per task (one evidence list)."""
    client.force_login(liaison)
    owed = list(tasks)

    def bad_post():
        data = form_data(owed)
        data[f"t{owed[0].pk}-evidence"] = ["123456"]  # not a usable evidence: refused
        assert client.post(url(campaign, qzj), data).status_code == 400

    bad_post()
    before = count_queries(bad_post)
    owed += [make_task(campaign, office, title=f"更多任务{i}") for i in range(6)]
    assert count_queries(bad_post) == before
    assert ProgressReport.objects.count() == 0
