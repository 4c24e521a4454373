"""`qualitycity orgs load|export`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from qualitycity.audit.models import AuditEvent
from qualitycity.orgs.models import Region, Unit
from tests.orgs.test_loading import BAD, TAIZHOU, counts

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("orgs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_loads_back_without_changes(orgs, tmp_path, fmt):
    path = tmp_path / f"org.{fmt}"
    run("export", "--format", fmt, "-o", str(path))
    before = counts()
    out, _err = run("load", str(path))
    assert "新增 0 项,修改 0 项" in out
    assert counts() == before


def test_export_of_one_region_prints_yaml(orgs):
    out, _err = run("export", "--region", "431100")
    assert "市质监局" in out and "431100" in out


def test_load_dry_run_prints_the_plan_and_writes_nothing(orgs, tmp_path):
    path = tmp_path / "taizhou.yaml"
    path.write_text(TAIZHOU, encoding="utf-8")
    before = counts()
    out, _err = run("load", str(path), "--dry-run")
    assert "泰州市(321200)" in out and "新增单位 “市质监局”(szjj)" in out
    assert "试运行" in out
    assert counts() == before
    out, _err = run("load", str(path))
    assert Region.objects.get(code="321200").units.count() == 2
    assert AuditEvent.objects.filter(action="unit.created", source="cli").count() == 2
    assert Unit.objects.filter(name="市质监局").count() == 2


def test_load_with_errors_exits_1_and_writes_nothing(orgs, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    before = counts()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("orgs", "load", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    text = err.getvalue()
    assert "单位 第 4 行,名称:名称“市质监局”已被本名录中其他单位、单位组或别名使用" in text
    assert "行政区 第 2 行,类型:" in text
    assert "文件未导入,没有写入任何数据。" in text
    assert counts() == before
