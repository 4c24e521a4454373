"""The evidence library pages: list and search, upload form, detail, download — for every role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitycity.assessments import services
from qualitycity.audit.models import AuditEvent
from qualitycity.evidence.models import Evidence, EvidenceFile
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Unit
from tests.factories import named, ooxml_bytes, pdf_bytes, png_bytes, stored_files
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

LIST = reverse("assessments:evidence_list")
UPLOAD = reverse("assessments:evidence_upload")


def detail_url(evidence: Evidence) -> str:
    return reverse("assessments:evidence_detail", args=[evidence.pk])


def download_url(evidence: Evidence) -> str:
    return reverse("assessments:evidence_download", args=[evidence.pk])


def criteria(campaign, *keys: str) -> list[Criterion]:
    return list(Criterion.objects.filter(framework=campaign.framework, key__in=keys))


@pytest.fixture
def own(campaign, liaison, qzj, open_round):
    return services.upload_evidence(
        campaign,
        named("质量工作报告.pdf", pdf_bytes("own")),
        by=liaison,
        title="市质监局质量工作报告",
        unit=qzj,
        effective_date=dt.date(2019, 4, 1),
        description="2019年一季度",
        criteria=criteria(campaign, "2.4.3", "1.1.1"),
        rounds=[open_round],
    )


@pytest.fixture
def others(campaign, office, other_unit):
    return services.upload_evidence(
        campaign,
        named("照片.png", png_bytes()),
        by=office,
        title="其他单位现场照片",
        unit=other_unit,
        effective_date=dt.date(2017, 8, 1),  # before the campaign: warned
    )


# --- access for every role --------------------------------------------------------------------

READERS = ["office", "leader", "assessor", "admin_user"]


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_every_units_evidence(request, client, own, others, persona):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(LIST).content.decode()
    assert own.title in body and others.title in body
    for item in (own, others):
        assert client.get(detail_url(item)).status_code == 200
        response = client.get(download_url(item))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # consuming it closes the file


def test_a_liaison_sees_and_downloads_only_its_own_units_evidence(client, liaison, own, others):
    client.force_login(liaison)
    body = client.get(LIST).content.decode()
    assert own.title in body
    assert others.title not in body
    assert client.get(detail_url(own)).status_code == 200
    assert client.get(detail_url(others)).status_code == 404
    assert client.get(download_url(others)).status_code == 404
    response = client.get(download_url(own))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("own")


def test_an_outsider_gets_nothing(client, outsider, own, others):
    client.force_login(outsider)
    body = client.get(LIST).content.decode()
    assert own.title not in body and others.title not in body
    assert "暂无佐证材料" in body
    for item in (own, others):
        assert client.get(detail_url(item)).status_code == 404
        assert client.get(download_url(item)).status_code == 404
    assert client.get(UPLOAD).status_code == 404


def test_missing_and_forbidden_look_the_same(client, liaison, others):
    client.force_login(liaison)
    missing = client.get(reverse("assessments:evidence_detail", args=[999999]))
    forbidden = client.get(detail_url(others))
    assert missing.status_code == forbidden.status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, own):
    for url in (LIST, UPLOAD, detail_url(own), download_url(own)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# --- download ---------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_exact_bytes(client, office, own):
    client.force_login(office)
    response = client.get(download_url(own))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == pdf_bytes("own")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # the Chinese name travels RFC 5987-encoded
    assert "filename*=utf-8''%E8%B4%A8%E9%87%8F%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A.pdf" in (
        disposition
    )


def test_a_file_that_looks_like_html_is_still_an_attachment(client, office, campaign, qzj):
    # A PDF whose body carries markup: served as application/pdf, attachment, sandboxed.
    data = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    evidence = services.upload_evidence(
        campaign,
        named("page.pdf", data),
        by=office,
        title="polyglot",
        unit=qzj,
        effective_date=dt.date(2018, 1, 1),
    )
    client.force_login(office)
    response = client.get(download_url(evidence))
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_file_missing_from_storage_is_404(client, office, own, media):
    (media / own.file.storage_name).unlink()
    client.force_login(office)
    assert client.get(download_url(own)).status_code == 404


# --- list: rows, search, pagination, queries --------------------------------------------------


def test_each_row_shows_its_metadata_and_warnings(client, office, own, others):
    client.force_login(office)
    body = client.get(LIST).content.decode()
    row = re.search(rf'<tr data-evidence="{own.pk}">.*?</tr>', body, re.S).group(0)
    for text in (
        "市质监局",
        "2019-04-01",
        "t-liaison",
        "PDF",
        "2.4.3",
        "1.1.1",
        "质量工作报告.pdf",
    ):
        assert text in row
    assert "evidence-warnings" not in row
    row = re.search(rf'<tr data-evidence="{others.pk}">.*?</tr>', body, re.S).group(0)
    assert "PNG" in row
    assert "材料日期 2017-08-01 不在创建工作期间(2017-09-01 至 2019-10-31)内。" in row
    assert "共 2 份佐证材料" in body


def test_a_row_warns_when_its_date_is_after_a_linked_round(
    client, office, campaign, qzj, open_round
):
    evidence = services.upload_evidence(
        campaign,
        named("late.pdf", pdf_bytes("late")),
        by=office,
        title="迟到的材料",
        unit=qzj,
        effective_date=dt.date(2019, 6, 15),
        rounds=[open_round],
    )
    client.force_login(office)
    body = client.get(LIST).content.decode()
    assert "材料日期 2019-06-15 晚于考核轮次“2019年自评”的截止日期 2019-05-31。" in body
    detail = client.get(detail_url(evidence)).content.decode()
    assert "材料日期 2019-06-15 晚于考核轮次“2019年自评”的截止日期 2019-05-31。" in detail


def _titles(client, **params) -> set[str]:
    body = client.get(LIST, params).content.decode()
    return set(re.findall(r'<a href="/evidence/\d+/">([^<]+)</a>', body))


def test_search_by_unit_criterion_dates_and_text(client, office, own, others, other_unit, qzj):
    client.force_login(office)
    both = {own.title, others.title}
    assert _titles(client) == both
    assert _titles(client, unit=qzj.pk) == {own.title}
    assert _titles(client, unit=other_unit.pk) == {others.title}
    assert _titles(client, criterion="2.4.3") == {own.title}
    assert _titles(client, criterion="2.4") == {own.title}  # every criterion under item 2.4
    assert _titles(client, criterion="2.4.") == {own.title}
    assert _titles(client, criterion="2.4.1") == set()
    assert _titles(client, criterion="2.") == {own.title}
    assert _titles(client, date_from="2018-01-01") == {own.title}
    assert _titles(client, date_to="2018-01-01") == {others.title}
    assert _titles(client, date_from="2019-04-01", date_to="2019-04-01") == {own.title}
    assert _titles(client, q="现场") == {others.title}
    assert _titles(client, q="一季度") == {own.title}  # description
    assert _titles(client, q="照片.png") == {others.title}  # file name
    assert _titles(client, q="现场", unit=qzj.pk) == set()


def test_a_bad_filter_is_shown_and_ignored(client, office, own, others):
    client.force_login(office)
    response = client.get(LIST, {"date_from": "not-a-date", "unit": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert own.title in body and others.title in body
    assert "invalid-feedback" in body


def test_a_search_without_results_says_so(client, office, own):
    client.force_login(office)
    body = client.get(LIST, {"q": "不存在的标题"}).content.decode()
    assert "没有符合条件的佐证材料" in body


def test_a_liaison_cannot_widen_its_view_with_the_unit_filter(client, liaison, own, others):
    client.force_login(liaison)
    assert _titles(client, unit=others.unit_id) == {own.title}  # invalid choice: ignored


def _many(campaign, office, unit, rounds, count: int, start: int = 0) -> None:
    keys = criteria(campaign, "1.1.1", "2.4.3", "3.1.1")
    for i in range(start, start + count):
        services.upload_evidence(
            campaign,
            named(f"材料{i}.pdf", pdf_bytes(f"item {i}")),
            by=office,
            title=f"材料{i:03d}",
            unit=unit,
            effective_date=dt.date(2019, 1, 1) + dt.timedelta(days=i),
            criteria=keys,
            rounds=rounds,
        )


def test_the_list_runs_the_same_number_of_queries_for_3_or_30_rows(
    client, office, campaign, qzj, open_round
):
    client.force_login(office)
    _many(campaign, office, qzj, [open_round], 3)
    few = count_queries(lambda: client.get(LIST))
    _many(campaign, office, qzj, [open_round], 27, start=3)
    many = count_queries(lambda: client.get(LIST))
    assert few == many
    body = client.get(LIST).content.decode()
    assert body.count("<tr data-evidence=") == 30


@pytest.mark.parametrize("persona", ["liaison", "leader"])
def test_the_list_query_count_is_flat_for_other_roles(
    request, client, office, campaign, qzj, open_round, persona
):
    client.force_login(request.getfixturevalue(persona))
    _many(campaign, office, qzj, [open_round], 2)
    few = count_queries(lambda: client.get(LIST))
    _many(campaign, office, qzj, [open_round], 8, start=2)
    assert count_queries(lambda: client.get(LIST)) == few


def test_the_list_is_paginated_by_50_and_keeps_the_filters(client, office, campaign, qzj):
    _many(campaign, office, qzj, [], 51)
    client.force_login(office)
    first = client.get(LIST, {"unit": qzj.pk}).content.decode()
    assert first.count("<tr data-evidence=") == 50
    assert "第 1 页,共 2 页" in first
    assert f"?unit={qzj.pk}&amp;page=2" in first
    second = client.get(LIST, {"unit": qzj.pk, "page": 2}).content.decode()
    assert second.count("<tr data-evidence=") == 1
    assert "材料000" in second  # newest first: the first upload is last
    # an out-of-range page shows the last page rather than failing
    assert client.get(LIST, {"page": 99}).status_code == 200


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_page_shows_metadata_links_and_download(client, liaison, own, open_round):
    client.force_login(liaison)
    body = client.get(detail_url(own)).content.decode()
    for text in (
        own.title,
        "市质监局",
        "2019-04-01",
        "质量工作报告.pdf",
        "2019年一季度",
        own.file.sha256,
        open_round.name,
        "2.4.3",
        "1.1.1",
        download_url(own),
    ):
        assert text in body
    assert "evidence-warnings" not in body


def test_the_detail_page_warns_about_a_date_before_the_campaign(client, office, others):
    client.force_login(office)
    body = client.get(detail_url(others)).content.decode()
    assert "材料日期 2017-08-01 不在创建工作期间" in body
    assert "未关联评分细则" in body and "未关联考核轮次" in body


# --- upload page ------------------------------------------------------------------------------


def form_data(campaign, unit, **overrides):
    data = {
        "campaign": campaign.pk,
        "title": "2019年质量工作总结",
        "unit": unit.pk,
        "effective_date": "2019-04-20",
        "description": "报市创质办",
        "criteria": "2.4.3, 1.1.1",
    }
    data.update(overrides)
    return data


def test_the_liaison_form_offers_only_its_unit_preselected(client, liaison, campaign, qzj):
    client.force_login(liaison)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [qzj]
    assert form["unit"].value() == qzj.pk
    assert form["campaign"].value() == campaign.pk
    body = response.content.decode()
    assert f'<option value="{qzj.pk}" selected>' in body
    assert campaign.name in body


def test_the_office_form_offers_every_active_unit(client, office, campaign):
    client.force_login(office)
    form = client.get(UPLOAD).context["form"]
    assert form.fields["unit"].queryset.count() == Unit.objects.filter(is_active=True).count()


@pytest.mark.parametrize("persona", ["leader", "assessor", "outsider"])
def test_readers_have_no_upload_page(request, client, campaign, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(UPLOAD).status_code == 404
    assert "上传佐证材料" not in client.get(LIST).content.decode()


def test_a_liaison_uploads_through_the_form(client, liaison, campaign, qzj, open_round):
    client.force_login(liaison)
    data = form_data(campaign, qzj, rounds=[open_round.pk])
    data["file"] = SimpleUploadedFile("总结.docx", ooxml_bytes("word"))
    response = client.post(UPLOAD, data)
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(evidence)
    assert evidence.title == "2019年质量工作总结"
    assert evidence.unit == qzj
    assert evidence.uploaded_by == liaison
    assert evidence.original_name == "总结.docx"
    assert evidence.file.extension == "docx"
    assert sorted(c.key for c in evidence.criteria.all()) == ["1.1.1", "2.4.3"]
    assert list(evidence.rounds.all()) == [open_round]
    page = client.get(response["Location"]).content.decode()
    assert "佐证材料“2019年质量工作总结”已上传。" in page


def test_the_office_uploads_for_another_unit(client, office, campaign, other_unit):
    client.force_login(office)
    data = form_data(campaign, other_unit, criteria="")
    data["file"] = SimpleUploadedFile("a.pdf", pdf_bytes())
    assert client.post(UPLOAD, data).status_code == 302
    assert Evidence.objects.get().unit == other_unit


def assert_form_kept(body: str) -> None:
    assert 'value="2019年质量工作总结"' in body
    assert 'value="2019-04-20"' in body
    assert "报市创质办</textarea>" in body
    assert 'value="2.4.3, 1.1.1"' in body


def assert_nothing_stored(media, events: int) -> None:
    assert Evidence.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.pdf", b"<html><body>not a pdf</body></html>", "不接受此类文件(按内容识别为:未知)"),
        ("报告.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "按内容识别为:elf"),
        ("报告.pdf", b"", "文件是空的。"),
        (".hidden.pdf", pdf_bytes(), "文件名“.hidden.pdf”不可用"),
    ],
    ids=["html", "elf", "empty", "hidden-name"],
)
def test_a_refused_file_shows_the_reason_and_keeps_the_fields(
    client, liaison, campaign, qzj, media, name, content, message
):
    client.force_login(liaison)
    events = AuditEvent.objects.count()
    data = form_data(campaign, qzj)
    data["file"] = SimpleUploadedFile(name, content)
    response = client.post(UPLOAD, data)
    assert response.status_code == 400  # refused: a 4xx, the form again
    body = response.content.decode()
    assert message in body
    assert "文件未保存" in body
    assert_form_kept(body)
    assert_nothing_stored(media, events)


def test_an_oversized_file_is_refused_on_the_form(client, liaison, campaign, qzj, media, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(liaison)
    events = AuditEvent.objects.count()
    data = form_data(campaign, qzj)
    data["file"] = SimpleUploadedFile("big.pdf", pdf_bytes("x" * 500))
    body = client.post(UPLOAD, data).content.decode()
    assert "文件超过大小上限" in body
    assert_form_kept(body)
    assert_nothing_stored(media, events)


def test_a_liaison_cannot_pick_another_unit(client, liaison, campaign, other_unit, media):
    client.force_login(liaison)
    events = AuditEvent.objects.count()
    data = form_data(campaign, other_unit)
    data["file"] = SimpleUploadedFile("a.pdf", pdf_bytes())
    response = client.post(UPLOAD, data)
    assert response.status_code == 400  # refused: a 4xx, the form again
    assert response.context["form"].errors["unit"]
    assert_form_kept(response.content.decode())
    assert_nothing_stored(media, events)


def test_unknown_criterion_keys_are_named(client, liaison, campaign, qzj, media):
    client.force_login(liaison)
    events = AuditEvent.objects.count()
    data = form_data(campaign, qzj, criteria="2.4.3、9.9.9;7.7")
    data["file"] = SimpleUploadedFile("a.pdf", pdf_bytes())
    body = client.post(UPLOAD, data).content.decode()
    assert "评分细则编号“9.9.9、7.7”不在本创建工作的考核评分体系中。" in body
    assert_nothing_stored(media, events)


def test_missing_fields_are_refused_in_chinese(client, liaison, campaign, media):
    client.force_login(liaison)
    response = client.post(UPLOAD, {"campaign": campaign.pk})
    assert response.status_code == 400  # refused: a 4xx, the form again
    errors = response.context["form"].errors
    assert set(errors) >= {"file", "title", "effective_date"}
    assert "这个字段是必填项。" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_a_locked_round_is_not_offered(client, office, liaison, campaign, open_round):
    services.submit_round(open_round, by=office)
    client.force_login(liaison)
    form = client.get(UPLOAD).context["form"]
    assert list(form.fields["rounds"].queryset) == []
    assert "暂无进行中的考核轮次" in client.get(UPLOAD).content.decode()


def test_an_oversized_file_is_refused_while_it_streams(
    client, campaign, liaison, settings, tmp_path
):
    """The upload handler stops counting bytes at the limit; nothing reaches the evidence store."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qualitycity.evidence.models import Evidence, EvidenceFile

    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 512
    client.force_login(liaison)
    big = SimpleUploadedFile(
        "大文件.pdf", b"%PDF-1.4\n" + b"0" * 5000, content_type="application/pdf"
    )
    response = client.post(
        "/evidence/upload/",
        {
            "file": big,
            "title": "大文件",
            "unit": liaison.memberships.get().unit_id,
            "effective_date": "2018-05-01",
        },
    )
    assert response.status_code == 400  # refused: a 4xx, the form again
    assert "超过大小上限" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
