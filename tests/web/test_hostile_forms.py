"""Hostile input against every form the pages offer, table-driven.

The forms are read from the pages themselves (tests/form_crawl.py over tests/page_walk.py's walk,
as each persona sees them), so a new form is attacked without being listed here. For each form
the test first sends what a user sends (the page's own values, with BASELINE filling what a user
must type) and checks that it is accepted; then, one control at a time, it sends a hostile value
for that control's type. Every hostile value must be answered with a 4xx that carries a message
in the user's language, and must change nothing in the database (a row count over every table,
audit included); none may reach a 500. Text that is merely unusual (emoji, 𠀀, markup) must never
reach a 500 either. Each request runs in a savepoint that is rolled back, so every case sees the
same data.

The failures the first run found, each fixed and kept here as its case: control characters other
than NUL accepted (web.middleware.RejectControlCharactersMiddleware); over-long text stored in
text fields without a limit (every text field now has one, audit/lengths.py); refused input
answered 200 or 302 (refusals.render/refuse and web.middleware.RefusedInputMiddleware); a
region id that is not a number taken as "the first region" (orgs/views/users.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.urls import resolve, reverse

from tests.factories import PASSWORD, TODAY, named, pdf_bytes
from tests.form_crawl import Control, Form, forms_of
from tests.helpers import visible_text
from tests.page_walk import build_world, pages

pytestmark = pytest.mark.django_db

HUGE_ID = "99999999999999999999999"
TEXT = [
    ("NUL", "前\x00后"),
    ("a control character", "前\x07后"),
    ("an escape sequence", "前\x1b[31m后"),
    ("100,001 characters", "长" * 100_001),
]
NUMBER = [
    ("NaN", "NaN"),
    ("infinity", "Infinity"),
    ("-infinity", "-Infinity"),
    ("1E+999999999", "1E+999999999"),
    ("a word", "abc"),
    ("a huge integer", HUGE_ID),
]
DATE = [
    ("0000-00-00", "0000-00-00"),
    ("year 10000", "10000-01-01"),
    ("February 30", "2018-02-30"),
    ("a word", "abc"),
    ("a huge number", HUGE_ID),
]
CHOICE = [("a huge id", HUGE_ID), ("a negative id", "-1"), ("markup", "<script>")]
HOSTILE: dict[str, list[tuple[str, str]]] = {
    "text": TEXT,
    "textarea": TEXT,
    "email": TEXT,
    "url": TEXT,
    "search": TEXT,
    "number": NUMBER,
    "date": DATE,
    "select": CHOICE,
    "radio": CHOICE,
    "hidden": CHOICE,
    "checkbox": CHOICE,  # multiple choices of objects (a checkbox whose value is an id)
}
# Unusual but valid text: never a 500; if refused, with a message.
UNUSUAL = [("rare CJK and emoji", "𠀀𪚥😀"), ("markup", "<script>alert(1)</script>&amp;")]

# What a user types where the page leaves a control empty, by type, then by form and control.
FILL = {
    "text": "测试",
    "textarea": "测试内容",
    "number": "1",
    "date": "2018-09-20",
    "email": "someone@example.com",
    "url": "https://example.com/hook",
}
BASELINE: dict[tuple[str, str], str] = {
    ("campaigns:create", "name"): "永州市质量强市示范城市创建(测试)",
    ("campaigns:create", "start"): "2018-01-01",
    ("campaigns:create", "end"): "2020-12-31",
    **{
        ("campaigns:create", f"phases-{n}-{end}"): day
        for n, span in enumerate(
            [
                ("2018-01-01", "2018-06-30"),
                ("2018-07-01", "2019-06-30"),
                ("2019-07-01", "2020-06-30"),
                ("2020-07-01", "2020-12-31"),
            ]
        )
        for end, day in zip(("start", "end"), span, strict=True)
    },
    ("campaigns:measure_create", "lead_units"): "市质监局",
    ("campaigns:measure_create", "number"): "26",
    ("campaigns:measure_create", "text"): "建立质量工作例会制度,定期研究质量工作。",
    ("campaigns:notice_create", "content"): "请于期限内报送工作进展。",
    ("campaigns:notice_action", "response"): "已按要求办理。",
    ("campaigns:task_action", "reason"): "与另一项任务重复。",
    ("assessments:finding_action", "note"): "已完成整改。",
    ("campaigns:meeting_decisions", "lines"): "建立质量工作例会制度 | 市质监局 | 2018-12-31",
    ("campaigns:task_create", "title"): "建立质量工作例会制度",
    ("campaigns:task_create", "due"): "2018-12-31",
    (
        "campaigns:task_action",
        "parts",
    ): "制定办法 | 市质监局 | 2018-12-31\n组织宣贯 | 市住建局 | 2018-12-31",
    ("campaigns:robots", "webhook"): "https://oapi.dingtalk.com/robot/send?access_token=abc",
    ("indicators:detail", "period"): "2018",
    ("indicators:detail", "value"): "1.5",
    ("password_change", "old_password"): PASSWORD,
    ("password_change", "new_password1"): "Lengshuitan-2018!",
    ("password_change", "new_password2"): "Lengshuitan-2018!",
}
FILES = {
    "assessments:evidence_upload": {"file": ("会议纪要.pdf", pdf_bytes("hostile"))},
}
# Forms whose own values a user cannot send as they are, with why: their hostile cases still
# must be 4xx, write nothing and never 500.
BASELINE_REFUSED = {
    "assessments:score_save": "the score's value is typed into a control outside the form",
    "campaigns:measures_import": "needs a plan's text or file",
    "frameworks:import": "needs a scoring table file",
    "indicators:import": "needs an xlsx file",
    "orgs:load": "needs an xlsx file",
    "orgs:people_import": "needs an xlsx file",
    "campaigns:phases_edit": "a new phase overlaps the four that cover the campaign's span",
    "orgs:user_action": "the role form needs a unit for a liaison",
}
# Controls a submission does not read, or reads only as harmless bookkeeping, with why (a
# control's name with its digits written N: ids differ between databases).
NOT_READ = {
    ("campaigns:monthly", "upN-title"): "the in-page upload's title, posted with its file by htmx",
    **{
        ("campaigns:create", f"phases-{name}"): "Django's formset bookkeeping: the server ignores "
        "MIN/MAX and reads INITIAL only to decide whether a blank phase may be skipped"
        for name in ("INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    },
}


@dataclass
class Case:
    view: str
    persona: str
    form: Form
    control: Control
    label: str
    value: str


def footprint() -> int:
    """The number of rows in every table: any insert or delete changes it (updates are audited,
    and the audit table is counted)."""
    tables = [m._meta.db_table for m in apps.get_models() if m._meta.managed]
    union = " UNION ALL ".join(f'SELECT COUNT(*) AS n FROM "{t}"' for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(n) FROM ({union}) AS counts")
        return cursor.fetchone()[0]


def send(client: Client, form: Form, data: dict[str, list[str]], files: dict) -> tuple[object, int]:
    payload: dict[str, object] = dict(data)
    for name, (filename, content) in files.items():
        payload[name] = named(filename, content)
    headers = {"HTTP_HX_REQUEST": "true"} if form.htmx else {}
    with transaction.atomic():
        before = footprint()
        response = client.post(form.action, payload, **headers)
        written = footprint() - before
        transaction.set_rollback(True)
    return response, written


MESSAGE = re.compile(
    r'class="[^"]*(invalid-feedback|alert-danger|text-danger|qc-error)[^"]*"[^>]*>(.*?)</',
    re.S,
)


def refusal_message(response) -> str:
    """The sentence the page shows for a refusal: a form error, an alert or the 400 page."""
    body = response.content.decode()
    found = [visible_text(m.group(2)) for m in MESSAGE.finditer(body)]
    bad = re.search(r'data-testid="bad-request">(.*?)</p>', body, re.S)
    if bad:
        found.append(bad.group(1))
    if response.get("Content-Type", "").startswith("application/json"):
        found.append(body)
    return " ".join(s.strip() for s in found if s.strip())


def baseline(view: str, form: Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = defaultdict(list)
    for name, value in form.baseline():
        control = next((c for c in form.controls if c.name == name), None)
        if control is not None:
            value = BASELINE.get((view, name), value)
            if not value and control.kind in FILL and control.required:
                value = FILL[control.kind]
            if not value and control.kind == "select":
                value = next((o for o in control.options if o), "")
        data[name].append(value)
    return data


def crawl(world) -> dict[tuple, tuple[str, Client, Form]]:
    """Every distinct POST form, as the first persona who is shown it sees it."""
    found: dict[tuple, tuple[str, Client, Form]] = {}
    for persona, user in world.people.items():
        client = Client()
        client.force_login(user)
        for _name, addresses in sorted(pages(world).items()):
            for address in addresses:
                response = client.get(address)
                if response.status_code != 200:
                    continue
                for form in forms_of(response.content.decode(), "http://testserver" + address):
                    if form.method != "post":
                        continue
                    view = resolve(form.action.removeprefix("http://testserver").split("?")[0])
                    if view.view_name in ("logout", "set_language"):
                        continue
                    key = (view.view_name, tuple(sorted(form.names())), form.submit)
                    found.setdefault(key, (persona, client, form))
    return found


def not_read(view: str, name: str) -> bool:
    return (view, re.sub(r"\d+", "N", name)) in NOT_READ or (view, name) in NOT_READ


def cases_of(view: str, form: Form):
    attacked_groups: set[str] = set()
    for control in form.controls:
        if control.name == "csrfmiddlewaretoken" or not_read(view, control.name):
            continue
        if control.kind == "checkbox":
            if not control.value.isdigit() or control.name in attacked_groups:
                continue  # a yes/no box takes any value as "yes"; a group is attacked once
            attacked_groups.add(control.name)
        for label, value in HOSTILE.get(control.kind, []):
            yield control, label, value
        if control.required and control.kind != "file":
            yield control, "left out", None


@pytest.fixture
def world(settings, media, office, liaison, assessor, leader, admin_user, campaign, open_round):
    settings.QC_TODAY = TODAY
    return build_world(office, liaison, assessor, leader, admin_user, campaign, open_round)


def test_every_page_form_refuses_hostile_input_and_writes_nothing(world):
    forms = crawl(world)
    failures: list[str] = []
    refused_baselines: set[str] = set()
    attacked = 0
    for (view, _names, _submit), (persona, client, form) in sorted(
        forms.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
    ):
        data = baseline(view, form)
        files = FILES.get(view, {})
        response, _written = send(client, form, data, files)
        if not response.status_code < 400:
            refused_baselines.add(view)
        client.force_login(world.people[persona])  # a changed password signed the client out
        for control, label, value in cases_of(view, form):
            attacked += 1
            hostile = {k: v for k, v in data.items() if k != control.name}
            if value is not None:
                hostile[control.name] = [value]
            where = f"{view} [{persona}] {control.name} ({control.kind}) ← {label}"
            response, written = send(client, form, hostile, files)
            if not 400 <= response.status_code < 500:
                failures.append(f"{where}: answered {response.status_code}")
            elif written:
                failures.append(f"{where}: {written} rows written")
            elif response.status_code != 404 and not re.search(
                r"[\u4e00-\u9fff]", refusal_message(response)
            ):  # a 404 is the page for a missing object (tests/web/test_error_pages.py)
                failures.append(f"{where}: {response.status_code} without a message")
        for control in form.controls:
            if control.kind not in ("text", "textarea") or not_read(view, control.name):
                continue
            for label, value in UNUSUAL:
                unusual = {**data, control.name: [value]}
                response, _written = send(client, form, unusual, files)
                if response.status_code >= 500:
                    failures.append(f"{view} {control.name} ← {label}: a 500")
    assert failures == [], "\n".join(failures)
    assert refused_baselines == set(BASELINE_REFUSED), "forms whose baseline is refused"
    views = {view for view, *_ in forms}
    print(f"{len(forms)} forms of {len(views)} views, {attacked} hostile cases")
    assert len(views) >= 40 and attacked >= 500, (len(views), attacked)


def test_a_refusal_speaks_english_to_an_english_user(client, office, campaign):
    client.force_login(office)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("assessments:round_create", args=[campaign.pk]),
        {"name": "长" * 201, "kind": "self", "start": "2018-09-01", "end": "2018-09-30"},
    )
    assert response.status_code == 400
    message = refusal_message(response)
    assert "200" in message and not re.search(r"[\u4e00-\u9fff]", message), message
    response = client.post(
        reverse("assessments:round_create", args=[campaign.pk]),
        {"name": "自评\x07", "kind": "self", "start": "2018-09-01", "end": "2018-09-30"},
    )
    assert response.status_code == 400
    assert "control character" in refusal_message(response)


def test_views_refuse_through_one_door():
    """Views render through refusals.render and refuse through refusals.refuse/refusals(), so
    every refusal is a 400 (refusals.py); none calls django's render or messages.error itself."""
    root = Path(__file__).resolve().parents[2] / "src" / "qualitycity"
    offenders = []
    for path in root.rglob("*.py"):
        if "views" not in path.parts and path.name != "views.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"from django\.shortcuts import [^\n]*\brender\b", text):
            offenders.append(f"{path.relative_to(root)}: django's render")
        if "messages.error(" in text:
            offenders.append(f"{path.relative_to(root)}: messages.error")
    assert offenders == []
