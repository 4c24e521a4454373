"""The round's scoring table as xlsx, in the seed's layout: columns, merged 指标项 and 指标内容,
scores, 合理缺项 and lost points in 备注, subtotals and totals equal to the round's own, text that
looks like a formula kept as text, print setup, the command line, access and fixed queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from qualitycity.assessments import services
from qualitycity.assessments.queries import round_data
from qualitycity.frameworks.models import Criterion
from tests.factories import criteria_of, score_criteria
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "指标项", "指标内容", "具体目标", "牵头单位", "配合单位", "分值", "得分", "备注"]
NA_KEY = "3.6.2"


def crit(rnd, key: str) -> Criterion:
    return Criterion.objects.get(framework_id=rnd.campaign.framework_id, key=key)


def _sheet(client, user, rnd):
    client.force_login(user)
    response = client.get(reverse("reports:export", args=["round-xlsx", rnd.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _rows_by_serial(ws) -> dict[str, tuple]:
    return {
        str(r[0]): r
        for r in ws.iter_rows(min_row=4, values_only=True)
        if r[0] is not None and r[3] is not None
    }


@pytest.fixture
def scored(open_round, assessor, office):
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:10], by=assessor)  # the lowest: points lost
    score_criteria(open_round, criteria[10:], by=assessor, high=True)
    first = crit(open_round, "1.1.1")
    services.save_score(
        open_round,
        first,
        by=assessor,
        value="yes",
        comment='=HYPERLINK("http://evil","x")',
        expected_version=open_round.scores.get(criterion=first).version,
    )
    claim = services.claim_not_applicable(
        open_round, crit(open_round, NA_KEY), by=office, reason="无口岸", expected_version=0
    )
    services.decide_not_applicable(claim, by=office, approve=True, expected_version=claim.version)
    return open_round


def test_the_table_has_the_seed_layout_and_the_rounds_figures(client, office, scored):
    ws = _sheet(client, office, scored)
    assert [c.value for c in ws[3]] == HEADERS
    assert ws.freeze_panes == "A4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$3"
    assert "考核评分表" in ws.cell(1, 1).value

    rows = _rows_by_serial(ws)
    printed = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[3] is not None]
    assert len(printed) == Criterion.objects.filter(framework=scored.campaign.framework).count()
    assert [r[0] for r in printed].count("48") == 2  # row 48 is printed twice in the seed
    first = rows["1"]
    assert first[1] == "一、城市质量发展战略规划明确清晰"
    assert first[2] == "1.1 制定并出台质量发展实施意见(20分)"
    assert (first[4], first[5]) == ("市创质办", "质量强市工作领导小组成员单位")
    assert first[6] == 10 and first[7] == 10
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "C4:C5" in merged  # item 1.1: rows 1 and 2
    dim_one = [r for r in merged if r.startswith("B4:")]
    assert dim_one == ["B4:B9"]  # dimension 一: rows 1–6

    data = round_data(scored)
    scores = data.scores
    lost = next(c for c in criteria_of(scored)[:10] if scores[c.pk].points < c.max_points)
    row = rows[lost.row]
    assert row[7] == float(scores[lost.pk].points) or row[7] == int(scores[lost.pk].points)
    assert "失 " in row[8]
    na = rows[crit(scored, NA_KEY).row]
    assert na[7] is None and "合理缺项(已认定)" in na[8]

    total = data.totals()
    labels = {str(r[0]): r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]}
    assert Decimal(str(labels["一 小计"][7])) == total.dimensions[1].earned
    assert Decimal(str(labels["合计"][6])) == total.full
    assert Decimal(str(labels["合计"][7])) == total.earned
    adjusted = next(r for k, r in labels.items() if k.startswith("折算总分"))
    assert Decimal(str(adjusted[7])) == total.adjusted


def test_text_that_looks_like_a_formula_stays_text(client, office, scored):
    ws = _sheet(client, office, scored)
    cell = next(c for c in ws["I"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"
    assert cell.quotePrefix


def test_the_command_line_writes_the_same_table(scored, tmp_path):
    path = tmp_path / "round.xlsx"
    call_command("export", "round", str(scored.pk), "--format", "xlsx", "-o", str(path))
    ws = load_workbook(path).active
    assert [c.value for c in ws[3]] == HEADERS


def test_an_outsider_gets_the_404(client, outsider, open_round):
    client.force_login(outsider)
    url = reverse("reports:export", args=["round-xlsx", open_round.pk])
    assert client.get(url).status_code == 404


def test_the_summary_links_the_export(client, office, open_round):
    client.force_login(office)
    page = client.get(reverse("assessments:round_summary", args=[open_round.pk])).content.decode()
    assert reverse("reports:export", args=["round-xlsx", open_round.pk]) in page


def test_its_queries_do_not_grow_with_the_scores(client, office, open_round, assessor):
    client.force_login(office)
    url = reverse("reports:export", args=["round-xlsx", open_round.pk])
    criteria = criteria_of(open_round)
    score_criteria(open_round, criteria[:3], by=assessor)
    b"".join(client.get(url).streaming_content)  # the framework's table, read once per process
    few = count_queries(lambda: b"".join(client.get(url).streaming_content))
    score_criteria(open_round, criteria[3:], by=assessor)
    many = count_queries(lambda: b"".join(client.get(url).streaming_content))
    assert many == few
