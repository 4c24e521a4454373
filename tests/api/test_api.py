"""The REST API under /api/v1: authentication (session with CSRF, personal tokens), one error
shape, paging and filters, scoping by the same access helpers as the pages, and writes through
the same services (audited, nothing written on a refusal)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from qualitycity.assessments.models import Score
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.models import ProgressReport, Task
from qualitycity.evidence.models import Evidence
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs import services as org_services
from qualitycity.orgs.models import ApiToken
from tests.factories import criteria_of, lowest_input, make_task, named, pdf_bytes

pytestmark = pytest.mark.django_db

API = "/api/v1"


def bearer(user, name: str = "test") -> dict[str, str]:
    _token, raw = org_services.create_token(user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(user, path: str, **params):
    return Client().get(API + path, params, **bearer(user))


def send(user, method: str, path: str, body=None):
    client = Client()
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json", **bearer(user)
    )


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


# --- authentication ---------------------------------------------------------------------------


def test_it_refuses_anonymous_calls_with_a_chinese_401(campaign):
    response = Client().get(API + "/campaigns")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert "登录" in error["message"]


def test_a_token_acts_as_its_owner_and_is_stored_only_as_a_digest(office, campaign):
    token, raw = org_services.create_token(office, name="报表工具", days=30)
    assert raw.startswith("qc_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.digest, stored.prefix) and raw.startswith(stored.prefix)
    response = Client().get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == office.username
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    event = AuditEvent.objects.get(action="token.created")
    assert raw not in json.dumps(event.after) and "digest" not in event.after


def test_expired_revoked_and_unknown_tokens_are_refused(office, campaign):
    token, raw = org_services.create_token(office, name="短期")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert Client().get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    token, raw = org_services.create_token(office, name="撤销")
    org_services.revoke_token(token, by=office)
    assert Client().get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert Client().get(API + "/me", HTTP_AUTHORIZATION="Bearer qc_nope").status_code == 401
    office.is_active = False
    office.save()
    _token, raw = org_services.create_token(office, name="停用")
    assert Client().get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_owners_create_list_and_revoke_their_tokens_through_the_api(office, liaison, campaign):
    created = send(office, "post", "/tokens", {"name": "对接 OA", "days": 7})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["token"].startswith("qc_") and body["name"] == "对接 OA"
    listed = get(office, "/tokens").json()
    assert body["id"] in [t["id"] for t in listed] and all("token" not in t for t in listed)
    # another person's token is the same 404 as a missing one
    other = send(liaison, "delete", f"/tokens/{body['id']}")
    assert other.status_code == 404 and error_of(other)["code"] == "not_found"
    revoked = send(office, "delete", f"/tokens/{body['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = send(office, "delete", f"/tokens/{body['id']}")
    assert again.status_code == 422 and "已撤销" in error_of(again)["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "days": 7}, "name: 不能为空"),
        ({"name": "   ", "days": 7}, "name: 不能为空"),
        ({"name": "x" * 101, "days": 7}, "name"),
        ({"name": "a\x00b", "days": 7}, "name"),
        ({"name": "ok", "days": 0}, "days: 不能小于 1"),
        ({"name": "ok", "days": 10_000}, "days: 不能大于 365"),
        ({"name": "ok", "days": "7"}, "days: 必须是整数"),
        ({"name": "ok", "days": True}, "days: 必须是整数"),
    ],
)
def test_bad_token_requests_are_refused_and_write_nothing(office, campaign, body, field):
    before = ApiToken.objects.count()
    response = send(office, "post", "/tokens", body)
    assert response.status_code == 422, response.content
    assert field in error_of(response)["message"]
    assert ApiToken.objects.count() == before + 1  # only the token `send` authenticates with


def test_a_session_works_and_writes_need_the_csrf_token(office, campaign):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    assert client.get(API + "/me").status_code == 200
    refused = client.post(
        API + "/tokens", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert refused.status_code == 403 and error_of(refused)["code"] == "csrf_failed"
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    made = client.post(
        API + "/tokens",
        json.dumps({"name": "x"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert made.status_code == 201


# --- reading, paging, filtering, scoping --------------------------------------------------------


def test_lists_are_paged_with_a_count(office, campaign):
    for i in range(3):
        make_task(campaign, office, title=f"任务{i}")
    page = get(office, "/tasks", limit=2, offset=0).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    rest = get(office, "/tasks", limit=2, offset=2).json()
    assert len(rest["items"]) == 1
    assert get(office, "/tasks", limit=201).status_code == 422
    assert get(office, "/tasks", offset=-1).status_code == 422


def test_a_liaison_reads_only_its_own_units_tasks_and_others_are_404(office, liaison, campaign):
    own = make_task(campaign, office, unit_name="市质监局", title="本单位任务")
    other = make_task(campaign, office, unit_name="市住建局", title="他单位任务")
    listed = get(liaison, "/tasks").json()
    assert [t["id"] for t in listed["items"]] == [own.pk]
    assert get(liaison, f"/tasks/{own.pk}").status_code == 200
    forbidden = get(liaison, f"/tasks/{other.pk}")
    missing = get(liaison, "/tasks/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()


def test_filters_narrow_the_list(office, campaign):
    make_task(campaign, office, unit_name="市质监局")
    zhujian = make_task(campaign, office, unit_name="市住建局")
    page = get(office, "/tasks", unit=zhujian.unit_id).json()
    assert [t["id"] for t in page["items"]] == [zhujian.pk]
    assert get(office, "/tasks", status="bogus").status_code == 422


@pytest.mark.parametrize("bad", ["99999999999999999999999", "-1", "0", "abc"])
def test_huge_or_malformed_ids_are_422_or_404_never_500(office, campaign, bad):
    for path in (f"/tasks/{bad}", f"/rounds/{bad}", f"/evidence/{bad}"):
        response = get(office, path)
        assert response.status_code in (404, 422), (path, response.status_code)
    response = get(office, "/tasks", campaign=bad)
    assert response.status_code == 422


def test_frameworks_come_with_their_rows_and_units_as_printed(office, yongzhou):
    listed = get(office, "/frameworks").json()
    assert yongzhou.pk in [f["id"] for f in listed["items"]]
    detail = get(office, f"/frameworks/{yongzhou.pk}").json()
    rows = [c for d in detail["dimensions"] for i in d["items"] for c in i["criteria"]]
    assert len(rows) == Criterion.objects.filter(framework=yongzhou).count() == 125
    assert any(r["lead_units"] for r in rows)


def test_campaigns_rounds_and_scores_are_read(office, open_round, assessor):
    campaign = open_round.campaign
    assert get(office, f"/campaigns/{campaign.pk}").json()["phases"]
    rounds = get(assessor, "/rounds", campaign=campaign.pk).json()
    assert [r["id"] for r in rounds["items"]] == [open_round.pk]
    detail = get(assessor, f"/rounds/{open_round.pk}").json()
    assert detail["totals"]["full"] > 0 and detail["totals"]["earned"] == 0
    scores = get(assessor, f"/rounds/{open_round.pk}/scores").json()
    assert len(scores) == 125 and all(s["version"] == 0 for s in scores)


# --- writes -------------------------------------------------------------------------------------


def test_an_assessor_saves_a_score_and_a_stale_version_is_409(open_round, assessor):
    criterion = criteria_of(open_round)[0]
    path = f"/rounds/{open_round.pk}/scores/{criterion.pk}"
    value = lowest_input(criterion)
    saved = send(
        assessor, "put", path, {"value": value, "expected_version": 0, "comment": "依据材料"}
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1 and saved.json()["comment"] == "依据材料"
    stale = send(assessor, "put", path, {"value": value, "expected_version": 0})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    assert Score.objects.get(round=open_round, criterion=criterion).version == 1
    assert AuditEvent.objects.filter(action="score.saved", source="api").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"value": "1E+999999999", "expected_version": 0},
        {"value": "不存在的档次", "expected_version": 0},
        {"value": 1, "expected_version": 0, "comment": "x" * 2001},
        {"value": 1, "expected_version": 0, "comment": "a\x00"},
        {"value": 1, "expected_version": 0, "override_points": 999, "override_reason": "r"},
        {"value": 1, "expected_version": 0, "override_points": 1},
        {"value": {"nested": 1}, "expected_version": 0},
        {"expected_version": 0},
        {"value": 1, "expected_version": -1},
    ],
)
def test_bad_scores_are_refused_in_chinese_and_nothing_is_written(open_round, assessor, body):
    criterion = criteria_of(open_round)[0]
    response = send(assessor, "put", f"/rounds/{open_round.pk}/scores/{criterion.pk}", body)
    assert response.status_code == 422, response.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error_of(response)["message"])
    assert not Score.objects.filter(round=open_round, criterion=criterion).exists()


def test_json_that_does_not_parse_is_400(open_round, assessor):
    criterion = criteria_of(open_round)[0]
    response = Client().put(
        f"{API}/rounds/{open_round.pk}/scores/{criterion.pk}",
        "{not json",
        content_type="application/json",
        **bearer(assessor),
    )
    assert response.status_code == 400 and error_of(response)["code"] == "bad_request"


def test_a_leader_may_read_but_not_score_and_gets_a_clear_403(open_round, leader, liaison):
    criterion = criteria_of(open_round)[0]
    # A liaison does not read rounds at all (assessments.access): the same 404 as a missing one.
    hidden = send(
        liaison,
        "put",
        f"/rounds/{open_round.pk}/scores/{criterion.pk}",
        {"value": lowest_input(criterion), "expected_version": 0},
    )
    assert hidden.status_code == 404
    response = send(
        leader,
        "put",
        f"/rounds/{open_round.pk}/scores/{criterion.pk}",
        {"value": lowest_input(criterion), "expected_version": 0},
    )
    assert response.status_code == 403 and error_of(response)["code"] == "not_allowed"
    assert not Score.objects.filter(round=open_round).exists()


def test_a_liaison_uploads_evidence_for_its_unit_only(media, campaign, liaison, zhijian, zhujian):
    client = Client()
    fields = {
        "campaign": campaign.pk,
        "unit": zhijian.pk,
        "title": "联席会议纪要",
        "effective_date": "2018-03-01",
    }
    made = client.post(
        API + "/evidence",
        {**fields, "file": named("纪要.pdf", pdf_bytes())},
        **bearer(liaison),
    )
    assert made.status_code == 201, made.content
    assert made.json()["mime"] == "application/pdf" and made.json()["unit_id"] == zhijian.pk
    other = client.post(
        API + "/evidence",
        {**fields, "unit": zhujian.pk, "file": named("纪要.pdf", pdf_bytes("x"))},
        **bearer(liaison),
    )
    assert other.status_code == 403
    assert Evidence.objects.count() == 1
    fake = client.post(
        API + "/evidence",
        {**fields, "file": named("纪要.pdf", b"MZ not a pdf")},
        **bearer(liaison),
    )
    assert fake.status_code == 422 and Evidence.objects.count() == 1


def test_progress_reports_and_task_progress_go_through_the_services(campaign, office, liaison):
    task = make_task(campaign, office)
    progress = send(liaison, "post", f"/tasks/{task.pk}/progress", {"progress": 40})
    assert progress.status_code == 200 and progress.json()["progress"] == 40
    report = send(
        liaison,
        "post",
        f"/tasks/{task.pk}/reports",
        {"period_start": str(task.start), "text": "已召开会议", "percent": 50, "submit": True},
    )
    assert report.status_code == 200, report.content
    assert report.json()["status"] == "submitted"
    assert ProgressReport.objects.filter(task=task).count() == 1
    refused = send(
        office, "post", f"/tasks/{task.pk}/reports", {"period_start": str(task.start), "percent": 1}
    )
    assert refused.status_code == 403
    assert Task.objects.get(pk=task.pk).progress == 50


def test_notifications_are_a_persons_own(campaign, office, liaison):
    make_task(campaign, office)  # tells the unit's liaison
    mine = get(liaison, "/notifications").json()
    assert mine["count"] >= 1
    assert get(office, "/notifications", unread=True).json()["count"] == 0
    marked = send(liaison, "post", "/notifications/read")
    assert marked.json()["marked"] == mine["count"]
    assert get(liaison, "/notifications", unread=True).json()["count"] == 0


def test_the_audit_trail_is_for_administrators_only(campaign, office, admin_user):
    assert get(office, "/audit").status_code == 404
    page = get(admin_user, "/audit", action="campaign.created").json()
    assert page["count"] >= 1 and all(e["action"] == "campaign.created" for e in page["items"])


def test_indicator_values_are_entered_by_those_who_may(indicators, office, liaison, city):
    indicator = next(iter(indicators.values()))
    path = f"/indicators/{indicator.pk}/observations"
    body = {"region": city.pk, "period": "2018", "value": 12.5}
    saved = send(office, "post", path, body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["value"] == 12.5
    listed = get(office, path).json()
    assert listed["count"] == 1
    bad = send(office, "post", path, {**body, "value": "abc"})
    assert bad.status_code == 422
    nan = send(office, "post", path, {**body, "value": "NaN"})
    assert nan.status_code == 422


# --- the documentation --------------------------------------------------------------------------


def test_the_schema_is_openapi_3_1_and_the_docs_are_served_offline(office, campaign):
    client = Client()
    client.force_login(office)
    schema = client.get(API + "/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/rounds/{round_id}/scores/{criterion_id}" in schema["paths"]
    docs = client.get(API + "/docs")
    assert docs.status_code == 200
    text = docs.content.decode()
    assert "cdn" not in text.lower() and "/static/ninja/swagger-ui-bundle.js" in text
    assert "unsafe-inline" not in docs["Content-Security-Policy"]
