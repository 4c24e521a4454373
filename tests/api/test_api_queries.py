"""Every list endpoint of the API runs the same number of queries however many rows it lists:
counted with a little data and again after adding more of every kind, for the office (who reads
every unit's work) and a liaison (who reads its own unit's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from qualitycity.evidence import services as evidence_services
from qualitycity.indicators import services as indicator_services
from qualitycity.orgs import services as org_services
from tests.factories import named, pdf_bytes, unit
from tests.helpers import count_queries
from tests.web.test_queues import TODAY, Work

pytestmark = pytest.mark.django_db

LISTS = [
    "/frameworks",
    "/campaigns",
    "/campaigns/{campaign}/measures",
    "/rounds",
    "/rounds/{round}",
    "/rounds/{round}/scores",
    "/evidence",
    "/tasks",
    "/reports",
    "/notices",
    "/findings",
    "/indicators",
    "/indicators/{indicator}/observations",
    "/notifications",
    "/tokens",
]


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.QC_TODAY = TODAY


class More(Work):
    def add(self, n: int = 1, unit_name: str = "市质监局") -> None:
        super().add(n, unit_name)
        for i in range(n):
            evidence_services.upload_evidence(
                self.campaign,
                named(f"材料{self.used}-{i}.pdf", pdf_bytes(f"{unit_name}{self.used}{i}")),
                by=self.office,
                title=f"材料{i}",
                unit=unit(unit_name),
                effective_date=dt.date(2018, 8, 1),
            )
            indicator_services.save_observation(
                self.indicator,
                by=self.office,
                series="value",
                region=self.campaign.region,
                period=str(2010 + self.used),
                value="12.5",
            )


ROUND_PATHS = {"/rounds/{round}", "/rounds/{round}/scores"}  # not a liaison's (404)


def _counts(user, work: More, paths=LISTS) -> dict[str, int]:
    _token, raw = org_services.create_token(user, name="count")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    out = {}
    for path in paths:
        url = "/api/v1" + path.format(
            campaign=work.campaign.pk, round=work.rnd.pk, indicator=work.indicator.pk
        )
        assert client.get(url).status_code == 200, url  # and warm the per-process caches
        out[path] = count_queries(lambda url=url: client.get(url, {"limit": 200}))
    return out


@pytest.mark.parametrize("who", ["office", "liaison"])
def test_no_list_grows_with_its_rows(
    media, campaign, office, liaison, zhujian_liaison, open_round, indicators, who
):
    work = More(campaign, office, liaison, zhujian_liaison, open_round)
    work.indicator = next(iter(indicators.values()))
    user = {"office": office, "liaison": liaison}[who]
    paths = LISTS if who == "office" else [p for p in LISTS if p not in ROUND_PATHS]
    work.add(1, "市质监局")
    work.add(1, "市住建局")
    small = _counts(user, work, paths)
    work.add(3, "市质监局")
    work.add(3, "市住建局")
    large = _counts(user, work, paths)
    assert large == small
    assert max(small.values()) <= 12, small
