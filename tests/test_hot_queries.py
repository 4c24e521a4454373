"""The hot pages and endpoints of the province bench (bench/province_pages.py) run a fixed number
of queries whatever the round holds: under both report settings (every unit reports, or lead
units only), first on a small round, then on one with every row scored, more evidence, findings
and rounds. The list pages among them are also in tests/test_list_queries.py; this file adds the
save, the API endpoints and the exports, and caps each count.

Each request also makes four queries of its own (the session, the user, the user's roles, the
unread-notification badge of pages with the navigation bar); the caps include them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from qualitycity.assessments import services as assessment_services
from qualitycity.assessments.models import Score
from qualitycity.campaigns.models import Campaign
from tests.factories import lowest_input
from tests.helpers import count_queries
from tests.test_list_queries import SCORING, SETTINGS, World, grow, world  # noqa: F401

HX = {"HTTP_HX_REQUEST": "true"}


def score_every_row(w: World) -> None:
    scored = set(Score.objects.filter(round=w.rnd).values_list("criterion_id", flat=True))
    for criterion in w.criteria:
        if criterion.pk not in scored:
            assessment_services.save_score(
                w.rnd, criterion, by=w.office, value=lowest_input(criterion), expected_version=0
            )


def _manual(w: World):
    return next(c for c in w.criteria if c.rule.get("type") == "manual")


def _save(client, w: World):
    """One htmx save of a manual row, as the workspace posts it (its current version)."""
    criterion = _manual(w)
    score = Score.objects.filter(round=w.rnd, criterion=criterion).first()
    version = score.version if score else 0
    value = "0" if score and score.points else str(criterion.max_points)
    return client.post(
        f"/rounds/{w.rnd.pk}/score/{criterion.pk}/", {"value": value, "version": version}, **HX
    )


@dataclass(frozen=True)
class Hot:
    name: str
    persona: str
    cap: int  # the most queries it may make, the request's own four included
    request: Callable[[object, World], object]


def _get(path: Callable[[World], str]) -> Callable[[object, World], object]:
    return lambda client, w: client.get(path(w))


HOT = [
    Hot("workspace, one dimension", "assessor", 9, _get(lambda w: f"/rounds/{w.rnd.pk}/score/")),
    Hot(
        "workspace, all rows",
        "assessor",
        11,  # and the indicators of the table's indicator rows, with their observations
        _get(lambda w: f"/rounds/{w.rnd.pk}/score/?dim=all"),
    ),
    Hot("save one score (htmx)", "office", 20, _save),
    Hot("round summary", "office", 13, _get(lambda w: f"/rounds/{w.rnd.pk}/")),
    Hot("round API (totals)", "office", 8, _get(lambda w: f"/api/v1/rounds/{w.rnd.pk}")),
    Hot("gap list", "office", 10, _get(lambda w: f"/rounds/{w.rnd.pk}/gaps/")),
    Hot("league API", "office", 6, _get(lambda w: "/api/v1/league")),
    Hot("round xlsx", "office", 9, _get(lambda w: f"/exports/round-xlsx/{w.rnd.pk}/")),
    Hot("round docx", "office", 15, _get(lambda w: f"/exports/round-docx/{w.rnd.pk}/")),
]


@pytest.mark.parametrize("setting", [s for s in SETTINGS if "month" in s.id])
@pytest.mark.parametrize("hot", HOT, ids=lambda h: h.name)
def test_a_hot_page_runs_the_same_queries_on_a_full_round(request, client, world, hot, setting):  # noqa: F811
    Campaign.objects.filter(pk=world.campaign.pk).update(**setting)
    world.campaign.refresh_from_db()
    grow(world, SCORING)
    client.force_login(request.getfixturevalue(hot.persona))

    def call() -> None:
        response = hot.request(client, world)
        assert response.status_code == 200, (hot.name, response.status_code)

    call()  # warm the per-process caches (the framework's table, content types, the session)
    few = count_queries(call)
    grow(world, SCORING)
    grow(world, SCORING)
    score_every_row(world)
    assert Score.objects.filter(round=world.rnd).count() >= len(world.criteria)
    many = count_queries(call)
    print(f"{hot.name} {setting}: {few} → {many} queries")
    assert many == few, f"{hot.name} {setting}: {few} queries, then {many}"
    assert many <= hot.cap, f"{hot.name}: {many} queries, at most {hot.cap}"
