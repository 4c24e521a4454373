"""Evidence (佐证材料) uploads: accepted types by content, every refusal, deduplication, warnings.

Every sample file is built here from bytes; nothing comes from the network or the repository.
MEDIA_ROOT points at a temporary folder for every test, so nothing reaches var/media.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage

from qualitycity.assessments import services
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.services import create_campaign
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.evidence import files as evidence_files
from qualitycity.evidence.access import access_evidence, may_upload_for, visible_evidence
from qualitycity.evidence.models import Evidence, EvidenceFile
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import Region
from tests.factories import (
    doc_bytes,
    jpeg_bytes,
    named,
    ole_bytes,
    ooxml_bytes,
    pdf_bytes,
    png_bytes,
    ppt_bytes,
    stored_files,
    xls_bytes,
    zip_bomb_bytes,
    zip_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

# --- fixtures ---------------------------------------------------------------------------------


def upload(campaign, by, unit, data=None, name="报告.pdf", **kwargs):
    kwargs.setdefault("title", "质量工作报告")
    kwargs.setdefault("effective_date", dt.date(2018, 6, 1))
    return services.upload_evidence(
        campaign, named(name, pdf_bytes() if data is None else data), by=by, unit=unit, **kwargs
    )


# --- accepted types ---------------------------------------------------------------------------

ACCEPTED = [
    ("报告.pdf", pdf_bytes, "pdf"),
    ("现场照片.png", png_bytes, "png"),
    ("现场照片.jpg", jpeg_bytes, "jpg"),
    ("实施意见.docx", lambda: ooxml_bytes("word"), "docx"),
    ("统计表.xlsx", lambda: ooxml_bytes("xl"), "xlsx"),
    ("汇报.pptx", lambda: ooxml_bytes("ppt"), "pptx"),
    ("材料汇编.zip", zip_bytes, "zip"),
    ("旧文件.doc", doc_bytes, "doc"),
    ("旧表格.xls", xls_bytes, "xls"),
    ("旧幻灯片.ppt", ppt_bytes, "ppt"),
]


@pytest.mark.parametrize(("name", "make", "extension"), ACCEPTED, ids=[a[2] for a in ACCEPTED])
def test_it_accepts_each_allowed_type_by_content(
    campaign, liaison, qzj, media, name, make, extension
):
    data = make()
    evidence = upload(campaign, liaison, qzj, data, name=name)

    stored = evidence.file
    assert stored.extension == extension
    assert stored.mime == evidence_files.ALLOWED_TYPES[extension]
    assert stored.size == len(data)
    assert evidence.original_name == name
    assert stored_files(media) == [media / stored.storage_name]
    with default_storage.open(stored.storage_name, "rb") as fh:
        assert fh.read() == data
    event = AuditEvent.objects.get(action="evidence.uploaded")
    assert event.object_id == str(evidence.pk)
    assert event.after["sha256"] == stored.sha256


def test_a_name_that_claims_another_type_is_refused(campaign, liaison, qzj):
    # The type comes from the content; a PNG named .pdf (or a PDF named .html) is refused so that
    # a downloaded file never opens as something other than what it is.
    with pytest.raises(ValidationFailed) as exc:
        upload(campaign, liaison, qzj, png_bytes(), name="扫描件.pdf")
    assert "与文件内容(png)不符" in exc.value.messages[0]
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_name_without_extension_gets_the_content_type(campaign, liaison, qzj):
    evidence = upload(campaign, liaison, qzj, png_bytes(), name="扫描件")
    assert evidence.original_name == "扫描件.png"
    assert evidence.file.mime == "image/png"
    jpeg = upload(campaign, liaison, qzj, png_bytes(), name="照片.PNG", title="照片")
    assert jpeg.original_name == "照片.PNG"


def test_office_uploads_for_any_unit_with_criteria_and_rounds(
    campaign, office, other_unit, open_round
):
    criteria = list(Criterion.objects.filter(framework=campaign.framework, key__in=["2.4.3"]))
    evidence = upload(
        campaign, office, other_unit, criteria=criteria, rounds=[open_round], description=" 说明 "
    )
    assert evidence.unit == other_unit
    assert [c.key for c in evidence.criteria.all()] == ["2.4.3"]
    assert list(evidence.rounds.all()) == [open_round]
    assert evidence.description == "说明"


# --- refusals: nothing stored -----------------------------------------------------------------


def assert_refused(media, call, error=ValidationFailed, match: str = ""):
    """Run `call`, expect `error`, and check that no row, no audit event and no file was left."""
    events = AuditEvent.objects.count()
    with pytest.raises(error) as info:
        call()
    assert match in " ".join(info.value.messages)
    assert Evidence.objects.count() == 0
    assert EvidenceFile.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert stored_files(media) == []
    return info


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
EXE = b"MZ\x90\x00" + b"\x00" * 200
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

REFUSED_CONTENT = [
    ("elf", "报告.pdf", ELF, "按内容识别为:elf"),
    ("exe", "报告.pdf", EXE, "按内容识别为:exe"),
    ("html", "报告.pdf", HTML, "按内容识别为:未知"),
    ("text", "说明.pdf", "纯文本冒充PDF".encode(), "按内容识别为:未知"),
    ("bare-ole", "旧文件.doc", ole_bytes(), "按内容识别为:未知"),
    ("empty", "报告.pdf", b"", "文件是空的"),
    ("broken-zip", "材料.zip", b"PK\x03\x04" + b"\x00" * 64, "压缩文件已损坏"),
]


@pytest.mark.parametrize(
    ("name", "data", "match"), [r[1:] for r in REFUSED_CONTENT], ids=[r[0] for r in REFUSED_CONTENT]
)
def test_it_refuses_files_by_content(campaign, liaison, qzj, media, name, data, match):
    assert_refused(media, lambda: upload(campaign, liaison, qzj, data, name=name), match=match)


BAD_NAMES = ["../x.pdf", "a/b.pdf", "a\\b.pdf", ".hidden.pdf", "x\x00.pdf", "x\n.pdf", "", " "]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_it_refuses_names_with_paths_dots_or_control_characters(
    campaign, liaison, qzj, media, name
):
    assert_refused(
        media, lambda: upload(campaign, liaison, qzj, name=name), match="文件名不能包含路径"
    )


def test_a_long_name_is_refused(campaign, liaison, qzj, media):
    assert_refused(media, lambda: upload(campaign, liaison, qzj, name="长" * 252 + ".pdf"))


def test_plain_chinese_names_are_kept(campaign, liaison, qzj):
    name = "2019年 质量工作报告(终稿)-v2.pdf"
    assert evidence_files.check_name(name) == name
    decomposed = "e\u0301.pdf"  # NFD; stored as NFC
    assert evidence_files.check_name(decomposed) == "\u00e9.pdf"


def test_it_refuses_a_file_over_the_size_limit(campaign, liaison, qzj, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    data = pdf_bytes("x" * 2000)
    assert_refused(media, lambda: upload(campaign, liaison, qzj, data), match="文件超过大小上限")
    # exactly at the limit is fine
    settings.EVIDENCE_MAX_BYTES = len(data)
    assert upload(campaign, liaison, qzj, data).file.size == len(data)


def test_it_refuses_a_zip_bomb(campaign, liaison, qzj, media, settings):
    bomb = zip_bomb_bytes(10)
    assert len(bomb) * settings.EVIDENCE_MAX_ZIP_RATIO < 10 * 1024 * 1024
    assert_refused(
        media, lambda: upload(campaign, liaison, qzj, bomb, name="材料.zip"), match="压缩炸弹"
    )


def test_it_refuses_an_office_file_that_expands_too_far(campaign, liaison, qzj, media):
    docx = ooxml_bytes("word", {"word/media/image1.bin": b"\x00" * (5 * 1024 * 1024)})
    assert_refused(
        media, lambda: upload(campaign, liaison, qzj, docx, name="x.docx"), match="压缩炸弹"
    )


def test_it_refuses_a_bomb_hidden_in_a_stored_inner_zip(campaign, liaison, qzj, media):
    """The outer zip stores the inner one uncompressed, so the sizes it declares look harmless;
    what the inner zip inflates to counts all the same."""
    import io
    import zipfile

    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("材料.zip", zip_bomb_bytes(10))
    data = outer.getvalue()
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert declared < len(data) * 2  # the old check saw a ratio of about 1
    assert_refused(
        media, lambda: upload(campaign, liaison, qzj, data, name="x.zip"), match="压缩炸弹"
    )


def test_a_docx_inside_a_zip_is_fine(campaign, liaison, qzj, media):
    import io
    import zipfile

    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as z:
        z.writestr("说明.docx", ooxml_bytes("word"))
    assert upload(campaign, liaison, qzj, outer.getvalue(), name="材料.zip").file.size


def test_it_refuses_a_zip_over_the_absolute_expanded_size(campaign, liaison, qzj, media, settings):
    settings.EVIDENCE_MAX_ZIP_BYTES = 1000
    data = zip_bytes({"a.txt": "佐证" * 1000})
    assert_refused(
        media, lambda: upload(campaign, liaison, qzj, data, name="x.zip"), match="压缩炸弹"
    )


def test_a_liaison_cannot_upload_for_another_unit(campaign, liaison, other_unit, media):
    assert_refused(
        media,
        lambda: upload(campaign, liaison, other_unit),
        error=NotAllowed,
        match="您只能为本单位上传佐证材料",
    )


@pytest.mark.parametrize("persona", ["assessor", "leader", "outsider"])
def test_readers_cannot_upload(request, campaign, qzj, media, persona):
    user = request.getfixturevalue(persona)
    assert_refused(media, lambda: upload(campaign, user, qzj), error=NotAllowed)


def test_it_refuses_an_empty_title(campaign, liaison, qzj, media):
    assert_refused(media, lambda: upload(campaign, liaison, qzj, title="  "), match="标题不能为空")


def test_it_refuses_a_locked_round(campaign, office, liaison, qzj, open_round, media):
    services.submit_round(open_round, by=office)
    services.lock_round(open_round, by=office)
    assert_refused(
        media,
        lambda: upload(campaign, liaison, qzj, rounds=[open_round]),
        match="考核轮次已锁定",
    )


def test_it_refuses_a_round_of_another_campaign(campaign, office, liaison, qzj, yongzhou, media):
    other = create_campaign(
        by=office,
        name="另一项创建工作",
        region=campaign.region,
        framework=yongzhou,
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
    )
    rnd = services.create_round(
        other,
        by=office,
        kind="self",
        name="2020年自评",
        start=dt.date(2020, 3, 1),
        end=dt.date(2020, 5, 31),
    )
    assert_refused(
        media,
        lambda: upload(campaign, liaison, qzj, rounds=[rnd]),
        match="关联的考核轮次不属于本创建工作",
    )


# --- deduplication ----------------------------------------------------------------------------


def test_the_same_bytes_are_stored_once(campaign, liaison, office, qzj, other_unit, media):
    data = ooxml_bytes("xl")
    first = upload(campaign, liaison, qzj, data, name="统计表.xlsx", title="2018年统计表")
    second = upload(campaign, liaison, qzj, data, name="统计表(副本).xlsx", title="同一张表")
    third = upload(campaign, office, other_unit, data, name="附件3.xlsx", title="另一单位引用")

    assert Evidence.objects.count() == 3
    assert EvidenceFile.objects.count() == 1
    assert first.file_id == second.file_id == third.file_id
    assert [e.original_name for e in Evidence.objects.order_by("pk")] == [
        "统计表.xlsx",
        "统计表(副本).xlsx",
        "附件3.xlsx",
    ]
    assert stored_files(media) == [media / first.file.storage_name]
    assert AuditEvent.objects.filter(action="evidence.uploaded").count() == 3


def test_different_bytes_are_stored_apart(campaign, liaison, qzj, media):
    a = upload(campaign, liaison, qzj, pdf_bytes("a"))
    b = upload(campaign, liaison, qzj, pdf_bytes("b"))
    assert a.file_id != b.file_id
    assert len(stored_files(media)) == 2


def test_a_refused_upload_does_not_disturb_a_stored_file(campaign, liaison, qzj, media, settings):
    data = pdf_bytes("x" * 3000)
    kept = upload(campaign, liaison, qzj, data)
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed):
        upload(campaign, liaison, qzj, data)
    assert stored_files(media) == [media / kept.file.storage_name]
    assert Evidence.objects.count() == 1


# --- who sees what ----------------------------------------------------------------------------


@pytest.fixture
def two_units_evidence(campaign, office, liaison, qzj, other_unit):
    own = upload(campaign, liaison, qzj, pdf_bytes("own"), title="本单位材料")
    other = upload(campaign, office, other_unit, pdf_bytes("other"), title="其他单位材料")
    return own, other


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_readers_of_the_campaign_see_all_evidence(request, two_units_evidence, persona):
    user = request.getfixturevalue(persona)
    assert set(visible_evidence(user)) == set(two_units_evidence)
    for item in two_units_evidence:
        assert access_evidence(user, item.pk) == item


def test_an_assessor_reads_the_evidence_of_the_campaigns_it_assesses_only(
    two_units_evidence, assessor, campaign, office
):
    from django.http import Http404

    from qualitycity.assessments import services as assess
    from qualitycity.assessments.access import access_readable_evidence, readable_evidence

    assert list(readable_evidence(assessor)) == []
    with pytest.raises(Http404):
        access_readable_evidence(assessor, two_units_evidence[0].pk)
    assess.create_round(
        campaign,
        by=office,
        kind="self",
        name="2019年自评",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
        assessors=[assessor],
    )
    assert set(readable_evidence(assessor)) == set(two_units_evidence)
    assert access_readable_evidence(assessor, two_units_evidence[1].pk) == two_units_evidence[1]


def test_a_liaison_sees_only_its_units_evidence(liaison, two_units_evidence):
    from django.http import Http404

    own, other = two_units_evidence
    assert list(visible_evidence(liaison)) == [own]
    assert access_evidence(liaison, own.pk) == own
    with pytest.raises(Http404):
        access_evidence(liaison, other.pk)


def test_an_outsider_sees_nothing(outsider, two_units_evidence):
    from django.http import Http404

    assert list(visible_evidence(outsider)) == []
    with pytest.raises(Http404):
        access_evidence(outsider, two_units_evidence[0].pk)


def test_may_upload_for_each_role(request, campaign, qzj, other_unit, office, liaison):
    assert may_upload_for(office, campaign, other_unit)
    assert may_upload_for(liaison, campaign, qzj)
    assert not may_upload_for(liaison, campaign, other_unit)
    for persona in ("assessor", "leader", "outsider"):
        assert not may_upload_for(request.getfixturevalue(persona), campaign, qzj)


def test_a_liaison_cannot_upload_into_a_campaign_it_cannot_see(
    office, liaison, qzj, yongzhou, media
):
    county = Region.objects.exclude(code="431100").order_by("position", "code").first()
    hidden = create_campaign(
        by=None,
        name="县级创建工作",
        region=county,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
    )
    assert not visible_evidence(liaison).filter(campaign=hidden).exists()
    assert_refused(media, lambda: upload(hidden, liaison, qzj), error=NotAllowed)


# --- effective-date warnings ------------------------------------------------------------------


def test_no_warning_inside_the_campaign_and_round(campaign, liaison, qzj, open_round):
    evidence = upload(campaign, liaison, qzj, effective_date=dt.date(2019, 4, 1))
    assert services.evidence_warnings(evidence, campaign=campaign, rounds=[open_round]) == []


def test_a_date_before_the_campaign_is_warned(campaign, liaison, qzj):
    evidence = upload(campaign, liaison, qzj, effective_date=dt.date(2017, 8, 31))
    warnings = services.evidence_warnings(evidence, campaign=campaign)
    assert warnings == ["材料日期 2017-08-31 不在创建工作期间(2017-09-01 至 2019-10-31)内。"]


def test_a_date_after_a_round_is_warned(campaign, liaison, qzj, open_round):
    evidence = upload(
        campaign, liaison, qzj, effective_date=dt.date(2019, 6, 1), rounds=[open_round]
    )
    warnings = services.evidence_warnings(evidence, campaign=campaign, rounds=evidence.rounds.all())
    assert warnings == ["材料日期 2019-06-01 晚于考核轮次“2019年自评”的截止日期 2019-05-31。"]


def test_a_date_after_the_campaign_and_the_round_gives_both_warnings(
    campaign, liaison, qzj, open_round
):
    evidence = upload(campaign, liaison, qzj, effective_date=dt.date(2020, 1, 1))
    warnings = services.evidence_warnings(evidence, campaign=campaign, rounds=[open_round])
    assert len(warnings) == 2


def test_the_upload_event_names_the_linked_rounds(campaign, office, other_unit, open_round):
    evidence = upload(campaign, office, other_unit, rounds=[open_round])
    event = AuditEvent.objects.get(action="evidence.uploaded", object_id=str(evidence.pk))
    assert event.object_type == "evidence.evidence"
    assert event.after["rounds"] == [open_round.pk]
    evidence_events = AuditEvent.objects.filter(object_type="evidence.evidence")
    assert list(evidence_events.values_list("action", flat=True)) == ["evidence.uploaded"]


def test_audit_events_from_before_the_evidence_app_are_relabelled(orgs):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("qualitycity.evidence.migrations.0002_audit_object_types")
    old = AuditEvent.objects.create(
        action="evidence.uploaded", object_type="assessments.evidence", object_id="1"
    )
    other = AuditEvent.objects.create(action="round.open", object_type="assessments.round")
    migration.forwards(apps, None)
    old.refresh_from_db(), other.refresh_from_db()
    assert (old.object_type, other.object_type) == ("evidence.evidence", "assessments.round")
    migration.backwards(apps, None)
    old.refresh_from_db()
    assert old.object_type == "assessments.evidence"
