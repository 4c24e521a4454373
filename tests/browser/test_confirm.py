"""Destructive buttons ask first (web/ui.js on data-confirm, no inline script): cancelling the
question sends nothing, accepting it sends the form; a message then says what was done."""

from __future__ import annotations

import pytest

from qualitycity.campaigns.models import Phase
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_removing_a_phase_asks_first(page, campaign, office):
    phase = campaign.phases.order_by("position").last()
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(office.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.goto(page.base_url + f"/campaigns/{campaign.pk}/phases/")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    questions: list[str] = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    row = page.locator(f'tr[data-phase="{phase.pk}"]')
    row.get_by_role("button", name="删除").click()
    page.wait_for_timeout(300)  # anything sent would have left by now
    assert questions == ["确定删除这个工作阶段吗?"]
    assert posts == []
    assert Phase.objects.filter(pk=phase.pk).exists()

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    row.get_by_role("button", name="删除").click()
    page.get_by_text("工作阶段已删除。").wait_for()
    assert len(posts) == 1 and posts[0].endswith(f"/campaigns/phases/{phase.pk}/remove/")
    assert not Phase.objects.filter(pk=phase.pk).exists()
    screenshot(page, "confirm-phase-removed")
