"""`qualitycity framework lint FILE`: what it reports on the Yongzhou table and on small files."""

from __future__ import annotations

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from qualitycity.frameworks.loader import YONGZHOU_FILE, check_file
from tests.helpers import max_queries

YONGZHOU_FINDINGS = {
    ("error", "item-sum", "2.4", None),
    ("error", "item-sum", "7.5", None),
    ("error", "duplicate-row", None, "48"),
    ("error", "lead-and-cooperating", "3.6", "43"),
    ("error", "lead-and-cooperating", "3.6", "47"),
    ("warning", "tier-max", "2.5", "19"),
    ("warning", "item-sum", "2.5", None),
    ("warning", "no-points", "4.1", "48"),
    ("warning", "no-points", "4.2", "48"),
    ("warning", "no-points", "4.3", "49"),
    ("warning", "no-points", "4.7", "60"),
    ("warning", "no-points", "5.3", "71"),
    ("warning", "no-points", "7.6", "99"),
    ("warning", "no-points", "8.1", "100"),
    ("warning", "no-points", "8.4", "106"),
    ("warning", "no-points", "9.1", "112"),
    ("warning", "no-points", "9.2", "113"),
    ("warning", "merged-criteria", "3.2", "27"),
    ("warning", "merged-criteria", "8.5", "107"),
}


def lint(path, *args: str) -> tuple[int, str]:
    """Run the command; returns (exit code, stdout)."""
    out = StringIO()
    try:
        call_command("framework", "lint", str(path), *args, stdout=out, stderr=StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def keys(findings):
    return [(f.severity, f.check, f.item, f.row) for f in findings]


def small(**over):
    """A valid one-item framework using known Yongzhou units."""
    criterion = {
        "row": 1,
        "text": "1.建立质量工作部门联席会议制度(10分)",
        "points": 10,
        "rule": {"type": "binary"},
        "lead_units": ["市创质办"],
        "cooperating_units": ["质量强市工作领导小组成员单位"],
    }
    criterion.update(over)
    return {
        "code": "small",
        "title": "小表",
        "dimensions": [
            {
                "number": 1,
                "title": "组织",
                "items": [
                    {"code": "1.1", "title": "机制", "max_points": 10, "criteria": [criterion]}
                ],
            }
        ],
    }


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the Yongzhou table ----------------------------------------------------------------------


def test_yongzhou_reports_exactly_its_known_defects(orgs):
    spec, findings = check_file(YONGZHOU_FILE)
    assert spec is not None
    assert set(keys(findings)) == YONGZHOU_FINDINGS
    assert len(findings) == len(YONGZHOU_FINDINGS)


def test_yongzhou_findings_say_what_is_wrong(orgs):
    _spec, findings = check_file(YONGZHOU_FILE)
    by_key = {(f.check, f.item, f.row): f.message for f in findings}
    assert "21 分" in by_key[("item-sum", "2.4", None)]
    assert "15 分" in by_key[("item-sum", "2.4", None)]
    assert "15 分" in by_key[("item-sum", "7.5", None)]
    assert "10 分" in by_key[("item-sum", "7.5", None)]
    assert "4.1、4.2" in by_key[("duplicate-row", None, "48")]
    assert "市农委" in by_key[("lead-and-cooperating", "3.6", "43")]
    assert "市食药局" in by_key[("lead-and-cooperating", "3.6", "47")]
    tier = by_key[("tier-max", "2.5", "19")]
    assert "10 分" in tier
    assert "20 分" in tier
    assert "勘误" in tier
    assert "已按勘误更正" in by_key[("item-sum", "2.5", None)]
    assert "20 分" in by_key[("no-points", "4.1", "48")]
    assert "2.、3." in by_key[("merged-criteria", "3.2", "27")]
    assert "1.、2." in by_key[("merged-criteria", "8.5", "107")]


def test_lint_command_on_yongzhou_prints_every_finding_and_exits_1(orgs):
    code, output = lint(YONGZHOU_FILE)
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == len(YONGZHOU_FINDINGS) + 1
    assert lines[-1] == "共 5 个错误,14 个警告。"
    for line in lines[:-1]:
        assert line.startswith(f"{YONGZHOU_FILE}:")
    assert f"{YONGZHOU_FILE}:第48行:错误:序号 48 出现 2 次(指标内容 4.1、4.2)。" in lines
    assert sum(":错误:" in line for line in lines) == 5
    assert sum(":警告:" in line for line in lines) == 14
    assert any(line.startswith(f"{YONGZHOU_FILE}:第43行 指标 3.6:错误:") for line in lines)
    assert any(line.startswith(f"{YONGZHOU_FILE}:指标 2.4:错误:") for line in lines)


def test_lint_only_reads_the_unit_names(orgs):
    with max_queries(3) as ctx:
        check_file(YONGZHOU_FILE)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in ctx.captured_queries)


# --- small files -----------------------------------------------------------------------------


def test_a_clean_file_exits_0(orgs, tmp_path):
    code, output = lint(write(tmp_path, "clean.yaml", small()))
    assert code == 0
    assert output.strip() == "共 0 个错误,0 个警告。"


def test_a_file_with_only_warnings_exits_0(orgs, tmp_path):
    path = write(
        tmp_path,
        "warn.yaml",
        small(
            text="1.成立机构的得10分;未成立的得0分。",
            points=None,
            rule={
                "type": "tiers",
                "tiers": [{"label": "成立", "points": 10}, {"label": "未成立", "points": 0}],
            },
        ),
    )
    code, output = lint(path)
    assert code == 0
    assert f"{path}:第1行 指标 1.1:警告:原文未标明分值" in output
    assert "共 0 个错误,1 个警告。" in output


def test_a_file_with_an_error_exits_1(orgs, tmp_path):
    path = write(tmp_path, "err.yaml", small(cooperating_units=["市创质办"]))
    code, output = lint(path)
    assert code == 1
    assert f"{path}:第1行 指标 1.1:错误:“市创质办”同时列为牵头单位和配合单位。" in output
    assert "共 1 个错误,0 个警告。" in output


def test_with_a_region_an_unknown_unit_is_reported_with_file_and_row(orgs, tmp_path):
    path = write(tmp_path, "unit.yaml", small(lead_units=["市宇航局"]))
    code, output = lint(path, "--region", "431100")
    assert code == 0  # a warning: the campaign maps such a name to a unit
    assert (
        f"{path}:第1行 指标 1.1:警告:“市宇航局”不在该行政区名录的单位、别名或单位组中。" in output
    )
    code, output = lint(path)
    assert code == 0 and "市宇航局" not in output


def test_an_unknown_region_is_refused(orgs, tmp_path):
    path = write(tmp_path, "unit.yaml", small())
    with pytest.raises(CommandError, match="行政区“999999”不存在"):
        call_command("framework", "lint", str(path), "--region", "999999")


def test_a_yaml_syntax_error_is_reported_with_its_line(orgs, tmp_path):
    path = write(tmp_path, "syntax.yaml", "code: small\ntitle: 小表\ndimensions:\n  - number: [1\n")
    code, output = lint(path)
    assert code == 1
    first = output.splitlines()[0]
    assert first.startswith(f"{path}:错误:YAML 语法错误")
    assert "第 5 行" in first or "第 4 行" in first


@pytest.mark.parametrize(
    ("over", "problem"),
    [
        ({"text": None}, "缺少 text"),
        ({"points": -5}, "不能为负数"),
        ({"points": "十"}, "“十”"),
        ({"rule": {"type": "lottery"}}, "未知的评分规则类型“lottery”"),
    ],
)
def test_a_broken_file_reports_file_row_and_problem(orgs, tmp_path, over, problem):
    data = small(**over)
    path = write(tmp_path, "broken.yaml", data)
    code, output = lint(path)
    assert code == 1
    [line] = [line for line in output.splitlines() if line.startswith(f"{path}:第1行")]
    assert line.startswith(f"{path}:第1行 指标 1.1:错误:")
    assert problem in line


def test_a_missing_file_is_reported(orgs, tmp_path):
    path = tmp_path / "absent.yaml"
    code, output = lint(path)
    assert code == 1
    assert f"{path}:错误:文件不存在。" in output


def test_an_empty_file_is_reported(orgs, tmp_path):
    code, output = lint(write(tmp_path, "empty.yaml", ""))
    assert code == 1
    assert "必须是一个映射" in output
