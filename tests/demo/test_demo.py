"""`make run`'s demo data: everything loads, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from qualitycity.assessments.models import Finding, Round, Score
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.models import (
    Campaign,
    Meeting,
    NameMapping,
    ProgressReport,
    SupervisionNotice,
    Task,
)
from qualitycity.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db


def test_setup_demo_loads_everything_once(client, empty_database):
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Round,
            Score,
            Finding,
            Task,
            ProgressReport,
            SupervisionNotice,
            Meeting,
            Indicator,
            Observation,
        )
    }
    assert counts["Round"] == 2
    assert counts["Score"] > 200
    assert counts["Finding"] >= 4
    assert counts["Task"] > 2000
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "accepted",
    }
    assert counts["SupervisionNotice"] == 3
    assert counts["Indicator"] >= 20
    # The county campaign: its own directory, its office's mappings, tasks only for its units.
    county = Campaign.objects.get(name="冷水滩区创建质量强区")
    assert county.region.code == "431103"
    county_tasks = Task.objects.filter(campaign=county)
    assert county_tasks.count() > 100
    assert set(county_tasks.values_list("unit__region__code", flat=True)) == {"431103"}
    assert NameMapping.objects.filter(campaign=county, printed_name="市质监局").get().unit.name == (
        "区质监局"
    )
    events = AuditEvent.objects.count()
    call_command("setup_demo", stdout=open("/dev/null", "w"))
    assert AuditEvent.objects.count() == events
    assert {
        m.__name__: m.objects.count()
        for m in (
            Round,
            Score,
            Finding,
            Task,
            ProgressReport,
            SupervisionNotice,
            Meeting,
            Indicator,
            Observation,
        )
    } == counts

    from qualitycity.orgs.models import User

    client.force_login(User.objects.get(username="expert"))
    rnd = Round.objects.get(kind="self")
    body = client.get(f"/rounds/{rnd.pk}/score/?dim=6").content.decode()
    assert 'data-testid="indicator-evaluation"' in body  # indicator criteria show their evaluation


def test_the_demo_shows_the_county_campaign_to_both_offices(client, empty_database):
    """The county office runs its campaign; the city office reads it without managing it."""
    from qualitycity.orgs.models import User

    call_command("setup_demo", stdout=open("/dev/null", "w"))
    county = Campaign.objects.get(name="冷水滩区创建质量强区")
    city = Campaign.objects.get(name="永州市创建全国质量强市示范城市")
    client.force_login(User.objects.get(username="lst-office"))
    page = client.get(f"/campaigns/{county.pk}/").content.decode()
    assert "冷水滩区创建质量强区" in page
    assert client.get(f"/campaigns/{city.pk}/").status_code == 404
    client.force_login(User.objects.get(username="office"))
    assert client.get(f"/campaigns/{county.pk}/").status_code == 200
    assert client.get(f"/campaigns/{county.pk}/board/").status_code == 200
    phase = county.phases.get(name="全面推进")
    response = client.post(f"/campaigns/{county.pk}/tasks/generate/", {"phase": phase.pk})
    assert response.status_code == 404
