"""The pages of notifications: the inbox with its unread count, the user's preferences and the
office's group robots."""

from __future__ import annotations

import pytest

from qualitycity import clock
from qualitycity.campaigns.models import Delivery, Notification, NotificationPreference, Robot
from qualitycity.orgs.choices import Role
from tests.factories import TODAY, html, make_task, persona

pytestmark = pytest.mark.django_db

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"


def test_the_header_counts_unread_and_the_inbox_links_to_the_work(
    client, campaign, office, liaison
):
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    client.force_login(liaison)
    page = html(client.get("/"))
    assert 'data-testid="unread-count">1<' in page
    inbox = html(client.get("/campaigns/notifications/"))
    note = Notification.objects.get(user=liaison)
    assert f'href="/campaigns/notifications/{note.pk}/"' in inbox
    assert "建立质量工作联席会议制度" in inbox
    opened = client.get(f"/campaigns/notifications/{note.pk}/")  # opening it marks it read
    assert opened.status_code == 302 and opened["Location"] == f"/campaigns/tasks/{task.pk}/"
    assert 'data-testid="unread-count"' not in html(client.get("/"))


def test_only_ones_own_notification_opens_and_only_to_this_site(client, campaign, office, liaison):
    with clock.pinned(TODAY):
        make_task(campaign, office)
    note = Notification.objects.get(user=liaison)
    client.force_login(office)
    assert client.get(f"/campaigns/notifications/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    Notification.objects.filter(pk=note.pk).update(url="//evil.example/x")
    client.force_login(liaison)
    response = client.get(f"/campaigns/notifications/{note.pk}/")
    assert response["Location"] == "/campaigns/notifications/"


def test_marking_all_read_clears_the_count(client, campaign, office, liaison):
    with clock.pinned(TODAY):
        make_task(campaign, office)
    client.force_login(liaison)
    client.post("/campaigns/notifications/")
    assert 'data-testid="unread-count"' not in html(client.get("/"))


def test_a_person_chooses_channels_per_event(client, liaison):
    client.force_login(liaison)
    page = html(client.get("/campaigns/notifications/preferences/"))
    assert 'name="task.assigned:email" aria-label' in page and "没有登记电子邮箱" in page
    form = {"task.assigned:in_app": "on", "report.accepted:in_app": "on"}
    response = client.post("/campaigns/notifications/preferences/", form)
    assert response.status_code == 302
    stored = NotificationPreference.objects.get(user=liaison, event="task.assigned")
    assert (stored.in_app, stored.email) == (True, False)
    off = NotificationPreference.objects.get(user=liaison, event="notice.issued")  # not ticked
    assert (off.in_app, off.email) == (False, False)
    assert not NotificationPreference.objects.filter(event="report.accepted").exists()  # default


def test_preferences_need_a_login(client):
    response = client.get("/campaigns/notifications/preferences/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_office_adds_tests_and_removes_a_robot(client, campaign, office):
    client.force_login(office)
    assert client.get(f"/campaigns/{campaign.pk}/robots/").status_code == 200
    response = client.post(
        f"/campaigns/{campaign.pk}/robots/",
        {
            "action": "add",
            "kind": "wecom",
            "name": "创质办群",
            "webhook": WECOM,
            "events": ["notice.issued"],
        },
    )
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert robot.events == ["notice.issued"] and robot.unit is None
    client.post(f"/campaigns/{campaign.pk}/robots/", {"action": "test", "robot": robot.pk})
    assert Delivery.objects.get().event == "robot.test"
    page = html(client.get(f"/campaigns/{campaign.pk}/robots/"))
    assert "创质办群" in page and "待发送" in page and "收到督办单" in page
    client.post(f"/campaigns/{campaign.pk}/robots/", {"action": "remove", "robot": robot.pk})
    assert not Robot.objects.exists()


def test_a_bad_webhook_is_a_400_with_the_reason_and_nothing_written(client, campaign, office):
    client.force_login(office)
    response = client.post(
        f"/campaigns/{campaign.pk}/robots/",
        {"action": "add", "kind": "wecom", "name": "群", "webhook": "https://evil.example/x"},
    )
    assert response.status_code == 400 and "企业微信" in html(response)
    response = client.post(
        f"/campaigns/{campaign.pk}/robots/", {"action": "test", "robot": "99999999999999999999"}
    )
    assert response.status_code == 404
    assert not Robot.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "leader", "county_office"])
def test_only_the_campaigns_office_reaches_the_robots(client, campaign, liaison, leader, who):
    user = {
        "liaison": liaison,
        "leader": leader,
        "county_office": persona("t-lst", Role.OFFICE, region_code="431103"),
    }[who]
    client.force_login(user)
    assert client.get(f"/campaigns/{campaign.pk}/robots/").status_code == 404
    response = client.post(
        f"/campaigns/{campaign.pk}/robots/",
        {"action": "add", "kind": "wecom", "name": "x", "webhook": WECOM},
    )
    assert response.status_code == 404 and not Robot.objects.exists()


def test_the_robot_page_queries_do_not_grow_with_robots_and_deliveries(
    client, campaign, office, django_assert_max_num_queries
):
    from qualitycity.campaigns import services

    client.force_login(office)
    client.get(f"/campaigns/{campaign.pk}/robots/")
    for i in range(2):
        services.add_robot(campaign, by=office, kind="wecom", name=f"群{i}", webhook=WECOM)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/campaigns/{campaign.pk}/robots/")
    for i in range(2, 8):
        robot = services.add_robot(campaign, by=office, kind="wecom", name=f"群{i}", webhook=WECOM)
        services.test_robot(robot, by=office)
    with django_assert_max_num_queries(len(few)):
        client.get(f"/campaigns/{campaign.pk}/robots/")


def test_oversized_ids_are_404s_not_500s(client, campaign, office):
    client.force_login(office)
    huge = "9" * 30
    assert client.get(f"/campaigns/notifications/{huge}/").status_code == 404
    assert client.get(f"/campaigns/{huge}/robots/").status_code == 404
