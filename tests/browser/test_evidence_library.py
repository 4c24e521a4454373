"""A liaison logs in, uploads a PDF through the upload page and finds it in the evidence library."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.assessments import services
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, named, ooxml_bytes, pdf_bytes, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_uploads_a_pdf_and_finds_it_in_the_library(
    page, settings, tmp_path, campaign, office, liaison, open_round
):
    settings.MEDIA_ROOT = tmp_path / "media"
    qzj = Unit.objects.get(name="市质监局")
    other = Unit.objects.exclude(name__in=["市质监局", "市创质办"]).order_by("position").first()
    keys = list(Criterion.objects.filter(framework=campaign.framework, key__in=["1.2.1", "2.4.3"]))
    for name, data, title, day, unit in [
        (
            "联席会议纪要.docx",
            ooxml_bytes("word"),
            "质量工作部门联席会议纪要",
            dt.date(2018, 3, 12),
            qzj,
        ),
        ("现场检查.png", png_bytes(), "质量安全现场检查照片", dt.date(2017, 8, 20), qzj),
        ("其他单位.pdf", pdf_bytes("other"), "其他单位的材料", dt.date(2018, 5, 1), other),
    ]:
        services.upload_evidence(
            campaign,
            named(name, data),
            by=office,
            title=title,
            unit=unit,
            effective_date=day,
            criteria=keys,
        )

    page.goto(page.base_url + "/evidence/")
    assert "/login/" in page.url
    page.get_by_label("用户名").fill(liaison.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/evidence/")
    assert "其他单位的材料" not in page.locator("body").inner_text()

    page.get_by_role("link", name="上传佐证材料").click()
    page.wait_for_url("**/evidence/upload/")
    assert page.get_by_label("提供单位").input_value() == str(qzj.pk)
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "2019年质量工作总结.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        ],
    )
    page.get_by_label("标题").fill("2019年市质监局质量工作总结")
    page.get_by_label("材料日期").fill("2019-04-20")
    page.get_by_label("说明").fill("报送市创质办的年度总结。")
    page.get_by_label("关联评分细则").fill("2.4.3, 1.2.1")
    page.get_by_label(open_round.name, exact=False).check()
    page.get_by_role("button", name="上传", exact=True).click()

    page.wait_for_url("**/evidence/*/")
    body = page.locator("body").inner_text()
    assert "佐证材料“2019年市质监局质量工作总结”已上传。" in body
    assert "2.4.3" in body and "1.2.1" in body and open_round.name in body
    evidence = Evidence.objects.get(title="2019年市质监局质量工作总结")
    assert evidence.unit == qzj and evidence.file.extension == "pdf"

    page.get_by_role("link", name="佐证材料", exact=True).last.click()
    page.wait_for_url(page.base_url + "/evidence/")
    row = page.locator(f'tr[data-evidence="{evidence.pk}"]')
    assert "2019-04-20" in row.inner_text()
    assert page.locator("tr[data-evidence]").count() == 3
    warned = page.get_by_test_id("evidence-warnings")
    assert warned.count() == 1 and "2017-08-20" in warned.inner_text()
    path = screenshot(page, "evidence-library")
    assert path.stat().st_size > 10_000
