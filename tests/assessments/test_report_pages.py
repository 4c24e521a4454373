"""Round summary, gap list and round comparison pages: content, access, transitions, query counts."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from qualitycity.assessments import services
from qualitycity.assessments.models import Finding, Score
from qualitycity.campaigns.services import create_campaign
from qualitycity.frameworks import rules
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from tests.factories import criteria_of, html, score_criteria
from tests.factories import persona as make_persona
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def chart_json(body: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


@pytest.fixture
def other_campaign(yongzhou, office):
    return create_campaign(
        by=office,
        name="另一项创建工作",
        region=Region.objects.get(code="431100"),
        framework=yongzhou,
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 12, 31),
    )


@pytest.fixture
def mock_round(campaign, office, assessor):
    return services.create_round(
        campaign,
        by=office,
        kind="mock",
        name="2018年度模拟自评",
        start=dt.date(2018, 11, 1),
        end=dt.date(2018, 12, 15),
        assessors=[assessor],
    )


# --- round summary ----------------------------------------------------------------------------


def test_summary_shows_totals_tables_charts_and_links(client, office, open_round):
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:3], by=office, high=True)
    score_criteria(open_round, criteria[3:5], by=office)
    client.force_login(office)
    response = client.get(reverse("assessments:round_summary", args=[open_round.pk]))
    assert response.status_code == 200
    body = html(response)
    assert "2019年自评" in body and "自评" in body and "进行中" in body
    assert "2019-03-01" in body and "2019-05-31" in body
    assert "t-assessor" in body  # the assigned assessor
    earned = sum((c.max_points for c in criteria[:3]), Decimal(0))
    assert f'data-testid="earned">{rules.fmt(earned)}<' in body
    assert 'data-testid="full">1055<' in body
    assert 'data-testid="na-max">0<' in body
    assert f'data-testid="adjusted">{rules.fmt(earned)}<' in body
    assert 'data-testid="unscored">120<' in body  # 125 criteria, 5 scored
    assert body.count("<tr data-dimension=") == 10
    assert "城市质量发展战略规划明确清晰" in body
    # charts: two containers and their data
    assert 'class="qc-chart" data-chart="radar" data-source="radar-data"' in body
    assert 'class="qc-chart" data-chart="bar" data-source="bar-data"' in body
    radar = chart_json(body, "radar-data")
    assert len(radar["indicators"]) == 10 and len(radar["series"][0]["values"]) == 10
    bar = chart_json(body, "bar-data")
    assert 0 < len(bar["categories"]) <= 15 and len(bar["values"]) == len(bar["categories"])
    assert bar["values"] == sorted(bar["values"], reverse=True)
    assert "echarts/echarts.min.js" in body and "web/charts.js" in body
    assert "<script>" not in body  # no inline scripts
    # links
    assert reverse("assessments:workspace", args=[open_round.pk]) in body
    assert reverse("assessments:gaps", args=[open_round.pk]) in body
    assert reverse("assessments:compare") + f"?b={open_round.pk}" in body


def test_summary_says_where_an_item_was_capped(client, office, open_round):
    item_criteria = [c for c in criteria_of(open_round) if c.item.code == "7.5"]
    assert sum(c.max_points for c in item_criteria) > item_criteria[0].item.max_points
    score_criteria(open_round, item_criteria, by=office, high=True)
    client.force_login(office)
    body = html(client.get(reverse("assessments:round_summary", args=[open_round.pk])))
    assert "该指标内容各细则得分合计超过其分值,已按分值封顶" in body
    assert 'data-testid="capped"' in body and "7.5" in body


def test_summary_adjusts_the_total_for_approved_not_applicable(client, office, open_round):
    na = Criterion.objects.filter(framework_id=open_round.campaign.framework_id, na_allowed=True)
    na = list(na)
    assert na
    for criterion in na:
        score = services.claim_not_applicable(
            open_round, criterion, by=office, reason="本市无口岸。", expected_version=0
        )
        services.decide_not_applicable(
            score, by=office, approve=True, expected_version=score.version
        )
    criteria = criteria_of(open_round)[:4]
    score_criteria(open_round, criteria, by=office, high=True)
    na_max = sum((c.max_points for c in na), Decimal(0))
    earned = sum((c.max_points for c in criteria), Decimal(0))
    adjusted = (earned * 1055 / (1055 - na_max)).quantize(Decimal("0.01"))
    client.force_login(office)
    body = html(client.get(reverse("assessments:round_summary", args=[open_round.pk])))
    assert f'data-testid="na-max">{rules.fmt(na_max)}<' in body
    assert f'data-testid="adjusted">{rules.fmt(adjusted)}<' in body


@pytest.mark.parametrize("persona", ["office", "assessor", "leader", "admin_user"])
def test_every_campaign_role_reads_the_summary_gaps_and_compare(
    request, client, open_round, mock_round, persona
):
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("assessments:round_summary", args=[open_round.pk]),
        reverse("assessments:gaps", args=[open_round.pk]),
        reverse("assessments:compare") + f"?a={mock_round.pk}&b={open_round.pk}",
        reverse("assessments:compare"),
    ):
        assert client.get(url).status_code == 200, url


def test_outsider_and_missing_rounds_get_404(client, outsider, office, open_round, mock_round):
    client.force_login(outsider)
    for url in (
        reverse("assessments:round_summary", args=[open_round.pk]),
        reverse("assessments:gaps", args=[open_round.pk]),
        reverse("assessments:compare") + f"?a={mock_round.pk}&b={open_round.pk}",
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(office)
    assert client.get(reverse("assessments:round_summary", args=[999999])).status_code == 404
    assert client.get(reverse("assessments:gaps", args=[999999])).status_code == 404
    url = reverse("assessments:compare") + f"?a=999999&b={open_round.pk}"
    assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_login(client, open_round):
    response = client.get(reverse("assessments:round_summary", args=[open_round.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def _buttons(client, rnd) -> set[str]:
    body = html(client.get(reverse("assessments:round_summary", args=[rnd.pk])))
    return set(re.findall(r'name="action" value="(\w+)"', body))


def test_transition_buttons_follow_status_and_role(client, office, assessor, leader, open_round):
    client.force_login(office)
    assert _buttons(client, open_round) == {"submit"}
    client.force_login(assessor)
    assert _buttons(client, open_round) == {"submit"}
    client.force_login(leader)
    assert _buttons(client, open_round) == set()

    services.submit_round(open_round, by=assessor)
    client.force_login(office)
    assert _buttons(client, open_round) == {"lock", "reopen"}
    client.force_login(assessor)
    assert _buttons(client, open_round) == set()

    services.lock_round(open_round, by=office)
    client.force_login(office)
    assert _buttons(client, open_round) == {"reopen"}
    client.force_login(leader)
    assert _buttons(client, open_round) == set()


def test_an_unassigned_assessor_cannot_submit(client, office, open_round):
    other = make_persona("t-assessor-2", Role.ASSESSOR)
    client.force_login(other)
    assert _buttons(client, open_round) == set()


def test_wrong_transitions_show_the_message_on_the_summary(client, office, open_round):
    client.force_login(office)
    url = reverse("assessments:round_transition", args=[open_round.pk])
    response = client.post(url, {"action": "lock"}, follow=True)
    assert response.status_code == 400
    body = html(response)
    assert "不能锁定" in body and "alert-danger" in body
    open_round.refresh_from_db()
    assert open_round.status == "open"

    client.post(url, {"action": "submit"})
    response = client.post(url, {"action": "reopen", "reason": "  "}, follow=True)
    assert "重新开放考核轮次必须说明原因。" in html(response)
    open_round.refresh_from_db()
    assert open_round.status == "submitted"

    response = client.post(url, {"action": "reopen", "reason": "补充材料"}, follow=True)
    assert "已重新开放" in html(response)
    assert 'data-testid="round-status">进行中<' in html(response)
    assert "补充材料" in html(response)


# --- gap list ---------------------------------------------------------------------------------


def test_gap_list_ranks_rows_by_points_lost(client, office, open_round):
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:10], by=office)
    score_criteria(open_round, criteria[10:20], by=office, high=True)
    client.force_login(office)
    response = client.get(reverse("assessments:gaps", args=[open_round.pk]))
    assert response.status_code == 200
    body = html(response)
    keys = re.findall(r'<tr data-criterion="([\d.]+)"', body)
    points = {
        s.criterion.key: s.points
        for s in Score.objects.filter(round=open_round).select_related("criterion")
    }
    everything = Criterion.objects.filter(framework_id=open_round.campaign.framework_id)
    lost = {c.key: c.max_points - points.get(c.key, Decimal(0)) for c in everything}
    expected = sorted((k for k, v in lost.items() if v > 0), key=lambda k: (-lost[k], k))
    assert keys == expected
    assert not set(keys) & {c.key for c in criteria[10:20]}  # full marks drop out
    assert "未评分" in body
    assert "生成整改任务" in body
    assert body.count('name="due"') == len(keys)
    assert 'data-testid="by-unit"' in body and "市创质办" in body
    assert 'data-testid="no-evidence"' in body
    assert 'data-testid="projected"' in body


def test_gap_list_lists_the_rows_charged_to_one_lead_unit(client, office, open_round):
    from qualitycity.assessments.queries import gap_report, row_parties

    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:30], by=office)
    report = gap_report(open_round)
    party = report.by_unit[0].party
    mine = [r.criterion.key for r in report.rows if party in (row_parties(r) or [""])]
    assert 0 < len(mine) < len(report.rows)
    client.force_login(office)
    url = reverse("assessments:gaps", args=[open_round.pk])
    whole = html(client.get(url))
    assert f'href="?party={quote(party)}#gap-rows"' in whole
    body = html(client.get(url, {"party": party}))
    assert re.findall(r'<tr data-criterion="([\d.]+)"', body) == mine
    assert f"{party}牵头的 {len(mine)} 项" in body
    nobody = html(client.get(url, {"party": "没有这个单位"}))
    assert re.findall(r'<tr data-criterion="([\d.]+)"', nobody) == []
    unassigned = [r.criterion.key for r in report.rows if not row_parties(r)]
    body = html(client.get(url, {"party": ""}))
    assert re.findall(r'<tr data-criterion="([\d.]+)"', body) == unassigned


def test_gap_list_hides_the_finding_button_from_readers(
    client, leader, liaison, assessor, office, open_round
):
    score_criteria(open_round, criteria_of(open_round)[:3], by=office)
    for user in (leader, liaison, assessor):
        client.force_login(user)
        body = html(client.get(reverse("assessments:gaps", args=[open_round.pk])))
        assert "生成整改任务" not in body
        assert 'name="due"' not in body


def test_gap_list_projects_the_total_if_open_rectifications_succeed(client, office, open_round):
    criteria = criteria_of(open_round)[:2]
    score_criteria(open_round, criteria, by=office)
    services.create_finding(open_round, criteria[0], by=office, due=dt.date(2030, 1, 1))
    client.force_login(office)
    body = html(client.get(reverse("assessments:gaps", args=[open_round.pk])))
    assert 'data-testid="adjusted">0<' in body
    projected = rules.fmt(criteria[0].max_points)
    assert f'data-testid="projected">{projected}<' in body
    row = re.search(rf'<tr data-criterion="{re.escape(criteria[0].key)}">(.*?)</tr>', body, re.S)
    assert row and f"?round={open_round.pk}" in row.group(1)


# --- compare ----------------------------------------------------------------------------------


def test_compare_without_parameters_shows_the_form(client, office, open_round, mock_round):
    client.force_login(office)
    response = client.get(reverse("assessments:compare"))
    assert response.status_code == 200
    body = html(response)
    assert 'name="a"' in body and 'name="b"' in body
    assert "2019年自评" in body and "2018年度模拟自评" in body
    assert 'data-testid="compare-table"' not in body
    assert 'data-testid="compare-error"' not in body


def test_compare_shows_per_criterion_deltas_and_totals(
    client, office, assessor, open_round, mock_round
):
    criteria = criteria_of(open_round)
    score_criteria(mock_round, criteria[:4], by=office)
    score_criteria(open_round, criteria[:2], by=assessor, high=True)
    score_criteria(open_round, criteria[2:4], by=assessor)
    client.force_login(office)
    url = reverse("assessments:compare") + f"?a={mock_round.pk}&b={open_round.pk}"
    response = client.get(url)
    assert response.status_code == 200
    body = html(response)
    assert body.count("<tr data-criterion=") == 125
    changed = re.findall(
        r'<tr data-criterion="([\d.]+)" class="table-warning" data-changed="1"', body
    )
    assert set(changed) == {c.key for c in criteria[:2]}
    assert "t-assessor" in body  # who scored B
    assert f"+{rules.fmt(criteria[0].max_points)}" in body
    assert 'data-testid="dimension-totals"' in body and 'data-testid="item-totals"' in body
    gained = criteria[0].max_points + criteria[1].max_points
    assert f'data-testid="adjusted-b">{rules.fmt(gained)}<' in body

    response = client.get(url + "&changed=1")
    body = html(response)
    assert body.count("<tr data-criterion=") == 2


def test_compare_refuses_rounds_of_different_campaigns(client, office, open_round, other_campaign):
    other = services.create_round(
        other_campaign,
        by=office,
        kind="self",
        name="其他轮次",
        start=dt.date(2020, 3, 1),
        end=dt.date(2020, 5, 1),
    )
    client.force_login(office)
    response = client.get(reverse("assessments:compare") + f"?a={other.pk}&b={open_round.pk}")
    assert response.status_code == 200
    body = html(response)
    assert "两个考核轮次不属于同一创建工作,不能比较。" in body
    assert 'data-testid="compare-table"' not in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?a=&b=", "请选择要比较的两个考核轮次。"),
        ("?a=abc&b=1", "请选择要比较的两个考核轮次。"),
        ("?a=-3&b=1", "请选择要比较的两个考核轮次。"),
    ],
)
def test_compare_with_bad_parameters_shows_a_message(client, office, open_round, query, message):
    client.force_login(office)
    response = client.get(reverse("assessments:compare") + query)
    assert response.status_code == 200
    assert message in html(response)


def test_compare_of_a_round_with_itself_is_refused(client, office, open_round):
    client.force_login(office)
    url = reverse("assessments:compare") + f"?a={open_round.pk}&b={open_round.pk}"
    assert "请选择两个不同的考核轮次。" in html(client.get(url))


# --- query counts -----------------------------------------------------------------------------


def _page_queries(client, url: str) -> int:
    def fetch():
        assert client.get(url).status_code == 200

    fetch()  # warm caches (sessions, content types)
    return count_queries(fetch)


def test_report_pages_do_not_grow_with_scores_and_findings(client, office, open_round, mock_round):
    criteria = criteria_of(open_round)
    urls = [
        reverse("assessments:round_summary", args=[open_round.pk]),
        reverse("assessments:gaps", args=[open_round.pk]),
        reverse("assessments:compare") + f"?a={mock_round.pk}&b={open_round.pk}",
    ]
    client.force_login(office)
    score_criteria(open_round, criteria[:5], by=office)
    score_criteria(mock_round, criteria[:5], by=office, high=True)
    services.create_finding(open_round, criteria[0], by=office, due=dt.date(2030, 1, 1))
    few = [_page_queries(client, url) for url in urls]

    score_criteria(open_round, criteria[5:60], by=office)
    score_criteria(mock_round, criteria[5:60], by=office, high=True)
    for criterion in criteria[1:12]:
        services.create_finding(open_round, criterion, by=office, due=dt.date(2030, 1, 1))
    assert Finding.objects.count() == 12
    many = [_page_queries(client, url) for url in urls]
    print("query counts (summary, gaps, compare):", few, many)
    assert few == many, (few, many)


def test_summary_counts_unscored_rows_per_dimension(client, office, open_round):
    # The 未评分 column was always 0 while 合计 counted every unscored row.
    criteria = list(
        Criterion.objects.filter(framework_id=open_round.campaign.framework_id).select_related(
            "item__dimension"
        )
    )
    scored = [c for c in criteria_of(open_round) if c.item.dimension.number == 1][:2]
    score_criteria(open_round, scored, by=office)
    client.force_login(office)
    body = html(client.get(reverse("assessments:round_summary", args=[open_round.pk])))
    per_dim: dict[int, int] = {}
    for c in criteria:
        if c not in scored:
            per_dim[c.item.dimension.number] = per_dim.get(c.item.dimension.number, 0) + 1
    cells = dict(
        (int(n), int(v))
        for n, v in re.findall(
            r'<tr data-dimension="(\d+)">.*?<td class="text-end">(?:<span class="badge[^"]*">)?'
            r"(\d+)(?:</span>)?</td>\s*</tr>",
            body,
            re.S,
        )
    )
    assert cells == per_dim
    assert sum(cells.values()) == len(criteria) - 2
    assert f'<td class="text-end">{len(criteria) - 2}</td></tr></tfoot>' in body


def test_verifying_a_finding_never_lowers_the_projected_total(client, office, open_round):
    criteria = criteria_of(open_round)[:2]
    score_criteria(open_round, criteria, by=office)
    finding = services.create_finding(open_round, criteria[0], by=office, due=dt.date(2030, 1, 1))
    client.force_login(office)
    url = reverse("assessments:gaps", args=[open_round.pk])

    def projected() -> str:
        match = re.search(r'data-testid="projected">([^<]*)<', html(client.get(url)))
        assert match
        return match.group(1)

    before = projected()
    finding = services.mark_fixed(finding, by=office, note="已整改")
    assert projected() == before
    services.verify_finding(finding, by=office)
    assert projected() == before == rules.fmt(criteria[0].max_points)
