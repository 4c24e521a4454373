"""The measures import page: paste a plan or upload it → a preview with every unit checked
against the directory (unknown names with suggestions, corrected there) → confirm, all or
nothing; the Yongzhou plan gives its 25 measures; only the campaign's office reaches it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.models import Measure

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "docs" / "sources" / "yongzhou-2017-implementation-plan.txt"
BUILT_IN = ROOT / "src" / "qualitycity" / "campaigns" / "data" / "yongzhou-2017-measures.yaml"


def _url(campaign, confirm=False):
    name = "campaigns:measures_import_confirm" if confirm else "campaigns:measures_import"
    return reverse(name, args=[campaign.pk])


def _confirm(client, campaign, response, **extra):
    preview = response.context["preview"]
    return client.post(_url(campaign, True), {"fingerprint": preview.fingerprint, **extra})


def test_the_yongzhou_plan_pasted_gives_its_25_measures(client, office, campaign):
    assert not campaign.measures.exists()
    client.force_login(office)
    edit = client.get(reverse("campaigns:measures_edit", args=[campaign.pk])).content.decode()
    assert 'data-testid="measures-import"' in edit
    response = client.post(_url(campaign), {"text": PLAN.read_text(encoding="utf-8")})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert len(preview.rows) == 25 and preview.problems == []
    assert not campaign.measures.exists()  # the preview writes nothing
    body = response.content.decode()
    assert body.count("data-number=") >= 25 and 'data-testid="plan-confirm"' in body
    unknown = [n.printed for n in preview.corrections]
    fixes = {}
    for k, n in enumerate(preview.corrections):  # the office picks each suggested unit
        assert n.suggestions, n.printed
        fixes |= {f"name-{k}": n.printed, f"fix-{k}": n.suggestions[0]}
    done = _confirm(client, campaign, response, **fixes)
    assert done.status_code == 302, [str(m) for m in done.wsgi_request._messages] + unknown
    expected = yaml.safe_load(BUILT_IN.read_text(encoding="utf-8"))["measures"]
    got = list(campaign.measures.order_by("number"))
    assert [(m.number, m.title, m.text) for m in got] == [
        (e["number"], e["title"], e["text"]) for e in expected
    ]
    assert AuditEvent.objects.filter(action="measure.created", actor=office).count() == 25


def test_an_unknown_unit_is_shown_with_suggestions_and_must_be_corrected(client, office, campaign):
    text = "1、加强战略规划。制定规划。(市质检局牵头,市发改委、市财政局等单位配合落实)\n"
    client.force_login(office)
    response = client.post(_url(campaign), {"text": text})
    body = response.content.decode()
    assert 'data-unknown="市质检局"' in body and "市质监局" in body  # the suggestion
    refused = _confirm(client, campaign, response)
    assert refused.status_code == 400 and "市质检局" in refused.content.decode()
    assert not campaign.measures.exists()
    wrong = _confirm(client, campaign, response, **{"name-0": "市质检局", "fix-0": "不存在的局"})
    assert wrong.status_code == 400 and not campaign.measures.exists()
    done = _confirm(client, campaign, response, **{"name-0": "市质检局", "fix-0": "市质监局"})
    assert done.status_code == 302
    m = Measure.objects.get(campaign=campaign, number=1)
    assert {(u.role, u.printed_name) for u in m.units.all()} == {
        ("lead", "市质监局"),
        ("cooperating", "市发改委"),
        ("cooperating", "市财政局"),
    }
    assert m.bracket == "(市质检局牵头,市发改委、市财政局等单位配合落实)"  # as printed


def test_a_number_already_used_refuses_the_whole_import(client, office, campaign):
    from qualitycity.campaigns import services

    services.load_measures(campaign, by=office)
    before = campaign.measures.count()
    text = "26、新措施。内容。(市创质办牵头)\n3、重复的措施。内容。(市创质办牵头)\n"
    client.force_login(office)
    response = client.post(_url(campaign), {"text": text})
    assert "已有序号为 3 的措施" in response.content.decode()
    refused = _confirm(client, campaign, response)
    assert refused.status_code == 400 and campaign.measures.count() == before


def test_a_directory_changed_since_the_preview_answers_409(client, office, campaign, city):
    from qualitycity.orgs import services as org_services

    client.force_login(office)
    response = client.post(_url(campaign), {"text": "1、措施。内容。(市创质办牵头)\n"})
    org_services.save_unit(
        None, by=office, name="市新设局", kind="政府部门", code="xsj", region=city
    )
    changed = _confirm(client, campaign, response)
    assert changed.status_code == 409 and not campaign.measures.exists()
    assert _confirm(client, campaign, changed).status_code == 302
    assert campaign.measures.count() == 1


def test_the_plan_comes_from_a_docx_or_a_gb18030_text_file(client, office, campaign):
    doc = Document()
    doc.add_paragraph("三、主要措施")
    doc.add_paragraph("(一)加强组织领导")
    doc.add_paragraph("1、加强战略规划。制定规划。(市创质办牵头,各成员单位配合落实)")
    doc.add_paragraph("四、保障措施")
    out = io.BytesIO()
    doc.save(out)
    client.force_login(office)
    response = client.post(
        _url(campaign), {"file": SimpleUploadedFile("方案.docx", out.getvalue())}
    )
    assert response.status_code == 200
    [row] = response.context["preview"].rows
    assert row.spec.title == "加强战略规划" and row.spec.section == "(一)加强组织领导"
    txt = "1、加强战略规划。内容。(市创质办牵头)\n".encode("gb18030")
    response = client.post(_url(campaign), {"file": SimpleUploadedFile("方案.txt", txt)})
    assert response.status_code == 200 and len(response.context["preview"].rows) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请粘贴方案文本或上传方案文件"),
        ({"text": "没有编号的一段话。"}, "没有找到措施"),
        ({"text": "1、措施。\x00内容。(市创质办牵头)"}, "控制字符"),
        ({"text": "1" * 200_001}, "文本过长"),
        ({"file": ("plan.pdf", b"%PDF-1.4")}, "只接受 Word(.docx)或文本(.txt)文件"),
        ({"file": ("plan.docx", b"PK\x03\x04broken")}, "无法读取"),
        ({"file": ("plan.txt", b"\xff\xfe\xfa\x00\x81")}, "编码"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_writes_nothing(
    client, office, campaign, data, message
):
    if "file" in data:
        name, content = data["file"]
        data = {"file": SimpleUploadedFile(name, content)}
    client.force_login(office)
    response = client.post(_url(campaign), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not campaign.measures.exists()
    assert "measures_import" not in client.session


def test_a_stale_or_missing_confirmation_is_refused(client, office, campaign):
    client.force_login(office)
    assert client.post(_url(campaign, True), {"fingerprint": "x"}).status_code == 400
    response = client.post(_url(campaign), {"text": "1、措施。内容。(市创质办牵头)\n"})
    assert _confirm(client, campaign, response).status_code == 302
    assert _confirm(client, campaign, response).status_code == 400  # used up
    assert campaign.measures.count() == 1


@pytest.mark.parametrize("persona", ["liaison", "assessor", "leader", "outsider"])
def test_only_the_campaigns_office_reaches_the_import(client, request, campaign, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(campaign)).status_code == 404
    text = {"text": "1、措施。内容。(市创质办牵头)\n"}
    assert client.post(_url(campaign), text).status_code == 404
    assert client.post(_url(campaign, True), {"fingerprint": "x"}).status_code == 404
    assert not campaign.measures.exists()
