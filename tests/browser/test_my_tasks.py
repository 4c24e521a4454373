"""A liaison logs in, opens 我的任务, writes the report due for August and sees it submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import ReportStatus
from qualitycity.campaigns.models import ProgressReport
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, TODAY, make_task, unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_submits_a_report_due_from_my_tasks(page, settings, campaign, office, liaison):
    settings.QC_TODAY = TODAY  # 2018-09-15: August's report (deadline 09-05) is due and late
    task = make_task(campaign, office, title="建立质量工作部门联席会议制度")
    campaign_services.update_progress(task, by=office, progress=70)
    red = make_task(
        campaign, office, title="制定企业质量信用分级分类办法", due=dt.date(2018, 9, 10)
    )
    campaign_services.update_progress(red, by=office, progress=40)
    blue = make_task(
        campaign,
        office,
        title="报送9月质量月活动方案",
        start=dt.date(2018, 9, 5),
        due=dt.date(2018, 9, 17),
    )
    campaign_services.update_progress(blue, by=office, progress=90)
    returned = campaign_services.save_report(
        red,
        by=liaison,
        period_start=dt.date(2018, 7, 1),
        text="已起草办法初稿。",
        percent=30,
        submit=True,
    )
    campaign_services.review_report(
        returned, by=office, accept=False, comment="请附征求意见稿和反馈汇总。"
    )
    campaign_services.save_report(
        red, by=liaison, period_start=dt.date(2018, 8, 1), text="", percent=35
    )
    campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit("市质监局"),
        tasks=[red],
        content="企业质量信用分级分类办法逾期未出台,请说明原因并限期完成。",
        response_due=dt.date(2018, 9, 20),
        today=TODAY,
    )
    make_task(campaign, office, unit_name="市住建局", title="保障性住房质量巡查")

    page.goto(page.base_url + "/campaigns/my/")
    assert "/login/" in page.url
    page.get_by_label("用户名").fill(liaison.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/campaigns/my/")
    body = page.locator("body").inner_text()
    assert "我的任务" in body and "市质监局" in body
    assert "保障性住房质量巡查" not in body
    assert "请附征求意见稿和反馈汇总。" in body
    assert "企业质量信用分级分类办法逾期未出台" in body
    assert page.get_by_test_id("count-due").inner_text() == "2"
    screenshot(page, "my-tasks")

    row = page.locator(f'[data-testid="due"] tr[data-task="{task.pk}"]')
    assert "2018年8月" in row.inner_text() and "已过截止日期" in row.inner_text()
    row.get_by_role("link", name="填报").click()
    page.wait_for_url(f"**/campaigns/tasks/{task.pk}/report/2018-08-01/")
    assert page.get_by_test_id("deadline").inner_text() == "2018-09-05"
    assert page.get_by_test_id("late-warning").is_visible()
    page.get_by_label("进展情况", exact=True).fill("联席会议制度已印发,8月召开第一次联席会议。")
    page.get_by_label("完成百分比(%)").fill("80")
    page.get_by_role("button", name="提交", exact=True).click()

    page.wait_for_url(f"**/campaigns/tasks/{task.pk}/")
    assert "已过填报截止日期 2018-09-05,标记为逾期提交" in page.locator("body").inner_text()
    august = page.locator('[data-testid="periods"] tr[data-period="2018-08-01"]')
    assert "已提交" in august.inner_text() and "逾期提交" in august.inner_text()
    report = ProgressReport.objects.get(task=task, period_start=dt.date(2018, 8, 1))
    assert (report.status, report.late, report.percent) == (ReportStatus.SUBMITTED, True, 80)

    page.get_by_role("link", name="我的任务").first.click()
    page.wait_for_url(page.base_url + "/campaigns/my/")
    assert page.locator(f'[data-testid="due"] tr[data-task="{task.pk}"]').count() == 0
    assert page.get_by_test_id("count-due").inner_text() == "1"
