"""A liaison's 月报 from 我的任务 to acceptance: fill every task, upload a file inside a row (it
comes back selected in that row's picker, what was typed stays), submit; the office returns one
task; the liaison is told (the header's count, 通知) and follows the notification to the 月报, fixes
and resubmits it; the office follows its notification and accepts the whole report."""

from __future__ import annotations

import pytest
from django.utils import timezone

from qualitycity.campaigns.choices import ReportStatus
from qualitycity.campaigns.models import Notification, ProgressReport
from qualitycity.evidence.models import Evidence
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, TODAY, make_task, pdf_bytes, unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, then: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + then)
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + then)


def test_a_liaisons_monthly_report_from_filling_to_acceptance(
    page, settings, tmp_path, campaign, office, liaison
):
    settings.QC_TODAY = TODAY  # 2018-09-15
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign.reports_from = "lead"
    campaign.save(update_fields=["reports_from"])
    first = make_task(campaign, office, title="建立质量工作部门联席会议制度")
    second = make_task(campaign, office, title="制定企业质量信用分级分类办法")
    third = make_task(campaign, office, title="开展质量月活动")
    make_task(campaign, office, unit_name="市住建局", title="保障性住房质量巡查")
    qzj = unit("市质监局")
    Notification.objects.update(read_at=timezone.now())  # the new-task messages, read long ago
    address = f"/campaigns/{campaign.pk}/monthly/{qzj.pk}/2018-08/"

    # the liaison finds the 月报 from 我的任务
    log_in(page, liaison, "/campaigns/my/")
    page.get_by_test_id("monthly-links").get_by_role("link", name="市质监局的月报").click()
    page.wait_for_url(f"**/campaigns/{campaign.pk}/monthly/{qzj.pk}/")
    page.locator('tr[data-period="2018-08"]').get_by_role("link", name="填报").click()
    page.wait_for_url(page.base_url + address)
    assert "保障性住房质量巡查" not in page.locator("body").inner_text()

    texts = {
        first.pk: "联席会议制度已印发,8月召开第一次联席会议。",
        second.pk: "已起草办法初稿。",
        third.pk: "质量月活动方案已报市政府。",
    }
    for pk, text in texts.items():
        row = page.get_by_test_id(f"row-{pk}")
        row.get_by_label("进展情况").fill(text)
        row.get_by_label("完成百分比(%)").fill("60")

    # upload inside the first row: no new tab, what was typed stays, the file comes back selected
    row = page.get_by_test_id(f"row-{first.pk}")
    row.locator(f'input[name="up{first.pk}-file"]').set_input_files(
        {"name": "联席会议纪要.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("minutes")}
    )
    row.get_by_label("材料标题").fill("第一次联席会议纪要")
    assert len(page.context.pages) == 1
    row.get_by_role("button", name="上传并选中").click()
    page.get_by_test_id(f"uploaded-{first.pk}").wait_for()
    assert len(page.context.pages) == 1
    evidence = Evidence.objects.get(title="第一次联席会议纪要")
    picker = page.get_by_test_id(f"picker-{first.pk}")
    assert picker.locator("input:checked").evaluate_all("bs => bs.map(b => b.value)") == [
        str(evidence.pk)
    ]
    assert row.get_by_label("进展情况").input_value() == texts[first.pk]
    # offered, not selected, in the other rows' pickers; what they hold is untouched
    other = page.get_by_test_id(f"picker-{second.pk}")
    assert other.locator("input").evaluate_all("bs => bs.map(b => [b.value, b.checked])") == [
        [str(evidence.pk), False]
    ]
    assert (
        page.get_by_test_id(f"row-{second.pk}").get_by_label("进展情况").input_value()
        == (texts[second.pk])
    )
    screenshot(page, "monthly-liaison-filled")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "monthly-liaison-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "monthly-liaison-390")
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_test_id("submit").click()
    page.wait_for_url(page.base_url + address)
    assert "月报已提交" in page.locator("body").inner_text()
    assert page.get_by_test_id("monthly-state").inner_text() == "已提交"
    reports = ProgressReport.objects.filter(task__in=[first, second, third])
    assert {r.status for r in reports} == {ReportStatus.SUBMITTED}
    assert list(reports.get(task=first).evidence.all()) == [evidence]

    # the office sees who submitted and returns one task
    log_in(page, office, f"/campaigns/{campaign.pk}/monthly/?period=2018-08")
    line = page.locator(f'[data-testid="units"] tr[data-unit="{qzj.pk}"]')
    assert "已提交" in line.inner_text()
    screenshot(page, "monthly-office-overview")
    line.get_by_role("link", name="审核").click()
    page.wait_for_url(page.base_url + address)
    review = page.get_by_test_id(f"review-{second.pk}")
    review.get_by_label("本项审核意见(退回时必填)").fill("请附办法征求意见稿。")
    review.get_by_role("button", name="退回本项").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "部分退回"
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "monthly-office-390")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "monthly-office-1280")

    # the liaison hears of it: the header counts it, 通知 links to the 月报
    log_in(page, liaison, "/")
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_title("通知").click()
    page.wait_for_url("**/campaigns/notifications/")
    note = page.get_by_test_id("notifications").locator("[data-unread]").first
    assert "请附办法征求意见稿。" in note.inner_text()
    screenshot(page, "monthly-liaison-notification")
    note.get_by_role("link").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("unread-count").count() == 0  # opened, so read

    # the liaison fixes the returned task and resubmits
    assert "请附办法征求意见稿。" in page.get_by_test_id(f"returned-{second.pk}").inner_text()
    assert page.get_by_test_id(f"row-{first.pk}").get_by_label("进展情况").count() == 0
    row = page.get_by_test_id(f"row-{second.pk}")
    row.get_by_label("进展情况").fill("已附办法征求意见稿。")
    page.get_by_role("button", name="重新提交月报").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "已提交"

    # the office is told of the resubmission and follows the notification to the 月报
    log_in(page, office, "/campaigns/notifications/")
    resubmitted = page.get_by_test_id("notifications").locator("[data-unread]").first
    assert "市质监局提交了2018年8月的月报(1 项任务)" in resubmitted.inner_text()
    resubmitted.get_by_role("link").click()
    page.wait_for_url(page.base_url + address)

    # the office accepts the whole report
    page.get_by_role("button", name="采纳全部已提交的任务").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "已采纳"
    assert {r.status for r in reports.all()} == {ReportStatus.ACCEPTED}
    screenshot(page, "monthly-accepted")
    accepted = Notification.objects.filter(user=liaison, event="report.accepted").get()
    assert accepted.url == address and "已通过审核" in accepted.text
