"""The page /orgs/load/: upload → preview → 确认导入, the export and the example files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qualitycity.orgs import loading
from qualitycity.orgs.models import Region, Unit, UnitGroup
from tests.factories import html
from tests.orgs.test_loading import BAD, OWN, TAIZHOU, counts

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login(client, user):
    client.force_login(user)
    return client


def upload(client, name: str, content: bytes):
    return client.post(reverse("orgs:load"), {"file": SimpleUploadedFile(name, content)})


def taizhou_xlsx() -> bytes:
    import yaml

    return loading.to_xlsx(yaml.safe_load(TAIZHOU))


def test_xlsx_upload_preview_then_confirm(client, admin_user):
    login(client, admin_user)
    before = counts()
    response = upload(client, "taizhou.xlsx", taizhou_xlsx())
    assert response.status_code == 200
    page = html(response)
    assert "泰州市" in page and "江苏省" in page and "确认导入" in page
    assert 'data-region="321200"' in page and "市质监局" in page
    assert counts() == before  # the preview writes nothing
    fingerprint = response.context["plan"].fingerprint()
    response = client.post(reverse("orgs:load_confirm"), {"fingerprint": fingerprint})
    assert response.status_code == 302
    assert Region.objects.get(code="321200").units.count() == 2
    assert UnitGroup.objects.get(region__code="321200").members.count() == 2
    # the stored upload is used once
    again = client.post(reverse("orgs:load_confirm"), {"fingerprint": fingerprint})
    assert again.status_code == 400


def test_the_preview_shows_before_and_after(client, office):
    login(client, office)
    changed = (
        "units:\n  - {code: sfgw, name: 市发改委, full_name: 永州市发改委(新), kind: 政府部门, "
        'region: "431100"}\n'
    )
    page = html(upload(client, "c.yaml", changed.encode()))
    assert "永州市发展和改革委员会" in page and "永州市发改委(新)" in page and "→" in page


def test_errors_are_listed_with_a_400_and_nothing_is_written(client, admin_user):
    login(client, admin_user)
    before = counts()
    response = upload(client, "bad.yaml", BAD.encode())
    assert response.status_code == 400
    page = html(response)
    assert "单位 第 4 行" in page and "泰州的局" in page and "确认导入" not in page
    assert client.post(reverse("orgs:load_confirm"), {"fingerprint": "x"}).status_code == 400
    assert counts() == before


def test_a_file_that_is_not_yaml_or_xlsx_is_refused(client, office):
    login(client, office)
    response = upload(client, "notes.txt", b"hello")
    assert response.status_code == 400
    assert "只接受" in html(response)


def test_confirm_is_refused_when_the_directory_changed_meanwhile(client, office):
    login(client, office)
    response = upload(client, "own.yaml", OWN.encode())
    fingerprint = response.context["plan"].fingerprint()
    unit = Unit.objects.get(region__code="431100", name="市质监局")
    unit.name = "市质监局(改)"  # someone renames a member meanwhile
    unit.save()
    before = counts()
    response = client.post(reverse("orgs:load_confirm"), {"fingerprint": fingerprint})
    assert response.status_code == 409
    assert counts() == before
    assert "已有变化" in html(response)


def test_an_office_cannot_load_into_another_directory_through_the_page(client, office):
    login(client, office)
    before = counts()
    response = upload(client, "taizhou.yaml", TAIZHOU.encode())
    assert response.status_code == 400
    assert "省级" in html(response)
    assert counts() == before


@pytest.mark.parametrize("name", ["orgs:load", "orgs:export"])
def test_others_get_404(client, liaison, name):
    login(client, liaison)
    assert client.get(reverse(name)).status_code == 404
    assert client.get(reverse("orgs:load_template", args=["xlsx"])).status_code == 404
    assert client.post(reverse("orgs:load_confirm")).status_code == 404


def test_the_unit_list_links_the_loader_for_those_who_may_use_it(client, office, liaison):
    login(client, office)
    assert reverse("orgs:load") in html(client.get(reverse("orgs:units")))
    client.logout()
    login(client, liaison)
    assert reverse("orgs:load") not in html(client.get(reverse("orgs:units")))


def test_export_and_examples_download(client, office):
    from openpyxl import load_workbook

    login(client, office)
    response = client.get(reverse("orgs:load"))
    assert response.status_code == 200 and reverse("orgs:export") in html(response)
    response = client.get(reverse("orgs:export"))
    assert response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["行政区", "单位", "单位组"]
    plan = loading.plan_from_upload("e.xlsx", response.content, by=office)
    assert plan.errors == [] and plan.writes == []
    example = client.get(reverse("orgs:load_template", args=["xlsx"]))
    assert loading.plan_from_upload("x.xlsx", example.content, by=None).errors == []
    example = client.get(reverse("orgs:load_template", args=["yaml"]))
    assert loading.plan_from_upload("x.yaml", example.content, by=None).errors == []


def test_preview_queries_do_not_grow_with_the_file(client, office):
    login(client, office)

    def file_of(n: int) -> bytes:
        rows = "".join(
            f'  - {{code: n{i}, name: 市新{i}局, kind: 政府部门, region: "431100", '
            f"aliases: [新{i}]}}\n"
            for i in range(n)
        )
        members = ", ".join(f"市新{i}局" for i in range(n))
        return (
            f'units:\n{rows}groups:\n  - {{code: ng, name: 新组, region: "431100", '
            f"members: [{members}]}}\n"
        ).encode()

    def queries(n: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert upload(client, "f.yaml", file_of(n)).status_code == 200
        return len(ctx.captured_queries)

    queries(1)
    assert queries(80) == queries(3)
