"""A liaison's progress report from 我的任务 to acceptance, by clicking and typing only.

On one task's report form (views/reports.py) and on the unit's 月报 (views/monthly.py): the
liaison writes the period's report and attaches a file chosen through the browser's file dialog,
submits; the office is told, returns it with a comment; the liaison is told, sees the comment,
fixes and resubmits; the office accepts. At every step: the state the page shows, no console
error (the `page` fixture), no failed request, no horizontal scroll at 1280×720, a screenshot in
test-artifacts/flows/.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qualitycity.campaigns.choices import ReportStatus
from qualitycity.campaigns.models import Notification, ProgressReport
from qualitycity.evidence.models import Evidence
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_task, pdf_bytes, unit

# The values ticked in a picker (orgs/widgets/picker.html: a list of checkboxes).
CHECKED = "p => [...p.querySelectorAll('input:checked')].map(i => i.value)"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUGUST = dt.date(2018, 8, 1)


class Watch:
    """Fails the step on any response ≥ 400 and on sideways scroll; saves the step's screenshot."""

    def __init__(self, page, folder: str) -> None:
        self.page = page
        self.failed: list[str] = []
        self.console: list[str] = []
        self.folder = ARTIFACTS / folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps = 0
        page.set_viewport_size({"width": 1280, "height": 720})
        page.on("response", self._response)
        page.on("console", self._console)

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _console(self, msg) -> None:
        if msg.type == "error":
            self.console.append(f"{self.page.url}: {msg.text[:120]}")

    def expect_refusal(self, url: str, status: int = 422) -> None:
        """A refusal the step provoked on purpose: Chromium logs every 4xx as a console error."""
        self.failed.remove(f"{status} {url}")
        logged = f"Failed to load resource: the server responded with a status of {status}"
        for errors in (self.page.console_errors, self.console):
            errors.remove(next(e for e in errors if logged in e))

    def step(self, name: str, page=None) -> None:
        page = page or self.page
        page.wait_for_load_state("load")
        self.steps += 1
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{name}.png"), caret="initial")
        assert self.failed == [], f"{name}: failed requests {self.failed}"
        assert self.console == [], f"{name}: console errors {self.console}"
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name}: the page scrolls sideways at 1280 px"
        )


def log_in(page, user, then: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + then)
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + then)


def choose_file(page, trigger, name: str, data: bytes) -> None:
    """Click the file field and pick the file in the dialog it opens, as a user does."""
    with page.expect_file_chooser() as chooser:
        trigger.click()
    chooser.value.set_files({"name": name, "mimeType": "application/pdf", "buffer": data})


def said(page, text: str) -> None:
    """The message after an action is on the screen, not above it."""
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_in_viewport()


def unread(page) -> str:
    badge = page.get_by_test_id("unread-count")
    return badge.inner_text() if badge.count() else "0"


@pytest.fixture
def flow(settings, tmp_path, campaign):
    settings.QC_TODAY = dt.date(2018, 9, 3)  # August has ended; its report is due, not late
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign.reports_from = "lead"
    campaign.save(update_fields=["reports_from"])
    return campaign


def test_a_liaison_reports_on_one_task_and_the_office_returns_then_accepts_it(
    page, flow, office, liaison
):
    task = make_task(flow, office, title="建立质量工作部门联席会议制度", start=AUGUST)
    Notification.objects.update(read_at=timezone.now())  # the new-task message, read long ago
    form_url = f"/campaigns/tasks/{task.pk}/report/{AUGUST.isoformat()}/"
    detail_url = f"/campaigns/tasks/{task.pk}/"
    watch = Watch(page, "flows/task-report")

    # 我的任务 lists August as due; 填报 opens the task's report form
    log_in(page, liaison, "/campaigns/my/")
    due = page.get_by_test_id("due").locator(f'tr[data-task="{task.pk}"]')
    assert "待填报" in due.inner_text() or "未填报" in due.inner_text()
    watch.step("liaison-my-tasks")
    due.get_by_role("link", name="填报").click()
    page.wait_for_url(page.base_url + form_url)
    assert page.get_by_test_id("status").inner_text().strip() in {"未填报", "待填报"}
    watch.step("liaison-report-form")

    # write the report, upload a file from the form and pick it, submit
    page.get_by_label("进展情况").fill("联席会议制度已印发,8月召开第一次联席会议。")
    page.get_by_label("完成百分比(%)").fill("40")
    form = page.get_by_test_id("report-form")
    form.get_by_role("button", name="上传并选中").click()  # no file chosen: told so, in place
    assert page.get_by_test_id("upload-error").inner_text() == "请选择要上传的文件。"
    watch.expect_refusal(f"{page.base_url}{form_url}upload/")
    assert page.get_by_label("进展情况").input_value().startswith("联席会议制度已印发")
    choose_file(page, form.get_by_label("上传新的佐证材料"), "联席会议纪要.pdf", pdf_bytes("m"))
    form.get_by_label("材料标题").fill("第一次联席会议纪要")
    form.get_by_role("button", name="上传并选中").click()
    page.get_by_test_id("uploaded").wait_for()
    evidence = Evidence.objects.get(title="第一次联席会议纪要")
    picker = form.get_by_test_id("picker")
    assert picker.evaluate(CHECKED) == [str(evidence.pk)]
    assert page.get_by_label("进展情况").input_value().startswith("联席会议制度已印发")
    watch.step("liaison-uploaded")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_url(page.base_url + detail_url)
    body = page.locator("body").inner_text()
    assert "2018年8月的进展已提交,等待创质办审核。" in body
    row = page.get_by_test_id("periods").locator(f'tr[data-period="{AUGUST.isoformat()}"]')
    assert "已提交" in row.inner_text() and "第一次联席会议纪要" in row.inner_text()
    watch.step("liaison-submitted")
    report = ProgressReport.objects.get(task=task, period_start=AUGUST)
    assert report.status == ReportStatus.SUBMITTED
    assert list(report.evidence.all()) == [evidence]

    # the office is told and returns the report with a comment
    log_in(page, office, "/")
    assert unread(page) == "1"
    page.get_by_title("通知").click()
    page.wait_for_url("**/campaigns/notifications/")
    note = page.get_by_test_id("notifications").locator("[data-unread]").first
    assert "市质监局提交了“建立质量工作部门联席会议制度”2018年8月的进展,请审核。" in (
        note.inner_text()
    )
    watch.step("office-notification")
    note.get_by_role("link").click()
    page.wait_for_url(f"{page.base_url}{detail_url}#review-{report.pk}")
    expect(page.get_by_test_id("review-form")).to_be_in_viewport()
    review = page.get_by_test_id("review-form")
    review.get_by_role("button", name="退回").click()  # no comment: refused, nothing changes
    page.wait_for_url(page.base_url + detail_url)
    said(page, "退回填报必须写明审核意见。")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    watch.expect_refusal(f"{page.base_url}/campaigns/reports/{report.pk}/review/", 400)
    watch.step("office-return-refused")
    review = page.get_by_test_id("review-form")
    review.get_by_label("审核意见").fill("请补充联席会议成员名单。")
    review.get_by_role("button", name="退回").click()
    page.wait_for_url(page.base_url + detail_url)
    said(page, "2018年8月的填报已退回,单位联络员将看到审核意见。")
    row = page.get_by_test_id("periods").locator(f'tr[data-period="{AUGUST.isoformat()}"]')
    assert "已退回" in row.inner_text() and "请补充联席会议成员名单。" in row.inner_text()
    assert page.get_by_test_id("review-form").count() == 0
    watch.step("office-returned")

    # the liaison is told, sees the comment on 我的任务 and on the form, fixes and resubmits
    log_in(page, liaison, "/campaigns/my/")
    assert unread(page) == "1"
    returned = page.get_by_test_id("returned").locator(f'tr[data-report="{report.pk}"]')
    assert "请补充联席会议成员名单。" in returned.inner_text()
    watch.step("liaison-sees-returned")
    page.get_by_title("通知").click()
    page.wait_for_url("**/campaigns/notifications/")
    note = page.get_by_test_id("notifications").locator("[data-unread]").first
    assert "请补充联席会议成员名单。" in note.inner_text()
    note.get_by_role("link").click()
    page.wait_for_url(page.base_url + form_url)
    assert unread(page) == "0"
    assert "请补充联席会议成员名单。" in page.get_by_test_id("review-comment").inner_text()
    assert page.get_by_test_id("status").inner_text().strip() == "已退回"
    picker = page.get_by_test_id("report-form").get_by_test_id("picker")
    assert picker.evaluate(CHECKED) == [str(evidence.pk)]
    watch.step("liaison-returned-form")
    page.get_by_label("进展情况").fill("联席会议制度已印发,成员名单见附件。")
    page.get_by_role("button", name="重新提交").click()
    page.wait_for_url(page.base_url + detail_url)
    said(page, "2018年8月的进展已提交,等待创质办审核。")
    watch.step("liaison-resubmitted")

    # the office follows the new notification and accepts
    log_in(page, office, "/campaigns/notifications/")
    note = page.get_by_test_id("notifications").locator("[data-unread]").first
    note.get_by_role("link").click()
    page.wait_for_url(f"{page.base_url}{detail_url}#review-{report.pk}")
    expect(page.get_by_test_id("review-form")).to_be_in_viewport()
    assert "成员名单见附件" in page.get_by_test_id("periods").inner_text()
    page.get_by_test_id("review-form").get_by_role("button", name="采纳").click()
    page.wait_for_url(page.base_url + detail_url)
    said(page, "2018年8月的填报已采纳。")
    row = page.get_by_test_id("periods").locator(f'tr[data-period="{AUGUST.isoformat()}"]')
    assert "已采纳" in row.inner_text()
    watch.step("office-accepted")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    # and the liaison is told of that too; the form now only shows the report
    log_in(page, liaison, form_url)
    assert unread(page) == "1"
    assert "已被创质办采纳" in page.get_by_test_id("report-view").inner_text()
    assert page.get_by_test_id("report-form").count() == 0
    watch.step("liaison-accepted")


def test_a_liaisons_monthly_report_with_a_chosen_file_returned_and_accepted(
    page, flow, office, liaison
):
    first = make_task(flow, office, title="建立质量工作部门联席会议制度", start=AUGUST)
    second = make_task(flow, office, title="制定企业质量信用分级分类办法", start=AUGUST)
    Notification.objects.update(read_at=timezone.now())
    qzj = unit("市质监局")
    address = f"/campaigns/{flow.pk}/monthly/{qzj.pk}/2018-08/"
    watch = Watch(page, "flows/monthly")

    log_in(page, liaison, "/campaigns/my/")
    page.get_by_test_id("monthly-links").get_by_role("link", name="市质监局的月报").click()
    page.locator('tr[data-period="2018-08"]').get_by_role("link", name="填报").click()
    page.wait_for_url(page.base_url + address)
    watch.step("liaison-monthly-empty")
    for task, text in ((first, "联席会议已召开。"), (second, "办法初稿已起草。")):
        row = page.get_by_test_id(f"row-{task.pk}")
        row.get_by_label("进展情况").fill(text)
        row.get_by_label("完成百分比(%)").fill("50")
    row = page.get_by_test_id(f"row-{first.pk}")
    row.get_by_role("button", name="上传并选中").click()  # no file chosen: told so, in place
    assert page.get_by_test_id(f"upload-error-{first.pk}").inner_text() == "请选择要上传的文件。"
    watch.expect_refusal(f"{page.base_url}{address}upload/{first.pk}/")
    choose_file(page, row.get_by_label("上传新的佐证材料"), "纪要.pdf", pdf_bytes("minutes"))
    row.get_by_role("button", name="上传并选中").click()
    page.get_by_test_id(f"uploaded-{first.pk}").wait_for()
    watch.step("liaison-monthly-uploaded")
    page.get_by_test_id("submit").click()
    page.wait_for_url(page.base_url + address)
    said(page, "月报已提交")
    assert page.get_by_test_id("monthly-state").inner_text() == "已提交"
    watch.step("liaison-monthly-submitted")

    log_in(page, office, "/")
    assert unread(page) == "1"
    page.get_by_title("通知").click()
    page.get_by_test_id("notifications").locator("[data-unread]").first.get_by_role("link").click()
    page.wait_for_url(page.base_url + address)
    review = page.get_by_test_id(f"review-{second.pk}")
    review.get_by_label("本项审核意见(退回时必填)").fill("请附办法征求意见稿。")
    review.get_by_role("button", name="退回本项").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "部分退回"
    watch.step("office-monthly-returned")

    log_in(page, liaison, "/")
    assert unread(page) == "1"
    page.get_by_title("通知").click()
    page.get_by_test_id("notifications").locator("[data-unread]").first.get_by_role("link").click()
    page.wait_for_url(page.base_url + address)
    assert "请附办法征求意见稿。" in page.get_by_test_id(f"returned-{second.pk}").inner_text()
    watch.step("liaison-monthly-sees-return")
    page.get_by_test_id(f"row-{second.pk}").get_by_label("进展情况").fill("已附征求意见稿。")
    page.get_by_role("button", name="重新提交月报").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "已提交"
    watch.step("liaison-monthly-resubmitted")

    log_in(page, office, address)
    page.get_by_role("button", name="采纳全部已提交的任务").click()
    page.wait_for_url(page.base_url + address)
    assert page.get_by_test_id("monthly-state").inner_text() == "已采纳"
    watch.step("office-monthly-accepted")
    log_in(page, liaison, "/")
    assert unread(page) == "1"
