"""Bulk import of people from xlsx into the office's own region: the template, the preview of
every row with its problems (nothing written until the file is clean), one atomic import with
audit and the optional one-time links; hostile files refused; nothing of another region."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs import people_import, services
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, User
from tests.factories import html, persona, unit
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

HEADER = ["用户名", "姓名", "电子邮箱", "手机", "角色", "单位"]
GOOD = [
    ["zhang-zhijian", "张明", "zhangming@example.cn", "13800000001", "成员单位联络员", "市质监局"],
    ["li-office", "李华", "lihua@example.cn", "", "创质办", ""],
    ["wang-leader", "王强", "", "", "领导", ""],
]


def xlsx(rows, header=HEADER, title="用户") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content, name="people.xlsx", region=None):
    data = {"file": SimpleUploadedFile(name, content)}
    if region is not None:
        data["region"] = region.pk
    return client.post("/orgs/users/import/", data)


def _written():
    return (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def county_office(orgs):
    return persona("t-lst-office", Role.OFFICE, region_code="431103")


def test_the_template_reads_back_as_a_clean_plan(client, office, city):
    client.force_login(office)
    response = client.get("/orgs/users/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert [c.value for c in next(book["用户"].iter_rows())] == HEADER
    plan = people_import.plan_from_upload("t.xlsx", response.content, region=city, by=office)
    assert plan.clean and len(plan.rows) == 3


def test_the_office_imports_people_and_sends_the_links(client, office, city):
    client.force_login(office)
    page = client.get("/orgs/users/")
    assert 'data-testid="people-import"' in html(page)
    assert client.get("/orgs/users/import/").status_code == 200
    before = _written()
    preview = upload(client, xlsx(GOOD))
    assert preview.status_code == 200
    body = html(preview)
    assert 'data-testid="import-confirm"' in body and "zhang-zhijian" in body
    assert _written() == before  # the preview writes nothing
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', body).group(1)
    done = client.post(
        "/orgs/users/import/confirm/",
        {"fingerprint": fingerprint, "send_links": "on", "region": city.pk},
    )
    assert done.status_code == 302
    zhang = User.objects.get(username="zhang-zhijian")
    assert not zhang.has_usable_password() and zhang.phone == "13800000001"
    [m] = zhang.memberships.all()
    assert (m.role, m.unit, m.region) == (Role.LIAISON, unit("市质监局"), city)
    assert User.objects.get(username="li-office").memberships.get().role == Role.OFFICE
    assert User.objects.get(username="wang-leader").memberships.get().role == Role.LEADER
    # Two links: wang-leader has no e-mail address.
    assert sorted(m.to[0] for m in mail.outbox) == ["lihua@example.cn", "zhangming@example.cn"]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("user.created") == 3 and actions.count("membership.added") == 3
    assert actions.count("users.imported") == 1
    assert actions.count("user.password_link_sent") == 2


def test_an_alias_finds_its_unit(client, office, city):
    alias = city.aliases.filter(unit__isnull=False).select_related("unit").first()
    rows = [["a-liaison", "甲", "", "", "联络员", alias.name]]
    plan = people_import.plan_from_upload("p.xlsx", xlsx(rows), region=city, by=office)
    assert plan.clean and plan.rows[0].unit_id == alias.unit_id


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["", "张三", "", "", "领导", ""], "用户名", "缺少用户名。"),
        (["t-office", "张三", "", "", "领导", ""], "用户名", "用户名“t-office”已被使用。"),
        (["T-OFFICE", "张三", "", "", "领导", ""], "用户名", "用户名“T-OFFICE”已被使用。"),
        (["bad name!", "张三", "", "", "领导", ""], "用户名", "用户名只能包含"),
        (["zhang", "", "", "", "领导", ""], "姓名", "缺少姓名。"),
        (["zhang", "张三", "", "", "部长", ""], "角色", "未知角色“部长”"),
        (["zhang", "张三", "", "", "", ""], "角色", "缺少角色。"),
        (["zhang", "张三", "", "", "系统管理员", ""], "角色", "创质办不能授予“系统管理员”角色。"),
        (["zhang", "张三", "", "", "联络员", ""], "单位", "成员单位联络员必须填写单位。"),
        (["zhang", "张三", "x@", "", "领导", ""], "电子邮箱", "电子邮箱“x@”无效。"),
        (
            ["zhang", "张三", "", "", "联络员", "质监局"],
            "单位",
            "“质监局”不在永州市的单位名录中。是否指“市质监局”?",
        ),
        (["zhang", "张" * 101, "", "", "领导", ""], "姓名", "最多 100 个字符。"),
    ],
)
def test_every_row_problem_is_shown_and_nothing_is_written(client, office, row, column, message):
    client.force_login(office)
    before = _written()
    response = upload(client, xlsx([GOOD[2], row]))
    assert response.status_code == 400
    body = html(response)
    # The column is named before the message, unless the message names it already.
    assert (message if column in message else f"{column}:{message}") in body
    assert message in body
    assert 'data-testid="import-confirm"' not in body
    assert _written() == before


def test_a_username_twice_in_the_file_names_the_first_row(client, office, city):
    rows = [GOOD[2], ["wang-leader", "王二", "", "", "领导", ""]]
    plan = people_import.plan_from_upload("p.xlsx", xlsx(rows), region=city, by=office)
    assert not plan.clean
    assert plan.rows[1].problems == [("username", "用户名“wang-leader”与第 2 行重复。")]


def test_a_unit_of_another_directory_is_refused(office, city):
    """市质监局 is Yongzhou's; the county's directory does not hold it."""
    county = Region.objects.get(code="431103")
    rows = [["a", "甲", "", "", "联络员", "市质监局"]]
    plan = people_import.plan_from_upload("p.xlsx", xlsx(rows), region=county, by=None)
    assert "不在冷水滩区的单位名录中" in plan.rows[0].problems[0][1]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "p.xlsx", "空文件"),
        (b"username,name\n", "p.csv", "只接受 Excel(.xlsx)文件"),
        (b"PK\x03\x04 broken", "p.xlsx", "无法读取该 Excel 文件。"),
        (xlsx([], header=None), "p.xlsx", "文件中没有数据"),
        (xlsx([]), "p.xlsx", "文件中只有表头"),
        (xlsx([["a", "b"]], header=["用户名", "手机"]), "p.xlsx", "表头缺少以下列:姓名、角色"),
    ],
)
def test_unreadable_files_are_refused(client, office, content, name, message):
    client.force_login(office)
    before = _written()
    response = upload(client, content, name=name)
    assert response.status_code == 400 and message in html(response)
    assert _written() == before


def test_formulas_are_refused_never_evaluated(office, city):
    rows = [["zhang", '=HYPERLINK("http://x","张")', "", "", "领导", ""]]
    plan = people_import.plan_from_upload("p.xlsx", xlsx(rows), region=city, by=office)
    assert not plan.clean and ("", "不接受公式,请填写文本。") in plan.rows[0].problems


def test_too_many_rows_are_refused(office, city, monkeypatch):
    monkeypatch.setattr(people_import, "MAX_ROWS", 3)
    rows = [[f"u{i}", "甲", "", "", "领导", ""] for i in range(5)]
    plan = people_import.plan_from_upload("p.xlsx", xlsx(rows), region=city, by=office)
    assert not plan.clean and "一次最多导入 3 人" in plan.errors[0]


def test_an_empty_file_is_refused(office, city):
    plan = people_import.plan_from_upload("p.xlsx", b"", region=city, by=office)
    assert plan.errors == ["文件是空的。"]


def test_a_file_too_large_is_refused(office, city):
    big = b"PK\x03\x04" + b"0" * (people_import.MAX_BYTES + 1)
    plan = people_import.plan_from_upload("p.xlsx", big, region=city, by=office)
    assert plan.errors == ["文件不能超过 1 MB。"]


def _with_member(content: bytes, member: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(member, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_parsing(office, city):
    bomb = _with_member(xlsx(GOOD), "xl/media/padding.bin", b"\0" * (21 * 1024 * 1024))
    assert len(bomb) < people_import.MAX_BYTES
    plan = people_import.plan_from_upload("p.xlsx", bomb, region=city, by=office)
    assert plan.errors == ["该 Excel 文件解压后过大,已拒收。"]


def test_huge_shared_strings_are_refused(office, city, monkeypatch):
    monkeypatch.setattr(people_import, "MAX_SHARED_STRINGS", 1000)
    content = _with_member(xlsx(GOOD), "xl/sharedStrings.xml", b" " * 2000)
    plan = people_import.plan_from_upload("p.xlsx", content, region=city, by=office)
    assert plan.errors == ["该 Excel 文件的文本表过大,已拒收。"]


def test_confirming_after_the_usernames_were_taken_writes_nothing(client, office, city):
    client.force_login(office)
    body = html(upload(client, xlsx(GOOD)))
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', body).group(1)
    persona("wang-leader", Role.LEADER)
    before = _written()
    response = client.post(
        "/orgs/users/import/confirm/", {"fingerprint": fingerprint, "region": city.pk}
    )
    assert response.status_code == 409 and "已被使用" in html(response)
    assert _written() == before


def test_a_stale_or_missing_confirmation_writes_nothing(client, office, city):
    client.force_login(office)
    before = _written()
    response = client.post("/orgs/users/import/confirm/", {"fingerprint": "x", "region": city.pk})
    assert response.status_code == 400 and "确认已失效" in html(response)
    assert _written() == before


def test_another_regions_office_cannot_import_into_the_city(client, county_office, city):
    client.force_login(county_office)
    before = _written()
    assert client.get(f"/orgs/users/import/?region={city.pk}").status_code == 404
    assert upload(client, xlsx(GOOD), region=city).status_code == 404
    assert client.post("/orgs/users/import/confirm/", {"region": city.pk}).status_code == 404
    # Into its own region the same file is checked against its own directory.
    own = upload(client, xlsx(GOOD))
    assert own.status_code == 400 and "不在冷水滩区的单位名录中" in html(own)
    assert _written() == before
    plan = people_import.plan_from_upload("p.xlsx", xlsx(GOOD), region=city, by=None)
    with pytest.raises(NotAllowed):
        services.import_people(plan, by=county_office)
    assert _written() == before


@pytest.mark.parametrize("who", ["liaison", "leader", "assessor", "outsider"])
def test_only_offices_reach_the_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/orgs/users/import/").status_code == 404
    assert client.get("/orgs/users/import/template.xlsx").status_code == 404
    assert upload(client, xlsx(GOOD)).status_code == 404


def test_the_service_refuses_a_plan_with_problems(office, city):
    plan = people_import.plan_from_upload(
        "p.xlsx", xlsx([["", "甲", "", "", "领导", ""]]), region=city, by=office
    )
    before = _written()
    with pytest.raises(ValidationFailed):
        services.import_people(plan, by=office)
    assert _written() == before


def test_the_import_is_all_or_nothing(office, city, monkeypatch):
    plan = people_import.plan_from_upload("p.xlsx", xlsx(GOOD), region=city, by=office)
    real = services.create_member
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["username"])
        if len(calls) == 3:
            raise ValidationFailed("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_member", failing)
    before = _written()
    with pytest.raises(ValidationFailed):
        services.import_people(plan, by=office)
    assert _written() == before


def test_planning_runs_a_fixed_number_of_queries(office, city):
    small = xlsx(GOOD[:1])
    large = xlsx([[f"u{i}", "甲", f"u{i}@example.cn", "", "联络员", "市质监局"] for i in range(60)])
    office_scope = office  # the scope is cached on the user after the first call
    people_import.plan_from_upload("p.xlsx", small, region=city, by=office_scope)
    few = count_queries(
        lambda: people_import.plan_from_upload("p.xlsx", small, region=city, by=office_scope)
    )
    many = count_queries(
        lambda: people_import.plan_from_upload("p.xlsx", large, region=city, by=office_scope)
    )
    assert many == few


def test_an_oversized_region_id_is_no_such_region_not_a_500(client, office):
    client.force_login(office)
    huge = "9" * 23
    assert client.get(f"/orgs/users/import/?region={huge}").status_code == 404
    assert client.post("/orgs/users/import/confirm/", {"region": huge}).status_code == 404


def test_a_mail_failure_keeps_the_accounts_and_counts_what_was_sent(office, city, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def flaky(self, messages):
        if messages[0].to == ["lihua@example.cn"]:
            raise smtplib.SMTPException("refused")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    plan = people_import.plan_from_upload("p.xlsx", xlsx(GOOD), region=city, by=office)
    created, sent = services.import_people(plan, by=office, send_links=True, base_url="http://x/")
    assert len(created) == 3 and sent == 1
    assert [m.to for m in mail.outbox] == [["zhangming@example.cn"]]


def test_a_zip_that_lies_about_its_sizes_is_refused(office, city):
    from tests.test_archives import lying

    content = lying(b"0" * (25 * 1024 * 1024), claimed=10)
    plan = people_import.plan_from_upload("p.xlsx", content, region=city, by=office)
    assert plan.errors == ["无法读取该 Excel 文件。"]  # read through: the checksum fails
