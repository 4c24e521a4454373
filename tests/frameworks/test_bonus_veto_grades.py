"""加分 (bonus), 一票否决 (veto) and grades: parsing, lint, storing, exporting, round pages."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from qualitycity.assessments import services as assess
from qualitycity.assessments.queries import round_data
from qualitycity.campaigns.models import Campaign
from qualitycity.frameworks.lint import BLOCKING_CHECKS, lint_framework
from qualitycity.frameworks.loader import export_framework, load_framework, spec_from_db
from qualitycity.frameworks.models import Criterion
from qualitycity.frameworks.rules import RuleError, Veto, describe, parse_rule, score
from qualitycity.frameworks.spec import content_hash, parse_framework, spec_to_data
from tests.frameworks.test_loader import small, write
from tests.frameworks.test_spec_and_lint import KNOWN, criterion, keys, minimal, parsed

D = Decimal
GRADES = [
    {"label": "优秀", "min": 90},
    {"label": "良好", "min": 80, "max": 90},
    {"label": "合格", "min": 60, "max": 80},
    {"label": "不合格", "min": 0, "max": 60},
]


def with_outcome(**top):
    """minimal() plus a 加分 item 2.1 (5 points) and a veto row 3 in item 1.1."""
    data = minimal()
    data["dimensions"][0]["items"][0]["criteria"].append(
        criterion(
            3, points=None, text="3.发生重大质量安全事故的,实行一票否决", rule=top.pop("veto")
        )
        if "veto" in top
        else criterion(3, points=None, text="3.发生重大质量安全事故的,实行一票否决")
        | {"rule": {"type": "veto", "consequence": "fail"}}
    )
    data["dimensions"].append(
        {
            "number": 2,
            "title": "加分项",
            "items": [
                {
                    "code": "2.1",
                    "title": "创新举措",
                    "max_points": 5,
                    "bonus": True,
                    "criteria": [criterion(4, points=5, text="1.获得国家级质量奖(5分)")],
                }
            ],
        }
    )
    data.update(top)
    return data


# --- veto rule -------------------------------------------------------------------------------


def test_a_veto_is_triggered_or_not_and_gives_no_points():
    rule = parse_rule({"type": "veto", "consequence": "fail"})
    assert rule == Veto() and rule.top() == D(0)
    assert score(rule, True, D(0)) == D(0) and score(rule, False, D(0)) == D(0)
    assert describe(rule) == "一票否决:触发即考核不通过"
    forced = parse_rule({"type": "veto", "grade": " 不合格 "})
    assert forced == Veto(consequence="grade", grade="不合格")
    assert forced.to_data() == {"type": "veto", "grade": "不合格"}
    assert describe(forced) == "一票否决:触发即定为“不合格”"
    with pytest.raises(RuleError, match="已触发"):
        score(rule, "yes", D(0))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "veto"}, "必须写明后果"),
        ({"type": "veto", "consequence": "warn"}, "必须写明后果"),
        ({"type": "veto", "grade": ""}, "不能为空"),
        ({"type": "veto", "consequence": "fail", "grade": "合格"}, "其中之一"),
    ],
)
def test_a_veto_without_a_consequence_is_refused(data, message):
    with pytest.raises(RuleError, match=message):
        parse_rule(data)


def test_a_veto_without_consequence_in_a_file_is_an_error_naming_its_row():
    _spec, findings = parse_framework(with_outcome(veto={"type": "veto"}))
    assert [(f.check, f.row) for f in findings] == [("rule", "3")]


# --- parsing and lint ------------------------------------------------------------------------


def test_a_framework_with_bonus_veto_and_grades_is_clean():
    data = with_outcome(bonus_cap=10, grades=GRADES)
    spec = parsed(data)
    assert lint_framework(spec, KNOWN) == []
    assert spec.bonus_cap == D(10) and [g.label for g in spec.grades] == [
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]
    assert spec.items()[1].bonus and not spec.items()[0].bonus
    out = spec_to_data(spec)
    assert out["bonus_cap"] == 10 and out["grades"] == GRADES
    assert out["dimensions"][1]["items"][0]["bonus"] is True
    assert parsed(out) is not None and spec_to_data(parsed(out)) == out


def test_a_table_without_the_new_keys_writes_none_of_them():
    out = spec_to_data(parsed(minimal()))
    assert "bonus_cap" not in out and "grades" not in out
    assert all("bonus" not in i for d in out["dimensions"] for i in d["items"])
    assert all(
        "bonus" not in c for d in out["dimensions"] for i in d["items"] for c in i["criteria"]
    )


def test_a_bonus_row_inside_a_base_item_is_outside_its_sum():
    data = minimal()
    data["dimensions"][0]["items"][0]["criteria"].append(
        criterion(3, points=3, text="3.加分:获评示范(3分)", bonus=True)
    )
    assert lint_framework(parsed(data), KNOWN) == []
    data["dimensions"][0]["items"][0]["criteria"][2]["bonus"] = False
    assert ("error", "item-sum", "1.1", None) in keys(lint_framework(parsed(data), KNOWN))


def test_a_bonus_above_the_cap_is_an_error():
    findings = lint_framework(parsed(with_outcome(bonus_cap=4)), KNOWN)
    assert keys(findings) == {("error", "bonus-cap", "2.1", None)}
    assert "加分项分值 5 分,超过加分上限 4 分" in findings[0].message


def test_bonus_must_be_true_or_false():
    data = with_outcome()
    data["dimensions"][1]["items"][0]["bonus"] = "yes"
    _spec, findings = parse_framework(data)
    assert [(f.check, f.item) for f in findings] == [("field", "2.1")]


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        (
            [*GRADES[:3], {"label": "合格", "min": 0, "max": 60}],
            {"grade-repeated"},
        ),
        (
            [GRADES[0], {"label": "良好", "min": 75, "max": 90}, *GRADES[2:]],
            {"grade-overlap"},
        ),
        (
            [GRADES[0], {"label": "良好", "min": 85, "max": 90}, *GRADES[2:]],
            {"grade-gap"},
        ),
        (GRADES[:3], {"grade-gap"}),  # nothing below 60
        ([{"label": "优秀", "min": 90, "max": 100}, *GRADES[1:]], {"grade-gap"}),  # above 100
        ([GRADES[0], {"label": "良好", "min": 90, "max": 80}, *GRADES[2:]], None),
    ],
)
def test_grade_bands_that_overlap_leave_gaps_or_repeat_are_errors(grades, expected):
    findings = lint_framework(parsed(with_outcome(grades=grades)), KNOWN)
    checks = {f.check for f in findings}
    if expected is None:
        assert "grade-empty" in checks
    else:
        assert checks == expected, [f.message for f in findings]
    assert all(f.severity == "error" for f in findings)


def test_a_veto_forcing_an_undefined_grade_is_an_error():
    veto = {"type": "veto", "grade": "不达标"}
    findings = lint_framework(parsed(with_outcome(veto=veto, grades=GRADES)), KNOWN)
    assert keys(findings) == {("error", "veto-grade", "1.1", "3")}
    ok = {"type": "veto", "grade": "不合格"}
    assert lint_framework(parsed(with_outcome(veto=ok, grades=GRADES)), KNOWN) == []


def test_bad_grade_entries_are_refused():
    for grades, message in (
        ([], "grades 必须是等次列表"),
        ([{"min": 0}], "缺少 label"),
        ([{"label": "合格", "min": -1}], "不能为负数"),
        ([{"label": "合格", "min": 0, "top": 1}], "未知的字段“top”"),
    ):
        _spec, findings = parse_framework(with_outcome(grades=copy.deepcopy(grades)))
        assert any(message in f.message for f in findings), (grades, findings)


# --- stored, exported, scored ------------------------------------------------------------------


def outcome_file(tmp_path, **top):
    data = small()
    data["dimensions"][0]["items"][0]["criteria"].append(
        {
            "row": 3,
            "text": "3.发生重大质量安全事故的,实行一票否决",
            "points": None,
            "rule": {"type": "veto", "consequence": "fail"},
            "lead_units": ["市创质办"],
        }
    )
    data["dimensions"].append(
        {
            "number": 2,
            "title": "加分项",
            "items": [
                {
                    "code": "2.1",
                    "title": "创新举措",
                    "max_points": 5,
                    "bonus": True,
                    "criteria": [
                        {
                            "row": 4,
                            "text": "1.获得国家级质量奖(5分)",
                            "points": 5,
                            "rule": {"type": "binary"},
                            "lead_units": ["市创质办"],
                        }
                    ],
                }
            ],
        }
    )
    data.update(top)
    return write(tmp_path, "outcome.yaml", data)


@pytest.mark.django_db
def test_the_stored_framework_keeps_bonus_and_grades_and_exports_them(orgs, tmp_path):
    path = outcome_file(tmp_path, bonus_cap=3, grades=GRADES)
    framework, created = load_framework(path)
    assert created
    assert framework.scheme == {"bonus_cap": 3, "grades": GRADES, "bonus_items": ["2.1"]}
    spec = spec_from_db(framework)
    assert content_hash(spec) == framework.content_hash
    exported = yaml.safe_load(export_framework(framework, "yaml"))
    assert exported["bonus_cap"] == 3 and exported["grades"] == GRADES
    assert exported["dimensions"][1]["items"][0]["bonus"] is True
    assert "bonus-cap" not in BLOCKING_CHECKS  # a defect kept as printed, reported by the lint
    assert {f.check for f in lint_framework(spec)} == {"bonus-cap"}


@pytest.mark.django_db
def test_a_round_on_it_shows_bonus_final_total_grade_and_veto(
    orgs, tmp_path, campaign, open_round, office, client
):
    small_grades = [
        {"label": "优秀", "min": 18},
        {"label": "合格", "min": 12, "max": 18},
        {"label": "不合格", "min": 0, "max": 12},
    ]
    framework, _created = load_framework(outcome_file(tmp_path, bonus_cap=3, grades=small_grades))
    Campaign.objects.filter(pk=campaign.pk).update(framework=framework)
    open_round.campaign.refresh_from_db()
    rows = {c.row: c for c in Criterion.objects.filter(framework=framework)}
    assess.save_score(open_round, rows["1"], by=office, value="yes", expected_version=0)
    assess.save_score(open_round, rows["2"], by=office, value="7", expected_version=0)
    assess.save_score(open_round, rows["3"], by=office, value="no", expected_version=0)
    assess.save_score(open_round, rows["4"], by=office, value="yes", expected_version=0)
    total = round_data(open_round).totals()
    assert (total.full, total.earned, total.bonus_earned, total.bonus) == (20, 17, 5, 3)
    assert total.final == D(20) and total.grade == "优秀"  # 17 alone would be 合格
    client.force_login(office)
    body = client.get(f"/rounds/{open_round.pk}/").content.decode()
    assert 'data-testid="bonus">3<' in body and 'data-testid="final">20<' in body
    assert "已得 5,上限 3" in body and 'data-testid="grade">优秀<' in body
    score = assess.save_score(open_round, rows["3"], by=office, value="已触发", expected_version=1)
    assert score.points == 0 and score.value == {"input": True}
    total = round_data(open_round).totals()
    assert total.failed and total.grade is None
    body = client.get(f"/rounds/{open_round.pk}/").content.decode()
    assert 'data-testid="grade">一票否决<' in body and "已触发一票否决" in body
    assert rows["3"].key in body
    ws = client.get(f"/rounds/{open_round.pk}/score/?dim=1").content.decode()
    assert 'data-testid="final">20<' in ws and "已触发" in ws and "未触发" in ws
