"""The reads over the evidence tables (qualitycity/evidence/queries.py), on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.campaigns.services import create_campaign
from qualitycity.evidence import services as evidence_services
from qualitycity.evidence.queries import campaign_criterion_links
from qualitycity.frameworks.models import Criterion
from tests.factories import named, pdf_bytes

pytestmark = pytest.mark.django_db


def _upload(campaign, office, qzj, n: int, criteria):
    return evidence_services.upload_evidence(
        campaign,
        named(f"材料{n}.pdf", pdf_bytes(f"links {n}")),
        by=office,
        title=f"材料{n}",
        unit=qzj,
        effective_date=dt.date(2018, 8, 1),
        criteria=criteria,
    )


def test_a_campaigns_links_are_its_own_evidences_only(campaign, office, qzj, media, yongzhou):
    other = create_campaign(
        by=office,
        name="另一项创建工作",
        region=campaign.region,
        framework=yongzhou,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
    )
    rows = list(Criterion.objects.filter(framework=yongzhou).order_by("position")[:3])
    mine = [
        _upload(campaign, office, qzj, 1, rows[:2]),
        _upload(campaign, office, qzj, 2, rows[1:]),
    ]
    _upload(other, office, qzj, 3, rows)
    _upload(campaign, office, qzj, 4, [])  # no rows: no links
    links = sorted(campaign_criterion_links(campaign.pk).values_list("evidence_id", "criterion_id"))
    first, second = (m.pk for m in mine)
    expected = [
        (first, rows[0].pk),
        (first, rows[1].pk),
        (second, rows[1].pk),
        (second, rows[2].pk),
    ]
    assert links == sorted(expected)
    assert campaign_criterion_links(other.pk).count() == 3
