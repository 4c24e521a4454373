"""Hostile input, table-driven over every field of every API write: wrong types, missing fields,
text longer than its limit, NUL and control characters, numbers that are negative, not a number,
infinite or 1E+999999999, huge and foreign ids, impossible dates. Each is a 4xx in the one error
shape with a message in Chinese, and nothing is written (no audit event, no row). Text that is
merely unusual — HTML, emoji, rare CJK (𠀀) — is stored exactly as sent and returned as JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import services as campaign_services
from qualitycity.orgs import services as org_services
from tests.factories import TODAY, criteria_of, lowest_input, make_task, named, pdf_bytes

pytestmark = pytest.mark.django_db

MISSING = object()
HUGE_ID = 99999999999999999999999
TEXT_BAD = ["\x00", "a\x07b", {"a": 1}, ["x"], 123, None]
INT_BAD = ["5", 1.5, True, -1, HUGE_ID, None, "NaN", [], {}]
DATE_BAD = ["2018-02-30", "99999-01-01", "0000-00-00", 20180101, "", "昨天"]


def _long(n: int) -> str:
    return "长" * (n + 1)


# (operation, field, bad values) — `world` gives each operation its path, persona and a valid body.
TABLE = [
    ("token", "name", [*TEXT_BAD, _long(100), "", "   ", MISSING]),
    ("token", "days", [*INT_BAD, 0, 366]),
    ("score", "value", [{"a": 1}, [[1]], None, "", "不存在的档次", "1E+999999999", MISSING]),
    ("score", "expected_version", [*INT_BAD, MISSING]),
    ("score", "comment", [*TEXT_BAD, _long(2000)]),
    ("score", "override_points", ["NaN", "1E+999999999", -1, 10**6, "x", {}]),
    ("score", "override_reason", [*TEXT_BAD, _long(2000)]),
    ("progress", "progress", [*INT_BAD, 101, MISSING]),
    ("progress", "done", ["yes", 1, 0, None, "true"]),
    ("report", "period_start", [*DATE_BAD, MISSING]),
    ("report", "text", [*TEXT_BAD, _long(20000)]),
    ("report", "percent", [*INT_BAD, 101, MISSING]),
    ("report", "evidence", [[HUGE_ID], [0], ["x"], "1", [1.5], list(range(1, 300))]),
    ("report", "submit", ["yes", 1, None]),
    ("notice", "response", [*TEXT_BAD, _long(5000), "", "   ", MISSING]),
    ("observation", "series", ["bogus", 1, None, "\x00"]),
    ("observation", "region", [HUGE_ID, 0, -1, "1", "x", 999999]),
    ("observation", "period", [*TEXT_BAD, _long(20), "", "2018-13", "9999999", MISSING]),
    ("observation", "value", ["NaN", "Infinity", "1E+999999999", "abc", None, {}, [], MISSING]),
    ("observation", "source", [*TEXT_BAD, _long(300)]),
    ("observation", "note", [*TEXT_BAD, _long(2000)]),
]

# Raw bodies that json.dumps would never write.
RAW = [
    ("score", '{"value": 1E+999999999, "expected_version": 0}'),
    ("score", '{"value": NaN, "expected_version": 0}'),
    ("score", '{"value": Infinity, "expected_version": 0}'),
    ("score", '{"value": -Infinity, "expected_version": 0}'),
    ("observation", '{"region": 1, "period": "2018", "value": 1E+999999999}'),
    ("progress", '{"progress": 1E+400}'),
    ("progress", "[1, 2]"),
    ("progress", '"just a string"'),
    ("token", "{not json"),
    ("token", ""),
]


@pytest.fixture
def world(settings, media, campaign, office, liaison, assessor, open_round, indicators, city):
    settings.QC_TODAY = TODAY
    task = make_task(campaign, office)
    notice = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=task.unit,
        tasks=[task],
        content="请说明进展。",
        response_due=dt.date(2018, 9, 30),
    )
    criterion = criteria_of(open_round)[0]
    indicator = next(iter(indicators.values()))
    ops = {
        "token": (office, "post", "/tokens", {"name": "对接", "days": 30}),
        "score": (
            assessor,
            "put",
            f"/rounds/{open_round.pk}/scores/{criterion.pk}",
            {"value": lowest_input(criterion), "expected_version": 0},
        ),
        "progress": (liaison, "post", f"/tasks/{task.pk}/progress", {"progress": 30}),
        "report": (
            liaison,
            "post",
            f"/tasks/{task.pk}/reports",
            {"period_start": "2018-08-01", "text": "进展", "percent": 30},
        ),
        "notice": (liaison, "post", f"/notices/{notice.pk}/response", {"response": "已办"}),
        "observation": (
            office,
            "post",
            f"/indicators/{indicator.pk}/observations",
            {"region": city.pk, "period": "2018", "value": 1.5},
        ),
    }
    tokens = {}
    for user in {office, liaison, assessor}:
        _t, raw = org_services.create_token(user, name="hostile")
        tokens[user.pk] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return ops, tokens


def _send(world, op: str, body: str):
    ops, tokens = world
    user, method, path, _valid = ops[op]
    return getattr(Client(), method)(
        "/api/v1" + path, body, content_type="application/json", **tokens[user.pk]
    )


def _refused(response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    error = response.json()["error"]
    assert error["message"] and any("\u4e00" <= c <= "\u9fff" for c in error["message"]), error


CASES = [(op, field, value) for op, field, values in TABLE for value in values]


def _case_id(case) -> str:
    op, field, value = case
    shown = "missing" if value is MISSING else repr(value)
    return f"{op}.{field}={shown[:24]}"


def test_the_valid_bodies_are_accepted(world):
    """The table's baseline: each operation's valid body succeeds, so a refusal below is the
    hostile value's doing."""
    ops, _tokens = world
    for op, (_user, _method, _path, valid) in ops.items():
        response = _send(world, op, json.dumps(valid))
        assert 200 <= response.status_code < 300, (op, response.content[:300])


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_a_hostile_value_is_refused_and_writes_nothing(world, case):
    op, field, value = case
    ops, _tokens = world
    body = dict(ops[op][3])
    if value is MISSING:
        body.pop(field, None)
    else:
        body[field] = value
    events = AuditEvent.objects.count()
    _refused(_send(world, op, json.dumps(body)))
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(("op", "raw"), RAW)
def test_bodies_no_encoder_writes_are_refused(world, op, raw):
    events = AuditEvent.objects.count()
    _refused(_send(world, op, raw))
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "😀 质量 𠀀𪚥", "'; DROP TABLE x; --", "a\tb\nc"]
)
def test_unusual_text_is_kept_exactly(world, text):
    response = _send(
        world,
        "report",
        json.dumps({"period_start": "2018-08-01", "text": text, "percent": 30}),
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["text"] == text.strip()
    response = _send(world, "notice", json.dumps({"response": text}))
    assert response.status_code == 200 and response.json()["response"] == text.strip()


UPLOAD_BAD = [
    ("campaign", HUGE_ID),
    ("campaign", "x"),
    ("unit", HUGE_ID),
    ("unit", -1),
    ("title", ""),
    ("title", _long(300)),
    ("title", "a\x00b"),
    ("effective_date", "2018-02-30"),
    ("effective_date", "99999-01-01"),
    ("description", _long(5000)),
    ("criteria", HUGE_ID),
    ("criteria", "x"),
]


@pytest.mark.parametrize(("field", "value"), UPLOAD_BAD)
def test_hostile_upload_fields_are_refused_and_store_nothing(
    world, campaign, qzj, media, field, value
):
    from qualitycity.evidence.models import Evidence, EvidenceFile

    ops, tokens = world
    liaison = ops["progress"][0]
    data = {
        "campaign": campaign.pk,
        "unit": qzj.pk,
        "title": "材料",
        "effective_date": "2018-08-01",
        "file": named("材料.pdf", pdf_bytes("hostile")),
        field: value,
    }
    _refused(Client().post("/api/v1/evidence", data, **tokens[liaison.pk]))
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()


def test_the_table_covers_every_write_operation(world):
    from qualitycity.api.main import api

    writes = {
        (method, path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method != "get"
    }
    covered = {op for op, *_ in TABLE}
    # tokens (post), score (put), progress, report, notice, observation; evidence upload has its
    # own table; revoking a token and marking notifications read take no body.
    assert covered == {"token", "score", "progress", "report", "notice", "observation"}
    assert len(writes) == len(covered) + 3
