"""Round list, creation and transitions through pages; campaign pages."""

import pytest

from qualitycity.assessments.models import Round
from qualitycity.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["office", "assessor", "leader"])
def test_members_of_the_region_see_rounds_and_campaigns(request, client, open_round, persona):
    client.force_login(request.getfixturevalue(persona))
    assert open_round.name in client.get("/rounds/").content.decode()
    body = client.get(f"/campaigns/{open_round.campaign_id}/").content.decode()
    assert "规划筹建阶段" in body and "总结验收阶段" in body
    assert "2018-01-01 — 2019-02-28" in body


ROUND_PAGES = (
    "/rounds/{r}/",
    "/rounds/{r}/score/",
    "/rounds/{r}/gaps/",
    "/indicators/rounds/{r}/auto-score/",
)


@pytest.mark.parametrize("persona", ["liaison", "unassigned_assessor"])
def test_liaisons_and_unassigned_assessors_read_no_round(
    request, client, open_round, persona, orgs
):
    """Every unit's scores and the experts' comments are for the office, leaders and the
    round's assessors (assessments.access): the campaign is readable, its rounds are not."""
    from qualitycity.orgs.choices import Role
    from tests.factories import persona as make_persona

    user = (
        make_persona("t-free-assessor", Role.ASSESSOR)
        if persona == "unassigned_assessor"
        else request.getfixturevalue(persona)
    )
    client.force_login(user)
    assert open_round.name not in client.get("/rounds/").content.decode()
    assert client.get(f"/campaigns/{open_round.campaign_id}/").status_code == 200
    for page in ROUND_PAGES:
        assert client.get(page.format(r=open_round.pk)).status_code == 404, page
    compare = client.get(f"/rounds/compare/?a={open_round.pk}&b={open_round.pk}")
    assert open_round.name not in compare.content.decode()


def test_outsiders_see_no_campaign(client, open_round, outsider):
    client.force_login(outsider)
    assert open_round.name not in client.get("/rounds/").content.decode()
    assert client.get(f"/campaigns/{open_round.campaign_id}/").status_code == 404


def test_the_office_creates_a_round(client, campaign, office, assessor):
    client.force_login(office)
    assert client.get(f"/rounds/new/{campaign.pk}/").status_code == 200
    response = client.post(
        f"/rounds/new/{campaign.pk}/",
        {
            "name": "省级考核",
            "kind": "provincial",
            "start": "2019-06-01",
            "end": "2019-06-30",
            "assessors": [assessor.pk],
        },
    )
    assert response.status_code == 302
    rnd = Round.objects.get(name="省级考核")
    assert list(rnd.assessors.all()) == [assessor]
    assert AuditEvent.objects.filter(action="round.created", object_id=str(rnd.pk)).exists()


def test_bad_round_dates_are_refused_on_the_form(client, campaign, office):
    client.force_login(office)
    response = client.post(
        f"/rounds/new/{campaign.pk}/",
        {"name": "x", "kind": "self", "start": "2019-06-30", "end": "2019-06-01"},
    )
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize("persona", ["assessor", "leader", "liaison"])
def test_only_the_office_opens_round_creation(request, client, campaign, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/rounds/new/{campaign.pk}/").status_code == 404


def test_transitions_through_the_page(client, open_round, assessor, office):
    client.force_login(assessor)
    client.post(f"/rounds/{open_round.pk}/transition/", {"action": "submit"})
    open_round.refresh_from_db()
    assert open_round.status == "submitted"
    response = client.post(f"/rounds/{open_round.pk}/transition/", {"action": "lock"})
    assert response.status_code == 404  # assessors do not lock
    client.force_login(office)
    response = client.post(
        f"/rounds/{open_round.pk}/transition/", {"action": "reopen", "reason": ""}, follow=True
    )
    assert "必须说明原因" in response.content.decode()
    open_round.refresh_from_db()
    assert open_round.status == "submitted"
    client.post(f"/rounds/{open_round.pk}/transition/", {"action": "lock"})
    open_round.refresh_from_db()
    assert open_round.status == "locked"
    response = client.post(f"/rounds/{open_round.pk}/transition/", {"action": "lock"}, follow=True)
    assert "不能锁定" in response.content.decode()
