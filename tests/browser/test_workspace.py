"""An assessor scores in the workspace; a stale save shows the conflict on the page."""

import pytest

from qualitycity.assessments import services
from qualitycity.frameworks.models import Criterion
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assessor_scores_and_sees_a_conflict(page, open_round, assessor, office):
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(assessor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=1")
    manual = Criterion.objects.get(framework=open_round.campaign.framework, key="1.1.2")
    row = page.locator(f"#crit-{manual.pk}")
    row.locator("input[name=value]").fill("8")
    row.get_by_role("button", name="保存").click()
    page.locator(f"#crit-{manual.pk} [data-testid=points]").wait_for()
    assert page.locator(f"#crit-{manual.pk} [data-testid=points]").inner_text() == "8"
    assert page.get_by_test_id("earned").inner_text() == "8"

    # Someone else saves the same criterion meanwhile; this page still holds version 1.
    services.save_score(open_round, manual, by=office, value="6", expected_version=1)
    row = page.locator(f"#crit-{manual.pk}")
    row.locator("input[name=value]").fill("9")
    row.get_by_role("button", name="保存").click()
    error = page.locator(f"#crit-{manual.pk} [data-testid=row-error]")
    error.wait_for()
    assert "请刷新后再保存" in error.inner_text()
    assert page.locator(f"#crit-{manual.pk} [data-testid=points]").inner_text() == "6"
    screenshot(page, "scoring-workspace")
    # The browser logs the expected 409 response itself; anything else still fails the test.
    expected = [e for e in page.console_errors if "409 (Conflict)" in e]
    assert len(expected) == 1
    page.console_errors.remove(expected[0])
