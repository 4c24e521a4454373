"""The indicator board, an indicator's page with data entry: access, content, query counts."""

from __future__ import annotations

import pytest

from qualitycity.demo.indicators import ensure_demo_indicators
from qualitycity.indicators.models import Indicator, Observation
from qualitycity.indicators.services import save_observation
from tests.helpers import codes_shown, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(orgs):
    ensure_demo_indicators()
    return {i.code: i for i in Indicator.objects.all()}


def test_the_board_shows_traffic_lights_by_category(client, demo, leader):
    client.force_login(leader)
    response = client.get("/indicators/?as_of=2019-05-31")
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ("产品质量指标", "工程质量指标", "服务质量指标"):
        assert heading in body
    counts = response.context["counts"]
    assert counts == {"met": 15, "not_met": 6, "no_data": 1}
    assert body.count('data-status="met"') == 15
    assert body.count('class="qc-indicator-chart qc-spark"') == 22
    assert "2016–2018年:5.2% → 6.8% → 6.5%,未连续提高" in body
    assert 'href="/indicators/"' in body  # the navigation link
    assert "导入数据" not in body  # leaders read only


def test_the_board_marks_what_a_liaison_enters(client, demo, liaison):
    client.force_login(liaison)
    body = client.get("/indicators/").content.decode()
    assert body.count("可填报") == 3  # 市质监局's three indicators
    assert "导入数据" in body


def test_the_board_and_pages_are_404_for_outsiders(client, demo, outsider):
    client.force_login(outsider)
    assert client.get("/indicators/").status_code == 404
    assert client.get(f"/indicators/{demo['CERT_COVERAGE'].pk}/").status_code == 404


def test_anonymous_users_are_sent_to_login(client, demo):
    response = client.get("/indicators/")
    assert response.status_code == 302 and "/login/" in response.url


def test_the_indicator_page_shows_history_target_and_benchmark(client, demo, leader):
    client.force_login(leader)
    ind = demo["SPECIAL_EQUIPMENT_DEATH_RATE"]
    response = client.get(f"/indicators/{ind.pk}/")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["labels"] == ["2014", "2015", "2016", "2017", "2018"]
    assert [s["kind"] for s in chart["series"]] == ["value", "benchmark"]
    assert chart["series"][1]["values"][-1] == 0.24
    body = response.content.decode()
    assert "低于全国平均水平" in body and "特种设备万台设备事故死亡率" in body
    assert 'data-testid="entry-form"' not in body  # leaders do not enter data
    rank = client.get(f"/indicators/{demo['IMPORT_INSPECTION_RANK'].pk}/").context["chart"]
    assert rank["inverse"] is True and rank["target"]["value"] == 10


def test_a_liaison_enters_data_on_its_indicator_page(client, demo, liaison, city):
    client.force_login(liaison)
    ind = demo["CERT_COVERAGE"]
    url = f"/indicators/{ind.pk}/"
    assert 'data-testid="entry-form"' in client.get(url).content.decode()
    response = client.post(
        url,
        {"series": "value", "region": city.pk, "period": "2019", "value": "100", "source": "年报"},
    )
    assert response.status_code == 302
    obs = Observation.objects.get(indicator=ind, period="2019")
    assert obs.entered_by == liaison and obs.source == "年报"
    bad = client.post(url, {"series": "value", "region": city.pk, "period": "19", "value": "x"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "期间“19”无法识别" in body and "数值“x”不是数字" in body


def test_a_liaison_cannot_post_to_another_units_indicator(client, demo, liaison, city):
    client.force_login(liaison)
    ind = demo["AFFORDABLE_HOUSING_ACCEPTANCE_RATE"]
    url = f"/indicators/{ind.pk}/"
    assert client.get(url).status_code == 200  # reads it
    assert 'data-testid="entry-form"' not in client.get(url).content.decode()
    response = client.post(
        url, {"series": "value", "region": city.pk, "period": "2019", "value": "100"}
    )
    assert response.status_code == 404
    assert not Observation.objects.filter(indicator=ind, period="2019").exists()
    other = Observation.objects.filter(indicator=ind).first()
    assert client.post(f"/indicators/observations/{other.pk}/delete/").status_code == 404
    assert Observation.objects.filter(pk=other.pk).exists()


def test_a_liaison_corrects_and_deletes_its_own_data(client, demo, liaison):
    client.force_login(liaison)
    ind = demo["CERT_COVERAGE"]
    obs = Observation.objects.get(indicator=ind, period="2018")
    page = client.get(f"/indicators/{ind.pk}/?edit={obs.pk}")
    assert page.context["form"].initial["value"] == "100"
    response = client.post(f"/indicators/observations/{obs.pk}/delete/")
    assert response.status_code == 302
    assert not Observation.objects.filter(pk=obs.pk).exists()


def _more_data(demo, office, city, n):
    ind = demo["PRODUCT_SUPERVISION_PASS_RATE"]
    for year in range(1995, 1995 + n):
        save_observation(ind, by=office, series="value", region=city, period=str(year), value="90")
        save_observation(
            ind, by=None, series="national_average", region=None, period=str(year), value="91"
        )
    return ind


def test_page_queries_do_not_grow_with_observations(client, demo, office, city):
    client.force_login(office)
    ind = demo["PRODUCT_SUPERVISION_PASS_RATE"]
    client.get("/indicators/")
    board = count_queries(lambda: client.get("/indicators/"))
    detail = count_queries(lambda: client.get(f"/indicators/{ind.pk}/"))
    _more_data(demo, office, city, 15)
    assert count_queries(lambda: client.get("/indicators/")) == board
    assert count_queries(lambda: client.get(f"/indicators/{ind.pk}/")) == detail
    assert board <= 12 and detail <= 14


def test_pages_name_indicators_and_never_show_their_codes(client, demo, leader):
    """Issue 11: codes such as NATIONAL_SUPERVISION_PASS_RATE were shown where a name exists."""
    client.force_login(leader)
    pages = ["/indicators/", *(f"/indicators/{i.pk}/" for i in demo.values())]
    for url in pages:
        assert codes_shown(client.get(url).content.decode(), demo) == set(), url
    assert (
        demo["NATIONAL_SUPERVISION_PASS_RATE"].name in client.get("/indicators/").content.decode()
    )


def test_observation_values_print_without_trailing_zeros(client, demo, leader):
    """Issue 11: values printed as “93.1000”; now as the number with its unit (93.1%)."""
    client.force_login(leader)
    ind = demo["NATIONAL_SUPERVISION_PASS_RATE"]
    body = client.get(f"/indicators/{ind.pk}/").content.decode()
    values = [
        o.value for o in Observation.objects.filter(indicator=ind, series="value").order_by("pk")
    ]
    assert values and any(v != v.to_integral_value() for v in values)
    assert ".1000" not in body and "0000<" not in body
    for value in values:
        shown = f"{value.normalize():f}{ind.measure_unit}"
        assert f">{shown}<" in body, shown
    rank = demo["IMPORT_INSPECTION_RANK"]
    rank_body = client.get(f"/indicators/{rank.pk}/").content.decode()
    assert ".0000" not in rank_body
