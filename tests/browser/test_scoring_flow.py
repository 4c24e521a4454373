"""Scoring end to end in a browser (issue 11): an expert scores a row of every rule kind of the
Yongzhou table by clicking and typing, and the item subtotal, the dimension's tab badge and the
round's totals change without a reload; the office turns a gap into a rectification, the unit
fixes it, the office verifies it, and the projected total never drops.

Every page fails its test on a console error (the `page` fixture); each step checks there is no
horizontal scroll at 1280×720 and saves a screenshot to test-artifacts/.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from qualitycity.assessments.models import Finding
from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.models import ResponsibleUnit
from qualitycity.frameworks.models import Criterion
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, score_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 720

# One row of every rule kind in the Yongzhou table, and what the expert enters there:
# ("fill", value) types into the number input, ("select", {input name: option label}) picks.
ROWS = [
    ("1.1.1", "binary", ("select", {"value": "是"})),
    ("1.1.2", "manual", ("fill", "7")),
    ("1.3.1", "threshold", ("fill", "0.7")),  # 0.7‰: the 0.6‰ bound, 20 points
    ("2.1.1", "tiers", ("select", {"value": 1})),
    ("2.3.2", "count", ("fill", "2")),
    ("5.2.1", "rank", ("select", {"value": 1})),
    ("6.1.1", "indicator", ("select", {"value": "达标"})),
    ("6.3.2", "all", ("select", {"value-0": "是", "value-1": "达标"})),
    ("8.6.2", "any", ("select", {"value-0": "否", "value-1": "是"})),
]
# The rows saved by pressing Enter in the value field instead of clicking 保存.
BY_ENTER = {"1.3.1", "2.3.2"}


def login(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def no_horizontal_scroll(page) -> None:
    width, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"the page scrolls sideways: {width} > {inner}"


def number(text: str) -> Decimal:
    match = re.search(r"-?\d+(?:\.\d+)?", text)
    assert match, f"no number in {text!r}"
    return Decimal(match.group(0))


def subtotal(page, item_pk: int) -> Decimal:
    """ "得分 10 / 20" → 10."""
    return number(page.locator(f"#item-total-{item_pk}").inner_text())


def badge(page, dim: int) -> int:
    text = (page.locator(f"#tab-badge-{dim}").text_content() or "").strip()
    return int(text or 0)


def mark_page(page) -> None:
    """A value on the window that a reload would lose."""
    page.evaluate("() => { window.qcNoReload = 'still here'; }")


def still_same_page(page) -> bool:
    return page.evaluate("() => window.qcNoReload === 'still here'")


def test_expert_scores_every_rule_kind_and_sees_totals_change_without_reload(
    page, open_round, assessor
):
    framework = open_round.campaign.framework
    kinds = set(Criterion.objects.filter(framework=framework).values_list("rule__type", flat=True))
    assert kinds <= {kind for _key, kind, _entry in ROWS}, "a rule kind of the table is untested"
    criteria = {
        c.key: c
        for c in Criterion.objects.filter(
            framework=framework, key__in=[key for key, _k, _e in ROWS]
        ).select_related("item__dimension")
    }
    total_rows = Criterion.objects.filter(framework=framework).count()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    login(page, assessor.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/")
    assert page.get_by_test_id("unscored").inner_text() == str(total_rows)

    scored = 0
    for key, kind, (how, entry) in ROWS:
        c = criteria[key]
        dim = c.item.dimension.number
        assert c.parsed_rule().type == kind
        if page.locator(f"#crit-{c.pk}").count() == 0:
            page.locator(f'.nav-tabs a[href="?dim={dim}"]').click()
            page.wait_for_url(re.compile(rf"dim={dim}$"))
            no_horizontal_scroll(page)
        mark_page(page)
        before_item = subtotal(page, c.item_id)
        before_badge = badge(page, dim)
        before_earned = number(page.get_by_test_id("earned").inner_text())
        row = page.locator(f"#crit-{c.pk}")
        row.scroll_into_view_if_needed()
        if how == "fill":
            field = row.locator("input[name=value]")
            field.click()
            field.fill("")
            field.press_sequentially(entry)
            if key in BY_ENTER:
                field.press("Enter")
            else:
                row.get_by_role("button", name="保存").click()
        else:
            for name, option in entry.items():
                select = row.locator(f"select[name={name}]")
                if isinstance(option, int):
                    select.select_option(index=option)
                else:
                    select.select_option(label=option)
            row.get_by_role("button", name="保存").click()
        points_cell = page.locator(f"#crit-{c.pk} [data-testid=points]")
        points_cell.wait_for()
        points = number(points_cell.inner_text())
        scored += 1
        assert still_same_page(page), f"{key}: the page reloaded"
        assert subtotal(page, c.item_id) == before_item + points, key
        assert badge(page, dim) == before_badge - 1, key
        assert number(page.get_by_test_id("earned").inner_text()) == before_earned + points, key
        assert page.get_by_test_id("unscored").inner_text() == str(total_rows - scored)
        assert (
            f"全表尚有 {total_rows - scored} 项未评分"
            in page.get_by_test_id("unscored-total").inner_text()
        )
        assert "未评分" in page.get_by_test_id("dim-counts").inner_text()
        assert not page.locator(f"#crit-{c.pk} [data-testid=row-error]").count(), key
        if key in ("1.3.1", "6.3.2", "8.6.2"):
            row.scroll_into_view_if_needed()
            screenshot(page, f"scoring-flow-{kind}")
        no_horizontal_scroll(page)

    # The threshold row: 0.7‰ reaches the 0.6‰ bound.
    assert points_for(page, open_round, criteria["1.3.1"]) == Decimal(20)

    # Keyboard: Tab from a row's value field goes on to its comment, and the focus shows.
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=1")
    field = page.locator(f"#crit-{criteria['1.1.2'].pk} input[name=value]")
    field.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.name, getComputedStyle(document.activeElement).boxShadow]"
    )
    assert focused[0] == "comment"
    assert focused[1] != "none", "the focused field shows no focus ring"
    # …then the row's 人工调整 toggle, then its 保存 button: the row's own order, left to right.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    save_label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert save_label == f"保存第 {criteria['1.1.2'].row} 行"
    screenshot(page, "scoring-flow-keyboard-focus")

    # The summary agrees: the per-dimension 未评分 column adds up to 合计.
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/")
    per_dim = [
        int(t.strip() or 0)
        for t in page.locator(
            "[data-testid=dimension-table] tbody tr td:last-child"
        ).all_inner_texts()
    ]
    assert sum(per_dim) == total_rows - scored
    assert per_dim[0] == 6 - 3  # dimension 1: rows 1.1.1, 1.1.2 and 1.3.1 scored
    no_horizontal_scroll(page)
    page.get_by_test_id("dimension-table").scroll_into_view_if_needed()
    screenshot(page, "scoring-flow-summary")


def points_for(page, rnd, criterion) -> Decimal:
    page.goto(f"{page.base_url}/rounds/{rnd.pk}/score/?dim={criterion.item.dimension.number}")
    return number(page.locator(f"#crit-{criterion.pk} [data-testid=points]").inner_text())


def test_office_rectifies_a_gap_and_verifying_never_lowers_the_projection(
    page, open_round, office, assessor, liaison
):
    unit = liaison.memberships.get().unit
    led = ResponsibleUnit.objects.filter(
        campaign=open_round.campaign, unit=unit, role=WorkRole.LEAD
    ).values_list("criterion_id", flat=True)
    criteria = list(
        Criterion.objects.filter(framework=open_round.campaign.framework).order_by("position")
    )
    target = next(c for c in criteria if c.pk in led and not c.na_allowed)
    scorable = [c for c in criteria if not c.na_allowed]
    score_criteria(open_round, scorable[:40], by=assessor)  # lost points
    score_criteria(open_round, scorable[40:90], by=assessor, high=True)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})

    login(page, office.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/")
    page.get_by_role("link", name="失分清单").first.click()
    page.wait_for_url(re.compile(r"/gaps/$"))
    current = number(page.get_by_test_id("adjusted").inner_text())
    projected_before = number(page.get_by_test_id("projected").inner_text())
    no_horizontal_scroll(page)
    screenshot(page, "scoring-flow-gaps")
    row = page.locator(f"[data-testid=gap-table] tr[data-criterion='{target.key}']")
    row.scroll_into_view_if_needed()
    row.get_by_role("button", name="生成整改任务").click()
    page.wait_for_url(re.compile(r"/findings/\d+/$"))
    assert "已生成整改任务" in page.locator("body").inner_text()
    finding = Finding.objects.get(round=open_round, criterion=target)
    no_horizontal_scroll(page)
    screenshot(page, "scoring-flow-finding-created")

    page.goto(f"{page.base_url}/rounds/{open_round.pk}/gaps/")
    projected_open = number(page.get_by_test_id("projected").inner_text())
    assert projected_open >= projected_before >= current
    assert projected_open > projected_before  # the new rectification regains its points

    # The unit's liaison reports the fix.
    login(page, liaison.username)
    page.goto(f"{page.base_url}/findings/{finding.pk}/")
    page.get_by_label("整改情况").fill("已修订实施方案并印发,材料见附件。")
    page.get_by_test_id("action-fix").click()
    page.wait_for_url(re.compile(rf"/findings/{finding.pk}/$"))
    finding.refresh_from_db()
    assert finding.status == "fixed"
    no_horizontal_scroll(page)
    screenshot(page, "scoring-flow-finding-fixed")

    # The office verifies it: the projection keeps the regained points.
    login(page, office.username)
    page.goto(f"{page.base_url}/findings/{finding.pk}/")
    page.get_by_test_id("action-verify").click()
    page.wait_for_url(re.compile(rf"/findings/{finding.pk}/$"))
    finding.refresh_from_db()
    assert finding.status == "verified"
    screenshot(page, "scoring-flow-finding-verified")
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/gaps/")
    projected_verified = number(page.get_by_test_id("projected").inner_text())
    assert projected_verified >= projected_open
    assert number(page.get_by_test_id("adjusted").inner_text()) == current
    no_horizontal_scroll(page)
    screenshot(page, "scoring-flow-gaps-after-verify")


def test_a_not_applicable_claim_is_decided_by_the_office_beside_its_reason(
    page, open_round, assessor, office
):
    c = Criterion.objects.select_related("item__dimension").get(
        framework=open_round.campaign.framework, key="3.6.2"
    )
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    login(page, assessor.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=3")
    row = page.locator(f"#crit-{c.pk}")
    row.scroll_into_view_if_needed()
    assert row.get_by_role("button", name="认定缺项").count() == 0  # the expert may not decide
    row.get_by_label("合理缺项理由").fill("永州市无口岸")
    row.get_by_role("button", name="申请合理缺项").click()
    page.locator(f"#crit-{c.pk} [data-testid=na-reason]").wait_for()
    row = page.locator(f"#crit-{c.pk}")
    assert "合理缺项待审核" in row.inner_text()
    assert row.get_by_role("button", name="认定缺项").count() == 0
    assert row.get_by_label("合理缺项理由").count() == 0  # no second claim while one waits
    screenshot(page, "scoring-flow-na-claimed")

    login(page, office.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=3")
    mark_page(page)
    row = page.locator(f"#crit-{c.pk}")
    row.scroll_into_view_if_needed()
    claim = row.get_by_test_id("na-claim").inner_text()
    assert "永州市无口岸" in claim and assessor.full_name in claim
    screenshot(page, "scoring-flow-na-to-decide")
    before_badge = badge(page, 3)
    row.get_by_role("button", name="认定缺项").click()
    page.locator(f"#crit-{c.pk} [data-testid=na-claim]", has_text="已认定").wait_for()
    assert still_same_page(page)
    assert page.get_by_test_id("na-max").inner_text() == "4"
    assert badge(page, 3) == before_badge - 1
    row = page.locator(f"#crit-{c.pk}")
    assert row.get_by_role("button", name="撤销认定").count() == 1
    no_horizontal_scroll(page)
    screenshot(page, "scoring-flow-na-approved")

    # The expert now finds neither a claim form nor a score input on the accepted row.
    login(page, assessor.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=3")
    row = page.locator(f"#crit-{c.pk}")
    assert row.get_by_label("合理缺项理由").count() == 0
    assert row.locator("input[name=value]").count() == 0
    assert "已认定为合理缺项" in row.inner_text()

    # The office takes the approval back, after a confirmation: the claim waits again.
    login(page, office.username)
    page.goto(f"{page.base_url}/rounds/{open_round.pk}/score/?dim=3")
    before_badge = badge(page, 3)
    dialogs: list[str] = []

    def accept(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator(f"#crit-{c.pk}").get_by_role("button", name="撤销认定").click()
    page.locator(f"#crit-{c.pk}").get_by_role("button", name="认定缺项").wait_for()
    assert dialogs and "确定撤销" in dialogs[0]
    assert page.get_by_test_id("na-max").inner_text() == "0"
    assert badge(page, 3) == before_badge + 1
