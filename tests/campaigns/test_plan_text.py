"""Plan text → measures (campaigns/plan_text.py, pure) and `qualitycity measures import`: the
Yongzhou plan's 主要措施 come out equal to the built-in file; the phrases other plans use are read;
problems are reported by number; the command writes nothing on --dry-run and all or nothing
otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.campaigns.models import Measure
from qualitycity.campaigns.plan_text import parse_bracket, parse_measures

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "docs" / "sources" / "yongzhou-2017-implementation-plan.txt"
BUILT_IN = ROOT / "src" / "qualitycity" / "campaigns" / "data" / "yongzhou-2017-measures.yaml"
FIELDS = ("number", "section", "title", "text", "lead_units", "cooperating_units", "bracket")


def test_the_yongzhou_plan_gives_the_25_built_in_measures():
    plan = parse_measures(PLAN.read_text(encoding="utf-8"))
    expected = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))["measures"]
    assert plan.problems == []
    assert len(plan.measures) == len(expected) == 25
    for got, want in zip(plan.measures, expected, strict=True):
        for name in FIELDS:
            value = getattr(got, name)
            assert (list(value) if isinstance(value, tuple) else value) == want[name], (
                want["number"],
                name,
            )


@pytest.mark.parametrize(
    ("text", "lead", "coop"),
    [
        ("(市质监局牵头,市发改委、市财政局等单位配合落实)", ["市质监局"], ["市发改委", "市财政局"]),
        ("(市创质办牵头、各成员单位配合落实)", ["市创质办"], ["各成员单位"]),
        (
            "(市经信委、市商务粮食局牵头,各成员单位配合)",
            ["市经信委", "市商务粮食局"],
            ["各成员单位"],
        ),
        ("牵头单位:市住建局;配合单位:市房产局、市水利局", ["市住建局"], ["市房产局", "市水利局"]),
        ("责任单位:县质监局", ["县质监局"], []),
    ],
)
def test_the_phrases_plans_use_are_read(text, lead, coop):
    plan = parse_measures(f"1、加强标准化。做好标准化工作。{text}")
    m = plan.measures[0]
    assert (list(m.lead_units), list(m.cooperating_units)) == (lead, coop)
    assert m.title == "加强标准化" and m.text.startswith("做好标准化工作")


def test_wrapped_lines_are_joined_and_problems_reported_by_number():
    text = "(一)加强组织\n1、加强领导。成立领导小组,\n统筹推进。(市创质办牵头)\n3、没有单位的措施写得很长没有句号"
    plan = parse_measures(text)
    assert [m.number for m in plan.measures] == [1, 3]
    assert plan.measures[0].text == "成立领导小组,统筹推进。"
    assert plan.measures[0].section == "(一)加强组织"
    messages = [message for _n, message in plan.problems]
    assert any("没有写明牵头单位" in m for m in messages)
    assert any("序号不连续" in m for m in messages)
    assert parse_measures("没有措施").problems[0][0] is None


NAME = st.text(alphabet="市县区质监局发改委财政住建办", min_size=2, max_size=8).filter(
    lambda s: "牵头" not in s and "配合" not in s and not s.endswith(("等单位", "等部门", "和"))
)


@given(st.lists(NAME, min_size=1, max_size=3, unique=True), st.lists(NAME, max_size=5, unique=True))
def test_a_printed_bracket_reads_back_as_its_units(lead, coop):
    inner = "、".join(lead) + "牵头"
    if coop:
        inner += "," + "、".join(coop) + "等单位配合落实"
    assert parse_bracket(inner) == (tuple(lead), tuple(coop))


@pytest.mark.django_db
def test_the_command_reads_a_docx_and_writes_nothing_on_dry_run(campaign, tmp_path):
    doc = Document()
    doc.add_paragraph("三、主要措施")
    doc.add_paragraph("(一)加强组织领导")
    doc.add_paragraph("1、加强战略规划。制定实施意见。(市创质办牵头,市质监局配合落实)")
    doc.add_paragraph("四、工作安排")
    path = tmp_path / "plan.docx"
    doc.save(path)
    before = Measure.objects.filter(campaign=campaign).count()
    out = io.StringIO()
    call_command(
        "measures", "import", str(path), "--campaign", str(campaign.pk), "--dry-run", stdout=out
    )
    assert "共 1 项措施" in out.getvalue() and "未写入任何数据" in out.getvalue()
    assert Measure.objects.filter(campaign=campaign).count() == before


@pytest.mark.django_db
def test_the_command_imports_all_or_nothing(campaign, tmp_path):
    taken = set(Measure.objects.filter(campaign=campaign).values_list("number", flat=True))
    free = max(taken | {0}) + 1
    path = tmp_path / "plan.txt"
    path.write_text(
        f"{free}、新措施。内容。(市创质办牵头,市质监局配合落实)\n"
        f"{free + 1}、另一措施。内容。(市不存在局牵头)\n",
        encoding="gb18030",
    )
    with pytest.raises(CommandError, match="没有写入任何数据"):
        call_command(
            "measures", "import", str(path), "--campaign", str(campaign.pk), stderr=io.StringIO()
        )
    assert not Measure.objects.filter(campaign=campaign, number=free).exists()
    path.write_text(f"{free}、新措施。内容。(市创质办牵头,市质监局配合落实)\n", encoding="utf-8")
    out = io.StringIO()
    call_command("measures", "import", str(path), "--campaign", str(campaign.pk), stdout=out)
    m = Measure.objects.get(campaign=campaign, number=free)
    assert m.title == "新措施"
    assert {(u.role, u.printed_name) for u in m.units.all()} == {
        ("lead", "市创质办"),
        ("cooperating", "市质监局"),
    }
