"""schemathesis against the API's own OpenAPI schema, in process (WSGI): every operation gets
generated requests, valid and invalid, as the office with data to read; no answer may be a 5xx,
and every answer must match the schema (status, content type, body). Bounded: a few examples per
operation keeps it under a minute here."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from qualitycity.api.main import api
from qualitycity.orgs import services as org_services
from tests.factories import make_task
from tests.web.test_queues import TODAY, Work

pytestmark = pytest.mark.django_db


# The schema as the app serves it at /api/v1/openapi.json (read without a request, at import).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's database
    connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(settings, media, campaign, office, liaison, zhujian_liaison, open_round):
    settings.QC_TODAY = TODAY
    Work(campaign, office, liaison, zhujian_liaison, open_round).add(1)
    make_task(campaign, office, unit_name="市住建局")
    _token, raw = org_services.create_token(office, name="schemathesis")
    return raw


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_generated_request_gets_a_documented_answer(case, token):
    # Every check but one: a request the schema allows may still be refused by the domain (a
    # rule's accepted inputs, a campaign's own rows, a file's content, a liaison-only write), and
    # that is a 4xx with the reason in the error shape, which the other checks validate.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance],
    )
