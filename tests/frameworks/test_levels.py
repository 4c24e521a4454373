"""二级指标 (a level between dimension and item) and the totals a table states: parsed, linted,
exported, stored and read back; tables without them keep their content hash."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.frameworks.lint import lint_framework
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework, spec_from_db
from qualitycity.frameworks.models import Framework
from qualitycity.frameworks.spec import content_hash, parse_framework, spec_to_data

D = Decimal


def _item(code: str, points: int) -> dict:
    return {
        "code": code,
        "title": f"指标内容{code}",
        "max_points": points,
        "criteria": [
            {
                "row": code,
                "text": f"{code}.目标({points}分)",
                "points": points,
                "rule": {"type": "binary"},
            }
        ],
    }


def leveled(*, s1=30, s2=20, dim=50, total=50, points=(10, 20, 20)) -> dict:
    """One dimension with two 二级指标: 1.1 (items 1.1.1, 1.1.2) and 1.2 (item 1.2.1)."""
    a, b, c = points
    return {
        "code": "leveled",
        "title": "含二级指标的评分表",
        "total_points": total,
        "dimensions": [
            {
                "number": 1,
                "title": "质量发展",
                "points": dim,
                "sections": [
                    {
                        "code": "1.1",
                        "title": "质量战略",
                        "points": s1,
                        "items": [_item("1.1.1", a), _item("1.1.2", b)],
                    },
                    {
                        "code": "1.2",
                        "title": "质量基础",
                        "points": s2,
                        "items": [_item("1.2.1", c)],
                    },
                ],
            }
        ],
    }


def checks(data) -> list[tuple[str, str]]:
    spec, findings = parse_framework(data)
    assert findings == [], [f.message for f in findings]
    return [(f.severity, f.check) for f in lint_framework(spec) if f.check.endswith("-sum")]


def test_sections_are_read_in_order_with_their_items():
    spec, findings = parse_framework(leveled())
    assert findings == []
    [dim] = spec.dimensions
    assert [i.code for i in dim.items] == ["1.1.1", "1.1.2", "1.2.1"]
    assert [(s.code, s.points, s.item_codes) for s in dim.sections] == [
        ("1.1", D(30), ["1.1.1", "1.1.2"]),
        ("1.2", D(20), ["1.2.1"]),
    ]
    assert (dim.points, spec.total_points) == (D(50), D(50))
    assert checks(leveled()) == []


def test_items_that_do_not_add_up_to_their_section_are_an_error():
    [(severity, check)] = checks(leveled(s1=25, dim=45, total=45))
    assert (severity, check) == ("error", "section-sum")
    spec, _f = parse_framework(leveled(s1=25, dim=45, total=45))
    [finding] = [f for f in lint_framework(spec) if f.check == "section-sum"]
    assert finding.message == "二级指标 1.1 下各指标内容分值合计 30 分,与其标明的 25 分不符。"


def test_sections_that_do_not_add_up_to_the_dimension_are_an_error():
    assert checks(leveled(dim=60, total=60)) == [("error", "dimension-sum")]


def test_dimensions_that_do_not_add_up_to_the_stated_total_are_an_error():
    spec, _f = parse_framework(leveled(total=100))
    [finding] = [f for f in lint_framework(spec) if f.check.endswith("-sum")]
    assert (finding.check, finding.message) == (
        "total-sum",
        "各指标项分值合计 50 分,与评分表标明的总分 100 分不符。",
    )


def test_a_dimension_without_sections_is_checked_against_its_items():
    data = leveled()
    dim = data["dimensions"][0]
    dim["items"] = [i for s in dim.pop("sections") for i in s["items"]]
    assert checks(data) == []
    dim["points"] = 40
    assert checks(data) == [("error", "dimension-sum"), ("error", "total-sum")]


@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=3),
    st.integers(min_value=0, max_value=5),
)
def test_stated_totals_hold_exactly_when_they_are_the_sums(points, offset):
    a, b, c = points
    data = leveled(s1=a + b, s2=c, dim=a + b + c + offset, total=a + b + c + offset, points=points)
    found = checks(data)
    assert found == ([] if offset == 0 else [("error", "dimension-sum")])


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            lambda d: d["dimensions"][0].update(items=[_item("9.9", 1)]),
            "不能同时写 sections 和 items",
        ),
        (lambda d: d["dimensions"][0].update(sections=[]), "sections 必须是二级指标列表"),
        (lambda d: d["dimensions"][0]["sections"][0].pop("code"), "缺少 code 或 title"),
        (lambda d: d["dimensions"][0]["sections"][1].update(item=[]), "item"),
        (lambda d: d["dimensions"][0]["sections"][1].pop("items"), "二级指标 1.2 缺少 items 列表"),
        (lambda d: d.update(total_points="一百"), "total_points"),
    ],
)
def test_a_bad_section_is_refused_with_a_clear_message(change, fragment):
    data = leveled()
    change(data)
    _spec, findings = parse_framework(data)
    assert findings and all(f.severity == "error" for f in findings)
    assert any(fragment in f.message for f in findings), [f.message for f in findings]


def test_export_writes_sections_back_and_reads_the_same():
    spec, _f = parse_framework(leveled())
    data = spec_to_data(spec)
    assert [s["code"] for s in data["dimensions"][0]["sections"]] == ["1.1", "1.2"]
    assert "items" not in data["dimensions"][0]
    again, findings = parse_framework(yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)))
    assert findings == [] and spec_to_data(again) == data


def test_a_table_without_levels_keeps_its_content_hash_and_export():
    data = yaml.safe_load(YONGZHOU_FILE.read_text(encoding="utf-8"))
    spec, _f = parse_framework(data)
    exported = spec_to_data(spec)
    assert "total_points" not in exported
    assert all("points" not in d and "sections" not in d for d in exported["dimensions"])
    assert content_hash(spec) == content_hash(parse_framework(exported)[0])


@pytest.mark.django_db
def test_a_stored_framework_keeps_its_levels(tmp_path, no_framework):
    path = tmp_path / "leveled.yaml"
    path.write_text(yaml.safe_dump(leveled(s1=25, dim=45, total=45), allow_unicode=True), "utf-8")
    framework, created = load_framework(path)
    assert created
    stored = spec_from_db(Framework.objects.get(pk=framework.pk))
    assert [(s.code, s.points, s.item_codes) for s in stored.dimensions[0].sections] == [
        ("1.1", D(25), ["1.1.1", "1.1.2"]),
        ("1.2", D(20), ["1.2.1"]),
    ]
    assert stored.total_points == D(45)
    file_spec, _f = parse_framework(leveled(s1=25, dim=45, total=45))
    assert content_hash(stored) == content_hash(file_spec)
    assert [f.check for f in lint_framework(stored) if f.check.endswith("-sum")] == ["section-sum"]


@pytest.mark.django_db
def test_the_framework_page_shows_sections_and_the_totals_check(
    client, tmp_path, no_framework, office
):
    path = tmp_path / "leveled.yaml"
    path.write_text(yaml.safe_dump(leveled(total=60), allow_unicode=True), "utf-8")
    framework, _created = load_framework(path)
    client.force_login(office)
    page = client.get(f"/frameworks/{framework.pk}/").content.decode()
    assert 'data-section="1.1"' in page and 'data-section="1.2"' in page
    assert "二级指标 1.1 质量战略(30分)" in page
    assert "各指标项分值合计 50 分,与评分表标明的总分 60 分不符。" in page
