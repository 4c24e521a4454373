"""How a refused request is answered (docs/architecture.md, "Refused input is a 400"): the page
the user was on, with the reason, status 400, at its own address again (base.html's
data-page-url, which ui.js restores), with every security header; an htmx form gets only the
message; a refused sign-in is a 400 too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qualitycity import clock
from tests.factories import PASSWORD, TODAY, html, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(campaign, office):
    with clock.pinned(TODAY):
        return make_task(campaign, office)


def test_a_refused_action_shows_its_page_with_the_reason_and_its_address(client, office, task):
    client.force_login(office)
    response = client.post(reverse("campaigns:task_action", args=[task.pk, "cancel"]), {})
    assert response.status_code == 400
    body = html(response)
    assert "取消任务必须说明原因。" in body
    detail = reverse("campaigns:task_detail", args=[task.pk])
    assert f'data-page-url="{detail}"' in body  # ui.js puts the address back
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]
    # the message was shown once: the next page does not repeat it
    assert "取消任务必须说明原因。" not in html(client.get(detail))


def test_a_page_shown_at_its_own_address_has_no_page_url(client, office, task):
    client.force_login(office)
    assert "data-page-url" not in html(client.get(reverse("campaigns:task_detail", args=[task.pk])))


def test_a_control_character_in_an_htmx_form_answers_only_the_message(client, office, open_round):
    client.force_login(office)
    criterion = open_round.campaign.framework.criteria.order_by("position").first()
    response = client.post(
        reverse("assessments:score_save", args=[open_round.pk, criterion.pk]),
        {"value": "1", "version": "0", "comment": "已出台\x0b文件"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#qc-messages" and response["HX-Reswap"] == "afterbegin"
    body = html(response)
    assert "控制字符" in body and "<nav" not in body and "<html" not in body
    assert not open_round.scores.exists()


def test_a_refused_sign_in_is_a_400(client, office):
    response = client.post(reverse("login"), {"username": office.username, "password": "wrong"})
    assert response.status_code == 400
    assert (
        client.post(
            reverse("login"), {"username": office.username, "password": PASSWORD}
        ).status_code
        == 302
    )
