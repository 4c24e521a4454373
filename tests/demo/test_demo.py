"""`make run`'s demo data: everything loads, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from qualitycity.assessments.models import Finding, Round, Score
from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns.models import Meeting, ProgressReport, SupervisionNotice, Task
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
