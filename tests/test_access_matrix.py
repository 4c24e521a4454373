"""The access matrix: every page and API endpoint × nine personas × its action (open a page, read
an endpoint, or write through one), asserting who is let in and who is not.

The campaign is the city's (永州市, page_walk.build_world); the task, report, notice and evidence
belong to unit A (市质监局). Personas: anonymous; admin; the city's office; the office of a county
below it (冷水滩区), which must not reach the city's campaign; liaisons of unit A and of unit B
(市住建局); an assessor assigned to the round and one assigned to none; a leader.

A page refused to a signed-in persona is the same 404 as a missing object; anonymous visitors are
sent to the login page; the API answers 401 without credentials, 404 for what the caller cannot
read, and 403 (with the reason) for a write the caller may not do on something it reads. Writes
are made inside a savepoint that is rolled back, so every cell sees the same data.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client

from qualitycity.api.main import api
from qualitycity.assessments.models import Score
from qualitycity.orgs import services as org_services
from qualitycity.orgs.choices import Role
from tests.factories import TODAY, lowest_input, named, pdf_bytes, persona
from tests.page_walk import PAGE_NAMES, build_world, pages

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "admin",
    "office",
    "county_office",
    "liaison_a",
    "liaison_b",
    "assessor",
    "unassigned_assessor",
    "leader",
)
# Cell → the outcome for each persona, in PERSONAS' order: "ok" (the page opens, or redirects
# elsewhere than the login page; the API answers 2xx), "login" (sent to sign in), or the status.
# Page paths have their ids written as N. Measured, then reviewed against the rules in
# docs/architecture.md ("Who reads and writes", "Separation of duties in rounds", "The API").
EXPECTED = {
    "page api_tokens /account/tokens/": "login ok ok ok ok ok ok ok ok",
    "page assessments:auto_score /indicators/rounds/N/auto-score/": "login ok ok 404 404 404 ok 404 ok",
    "page assessments:compare /rounds/compare/?a=N&b=N": "login ok ok 404 404 404 ok 404 ok",
    "page assessments:evidence_detail /evidence/N/": "login ok ok 404 ok 404 ok 404 ok",
    "page assessments:evidence_list /evidence/": "login ok ok ok ok ok ok ok ok",
    "page assessments:evidence_upload /evidence/upload/": "login ok ok 404 ok ok 404 404 404",
    "page assessments:finding_create /rounds/N/gaps/N/finding/": "login ok ok 404 404 404 ok 404 ok",
    "page assessments:finding_detail /findings/N/": "login ok ok 404 ok ok ok 404 ok",
    "page assessments:finding_list /findings/": "login ok ok ok ok ok ok ok ok",
    "page assessments:gaps /rounds/N/gaps/": "login ok ok 404 404 404 ok 404 ok",
    "page assessments:queue_to_decide /assessments/queues/to-decide/": "login ok ok ok ok ok ok ok ok",
    "page assessments:queue_to_score /assessments/queues/to-score/": "login ok ok ok ok ok ok ok ok",
    "page assessments:round_assessors /rounds/N/assessors/": "login ok ok 404 404 404 404 404 404",
    "page assessments:round_create /rounds/new/N/": "login ok ok 404 404 404 404 404 404",
    "page assessments:round_list /rounds/": "login ok ok ok ok ok ok ok ok",
    "page assessments:round_summary /rounds/N/": "login ok ok 404 404 404 ok 404 ok",
    "page assessments:workspace /rounds/N/score/": "login ok ok 404 404 404 ok 404 ok",
    "page campaigns:board /campaigns/N/board/": "login ok ok 404 404 404 404 404 ok",
    "page campaigns:create /campaigns/new/": "login ok ok ok 404 404 404 404 404",
    "page campaigns:detail /campaigns/N/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:edit /campaigns/N/edit/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:list /campaigns/": "login ok ok ok ok ok ok ok ok",
    "page campaigns:measure_create /campaigns/N/measures/new/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:measure_detail /campaigns/N/measures/N/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:measure_edit /campaigns/measures/N/edit/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:measure_list /campaigns/N/measures/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:measures_edit /campaigns/N/measures/edit/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:measures_import /campaigns/N/measures/import/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:meeting_create /campaigns/N/meetings/new/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:meeting_decisions /campaigns/meetings/N/decisions/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:meeting_detail /campaigns/meetings/N/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:meeting_list /campaigns/N/meetings/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:monthly /campaigns/N/monthly/N/N-N/": "login ok ok 404 ok 404 404 404 ok",
    "page campaigns:monthly_index /campaigns/N/monthly/N/": "login ok ok 404 ok 404 404 404 ok",
    "page campaigns:monthly_overview /campaigns/N/monthly/": "login ok ok 404 404 404 404 404 ok",
    "page campaigns:my_tasks /campaigns/my/": "login ok ok ok ok ok ok ok ok",
    "page campaigns:notice_create /campaigns/N/notices/new/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:notice_create /campaigns/N/notices/new/?unit=N": "login ok ok 404 404 404 404 404 404",
    "page campaigns:notice_detail /campaigns/notices/N/": "login ok ok 404 ok 404 404 404 ok",
    "page campaigns:notice_list /campaigns/N/notices/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:notification_preferences /campaigns/notifications/preferences/": "login ok ok ok ok ok ok ok ok",
    "page campaigns:notifications /campaigns/notifications/": "login ok ok ok ok ok ok ok ok",
    "page campaigns:phase_edit /campaigns/phases/N/edit/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:phases_edit /campaigns/N/phases/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:report_edit /campaigns/tasks/N/report/N-N-N/": "login 404 404 404 ok 404 404 404 404",
    "page campaigns:report_review /campaigns/reports/N/review/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:responsibilities /campaigns/N/responsibilities/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:robots /campaigns/N/robots/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:task_create /campaigns/N/tasks/new/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:task_detail /campaigns/tasks/N/": "login ok ok 404 ok 404 404 404 ok",
    "page campaigns:task_generate /campaigns/N/tasks/generate/": "login ok ok 404 404 404 404 404 404",
    "page campaigns:task_list /campaigns/N/tasks/": "login ok ok 404 ok ok ok ok ok",
    "page campaigns:timeline /campaigns/N/timeline/": "login ok ok 404 ok ok ok ok ok",
    "page frameworks:detail /frameworks/N/": "login ok ok ok ok ok ok ok ok",
    "page frameworks:import /frameworks/import/": "login ok ok ok 404 404 404 404 404",
    "page frameworks:list /frameworks/": "login ok ok ok ok ok ok ok ok",
    "page home /": "login ok ok ok ok ok ok ok ok",
    "page indicators:board /indicators/": "login ok ok ok ok ok ok ok ok",
    "page indicators:detail /indicators/N/": "login ok ok ok ok ok ok ok ok",
    "page indicators:import /indicators/import/": "login ok ok ok ok ok 404 404 404",
    "page orgs:group_edit /orgs/groups/N/edit/": "login ok ok 404 404 404 404 404 404",
    "page orgs:groups /orgs/groups/": "login ok ok ok ok ok ok ok ok",
    "page orgs:load /orgs/load/": "login ok ok ok 404 404 404 404 404",
    "page orgs:people_import /orgs/users/import/": "login ok ok ok 404 404 404 404 404",
    "page orgs:unit_edit /orgs/units/N/edit/": "login ok ok 404 404 404 404 404 404",
    "page orgs:units /orgs/units/": "login ok ok ok ok ok ok ok ok",
    "page orgs:user_create /orgs/users/new/": "login ok ok ok 404 404 404 404 404",
    "page orgs:user_detail /orgs/users/N/": "login ok ok 404 404 404 404 404 404",
    "page orgs:users /orgs/users/": "login ok ok ok 404 404 404 404 404",
    "page password_change /password/": "login ok ok ok ok ok ok ok ok",
    "page queue /queues/review/": "login ok ok ok 404 404 404 404 404",
    "page queue /queues/answer/": "login ok ok ok ok ok 404 404 404",
    "page queue /queues/rectify/": "login ok ok ok ok ok 404 404 404",
    "page queue /queues/verify/": "login ok ok ok 404 404 404 404 404",
    "page queue /queues/close/": "login ok ok ok 404 404 404 404 404",
    "page queue /queues/score/": "login 404 404 404 404 404 ok ok 404",
    "page queue /queues/decide/": "login ok ok ok 404 404 ok ok 404",
    "page reports:cockpit /cockpit/N/": "login ok ok 404 404 404 404 404 ok",
    "page reports:league /league/": "login ok ok ok 404 404 404 404 ok",
    "page system /system/": "login ok 404 404 404 404 404 404 404",
    "page system_audit /system/audit/": "login ok 404 404 404 404 404 404 404",
    "page system_deliveries /system/deliveries/": "login ok 404 404 404 404 404 404 404",
    "api me": "401 ok ok ok ok ok ok ok ok",
    "api tokens": "401 ok ok ok ok ok ok ok ok",
    "api make token": "401 ok ok ok ok ok ok ok ok",
    "api revoke the office's token": "401 404 ok 404 404 404 404 404 404",
    "api frameworks": "401 ok ok ok ok ok ok ok ok",
    "api framework": "401 ok ok ok ok ok ok ok ok",
    "api campaigns": "401 ok ok ok ok ok ok ok ok",
    "api campaign": "401 ok ok 404 ok ok ok ok ok",
    "api measures": "401 ok ok 404 ok ok ok ok ok",
    "api rounds": "401 ok ok ok ok ok ok ok ok",
    "api round": "401 ok ok 404 404 404 ok 404 ok",
    "api scores": "401 ok ok 404 404 404 ok 404 ok",
    "api save score": "401 ok ok 404 404 404 ok 404 403",
    "api evidence list": "401 ok ok ok ok ok ok ok ok",
    "api evidence": "401 ok ok 404 ok 404 ok 404 ok",
    "api upload evidence": "401 ok ok 404 ok 403 403 403 403",
    "api tasks": "401 ok ok ok ok ok ok ok ok",
    "api task": "401 ok ok 404 ok 404 404 404 ok",
    "api task progress": "401 ok ok 404 ok 404 404 404 403",
    "api reports": "401 ok ok ok ok ok ok ok ok",
    "api report": "401 ok ok 404 ok 404 404 404 ok",
    "api save report": "401 403 403 404 ok 404 404 404 403",
    "api notices": "401 ok ok ok ok ok ok ok ok",
    "api notice": "401 ok ok 404 ok 404 404 404 ok",
    "api answer notice": "401 403 403 404 ok 404 404 404 403",
    "api findings": "401 ok ok ok ok ok ok ok ok",
    "api finding": "401 ok ok 404 ok ok ok 404 ok",
    "api indicators": "401 ok ok ok ok ok ok ok ok",
    "api indicator": "401 ok ok ok ok ok ok ok ok",
    "api observations": "401 ok ok ok ok ok ok ok ok",
    "api enter observation": "401 ok ok 403 ok 403 403 403 403",
    "api notifications": "401 ok ok ok ok ok ok ok ok",
    "api read notifications": "401 ok ok ok ok ok ok ok ok",
    "api audit": "401 ok 404 404 404 404 404 404 404",
    "api league": "401 ok ok ok 404 404 404 404 ok",
}


def people(world, zhujian_liaison) -> dict[str, object]:
    return {
        "anonymous": None,
        "admin": world.people["admin_user"],
        "office": world.people["office"],
        "county_office": persona("t-county-office", Role.OFFICE, region_code="431103"),
        "liaison_a": world.people["liaison"],
        "liaison_b": zhujian_liaison,
        "assessor": world.people["assessor"],
        "unassigned_assessor": persona("t-assessor-free", Role.ASSESSOR),
        "leader": world.people["leader"],
    }


def path_ids(world, office_token) -> dict[str, int]:
    """The world's object for each path parameter of the API's schema."""
    return {
        "framework_id": world.campaign.framework_id,
        "campaign_id": world.campaign.pk,
        "round_id": world.round.pk,
        "criterion_id": world.gap.pk,
        "evidence_id": world.evidence.pk,
        "task_id": world.task.pk,
        "report_id": world.report.pk,
        "notice_id": world.notice.pk,
        "finding_id": world.finding.pk,
        "indicator_id": world.indicator.pk,
        "token_id": office_token.pk,
    }


def api_cells(world, office_token) -> list[tuple[str, str, str, object]]:
    """(name, method, path, body) of every API operation, with ids from the world."""
    c, r, t = world.campaign.pk, world.round.pk, world.task.pk
    criterion = world.gap
    score = Score.objects.filter(round=world.round, criterion=criterion).first()
    version = score.version if score else 0
    cells = [
        ("me", "get", "/me", None),
        ("tokens", "get", "/tokens", None),
        ("make token", "post", "/tokens", {"name": "矩阵"}),
        ("revoke the office's token", "delete", f"/tokens/{office_token.pk}", None),
        ("frameworks", "get", "/frameworks", None),
        ("framework", "get", f"/frameworks/{world.campaign.framework_id}", None),
        ("campaigns", "get", "/campaigns", None),
        ("campaign", "get", f"/campaigns/{c}", None),
        ("measures", "get", f"/campaigns/{c}/measures", None),
        ("rounds", "get", "/rounds", None),
        ("round", "get", f"/rounds/{r}", None),
        ("scores", "get", f"/rounds/{r}/scores", None),
        (
            "save score",
            "put",
            f"/rounds/{r}/scores/{criterion.pk}",
            {"value": lowest_input(criterion), "expected_version": version},
        ),
        ("evidence list", "get", "/evidence", None),
        ("evidence", "get", f"/evidence/{world.evidence.pk}", None),
        ("upload evidence", "upload", "/evidence", None),
        ("tasks", "get", "/tasks", None),
        ("task", "get", f"/tasks/{t}", None),
        ("task progress", "post", f"/tasks/{t}/progress", {"progress": 70}),
        ("reports", "get", "/reports", None),
        ("report", "get", f"/reports/{world.report.pk}", None),
        (
            "save report",
            "post",
            f"/tasks/{t}/reports",
            {"period_start": "2018-09-01", "text": "进展", "percent": 65},
        ),
        ("notices", "get", "/notices", None),
        ("notice", "get", f"/notices/{world.notice.pk}", None),
        ("answer notice", "post", f"/notices/{world.notice.pk}/response", {"response": "已办"}),
        ("findings", "get", "/findings", None),
        ("finding", "get", f"/findings/{world.finding.pk}", None),
        ("indicators", "get", "/indicators", None),
        ("indicator", "get", f"/indicators/{world.indicator.pk}", None),
        ("observations", "get", f"/indicators/{world.indicator.pk}/observations", None),
        (
            "enter observation",
            "post",
            f"/indicators/{world.indicator.pk}/observations",
            {"region": world.campaign.region_id, "period": "2018", "value": 1.5},
        ),
        ("notifications", "get", "/notifications", None),
        ("read notifications", "post", "/notifications/read", None),
        ("audit", "get", "/audit", None),
        ("league", "get", "/league", None),
    ]
    return cells


def _page_outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    return str(response.status_code)


def _api_outcome(response) -> str:
    code = response.status_code
    return "ok" if 200 <= code < 300 else str(code)


def _call(client: Client, method: str, path: str, body, headers: dict, world) -> object:
    url = "/api/v1" + path
    with transaction.atomic():
        if method == "get":
            response = client.get(url, **headers)
        elif method == "upload":
            response = client.post(
                url,
                {
                    "campaign": world.campaign.pk,
                    "unit": world.task.unit_id,
                    "title": "材料",
                    "effective_date": "2018-09-01",
                    "file": named("材料.pdf", pdf_bytes("matrix")),
                },
                **headers,
            )
        else:
            response = getattr(client, method)(
                url, json.dumps(body or {}), content_type="application/json", **headers
            )
        transaction.set_rollback(True)
    return response


@pytest.fixture
def world(settings, media, office, liaison, assessor, leader, admin_user, campaign, open_round):
    settings.QC_TODAY = TODAY
    return build_world(office, liaison, assessor, leader, admin_user, campaign, open_round)


def _seen(world, user, office_token) -> dict[str, str]:
    client = Client()
    headers: dict[str, str] = {}
    if user is not None:
        client.force_login(user)
        _token, raw = org_services.create_token(user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    seen: dict[str, str] = {}
    for name, addresses in sorted(pages(world).items()):
        for address in addresses:
            key = re.sub(r"\d+", "N", f"page {name} {address}")
            seen[key] = _page_outcome(client.get(address))
    api_client = Client()
    for name, method, path, body in api_cells(world, office_token):
        seen[f"api {name}"] = _api_outcome(_call(api_client, method, path, body, headers, world))
    return seen


@pytest.mark.parametrize("who", PERSONAS)
def test_the_access_matrix(who, world, zhujian_liaison):
    office_token, _raw = org_services.create_token(world.people["office"], name="office")
    user = people(world, zhujian_liaison)[who]
    seen = _seen(world, user, office_token)
    column = PERSONAS.index(who)
    expected = {cell: outcomes.split()[column] for cell, outcomes in EXPECTED.items()}
    assert seen == expected


def test_every_page_pattern_and_api_operation_is_in_the_matrix(world):
    office_token, _raw = org_services.create_token(world.people["office"], name="office")
    cells = {re.sub(r"\d+", "N", f"page {n} {a}") for n, a_s in pages(world).items() for a in a_s}
    assert {c for c in EXPECTED if c.startswith("page ")} == cells
    assert PAGE_NAMES - {"login"} <= set(pages(world))
    ids = path_ids(world, office_token)
    called = {
        ("post" if method == "upload" else method, path)
        for _name, method, path, _body in api_cells(world, office_token)
    }
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            assert (method, path.removeprefix("/api/v1").format(**ids)) in called, (method, path)
    assert {f"api {name}" for name, *_ in api_cells(world, office_token)} == {
        c for c in EXPECTED if c.startswith("api ")
    }


def test_denials_are_uniform():
    """Signed in, a page is open or the same 404; signed out, the login page; the API is 401
    signed out and 403/404 otherwise."""
    for cell, outcomes in EXPECTED.items():
        values = outcomes.split()
        assert len(values) == len(PERSONAS), cell
        anonymous, signed_in = values[0], values[1:]
        if cell.startswith("page "):
            assert anonymous == "login", cell
            assert set(signed_in) <= {"ok", "404"}, cell
        else:
            assert anonymous == "401", cell
            assert set(signed_in) <= {"ok", "403", "404"}, cell
