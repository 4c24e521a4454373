"""Entering indicator data: validation, scoping by responsible unit, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from qualitycity.audit.models import AuditEvent
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.indicators.access import (
    access_indicator,
    access_observation,
    entry_regions,
    visible_regions,
)
from qualitycity.indicators.models import Observation
from qualitycity.indicators.services import delete_observation, save_observation
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, Unit

pytestmark = pytest.mark.django_db


def _save(indicator, by, **kw):
    args = {"series": "value", "region": Region.objects.get(code="431100"), "period": "2018"}
    args.update(kw)
    args.setdefault("value", "95.1")
    return save_observation(indicator, by=by, **args)


def test_a_liaison_enters_its_own_units_indicator(indicators, liaison):
    cert = indicators["CERT_COVERAGE"]  # 市质监局
    assert cert.responsible_unit.name == "市质监局"
    obs = _save(cert, liaison, value="99.5%", source="市质监局统计", note="初报")
    assert obs.value == Decimal("99.5") and obs.period_end.isoformat() == "2018-12-31"
    assert obs.entered_by == liaison
    event = AuditEvent.objects.get(action="observation.created")
    assert event.actor == liaison and event.after["value"] == "99.5000"


def test_a_liaison_is_refused_another_units_indicator(indicators, liaison):
    housing = indicators["AFFORDABLE_HOUSING_ACCEPTANCE_RATE"]  # 市住建局
    with pytest.raises(NotAllowed, match="市住建局"):
        _save(housing, liaison)
    assert not Observation.objects.exists()


def test_a_liaison_gets_the_same_404_for_another_units_indicator_and_a_missing_one(
    indicators, liaison
):
    from django.http import Http404

    housing = indicators["AFFORDABLE_HOUSING_ACCEPTANCE_RATE"]
    assert access_indicator(liaison, housing.pk) == housing  # everyone reads
    with pytest.raises(Http404):
        access_indicator(liaison, housing.pk, enter=True)
    with pytest.raises(Http404):
        access_indicator(liaison, 999_999, enter=True)
    assert access_indicator(liaison, indicators["CERT_COVERAGE"].pk, enter=True)


def test_a_liaison_of_another_unit_cannot_touch_its_data(indicators, liaison, office, orgs):
    from django.http import Http404

    from qualitycity.orgs.models import User

    obs = _save(indicators["CERT_COVERAGE"], office)
    other = User.objects.create_user("t-zhujian", password="x")
    Membership.objects.create(
        user=other, role=Role.LIAISON, region=orgs, unit=Unit.objects.get(name="市住建局")
    )
    with pytest.raises(Http404):
        access_observation(other, obs.pk)
    with pytest.raises(NotAllowed):
        delete_observation(obs, by=other)
    assert access_observation(liaison, obs.pk) == obs


@pytest.mark.parametrize("persona", ["assessor", "leader", "outsider"])
def test_only_the_office_and_responsible_liaisons_enter_data(indicators, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        _save(indicators["CERT_COVERAGE"], user)


def test_the_office_enters_any_indicator_of_its_region(indicators, office):
    _save(indicators["AFFORDABLE_HOUSING_ACCEPTANCE_RATE"], office, value="100")
    assert Observation.objects.filter(region__code="431100").count() == 1


def test_national_averages_are_written_by_the_province_level_and_admins_only(
    indicators, office, liaison, province_office, admin_user
):
    """They serve every region: a city office or a liaison may not overwrite them."""
    ind = indicators["SPECIAL_EQUIPMENT_DEATH_RATE"]
    for user in (office, liaison):
        with pytest.raises(NotAllowed):
            _save(ind, user, series="national_average", region=None, value="0.24")
    assert not Observation.objects.exists()
    _save(ind, province_office, series="national_average", region=None, value="0.24")
    _save(ind, admin_user, series="national_average", region=None, value="0.25")
    assert Observation.objects.get(region__isnull=True).value == Decimal("0.25")
    obs = Observation.objects.get(region__isnull=True)
    for user in (office, liaison):
        with pytest.raises(Http404):
            access_observation(user, obs.pk)


def test_a_city_office_reads_but_does_not_write_its_counties_values(indicators, office):
    county = Region.objects.get(code="431103")
    with pytest.raises(NotAllowed):
        _save(indicators["CERT_COVERAGE"], office, region=county, value="99")
    assert county in visible_regions(office)
    assert county not in entry_regions(office, indicators["CERT_COVERAGE"])


def test_saving_again_corrects_the_value_with_before_and_after(indicators, office):
    ind = indicators["CERT_COVERAGE"]
    first = _save(ind, office, value="98")
    second = _save(ind, office, value="99")
    assert first.pk == second.pk and Observation.objects.count() == 1
    event = AuditEvent.objects.get(action="observation.changed")
    assert event.before["value"] == "98.0000" and event.after["value"] == "99.0000"
    _save(ind, office, value="99")  # same again: no event
    assert AuditEvent.objects.filter(action__startswith="observation.").count() == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"period": "2018Q1"}, "期间“2018Q1”无法识别"),
        ({"value": "abc"}, "不是数字"),
        ({"value": "101"}, "百分比必须在 0 到 100 之间"),
        ({"value": "1.23456"}, "最多保留四位小数"),
        ({"series": "national_average"}, "全国平均值不填写行政区"),
        ({"region": None}, "必须选择行政区"),
        ({"series": "guess"}, "数据序列“guess”无效"),
    ],
)
def test_bad_input_is_refused_with_a_message(indicators, office, kw, message):
    with pytest.raises(ValidationFailed, match=message):
        _save(indicators["CERT_COVERAGE"], office, **kw)


def test_ranks_are_whole_numbers(indicators, office):
    rank = indicators["IMPORT_INSPECTION_RANK"]
    with pytest.raises(ValidationFailed, match="排名必须是不小于 1 的整数"):
        _save(rank, office, series="rank", value="2.5")
    assert _save(rank, office, series="rank", value="7").value == 7


def test_delete_records_the_value(indicators, office):
    obs = _save(indicators["CERT_COVERAGE"], office)
    delete_observation(obs, by=office)
    assert not Observation.objects.exists()
    assert AuditEvent.objects.get(action="observation.deleted").before["value"] == "95.1000"


def test_one_value_per_series_region_and_period_in_the_database(indicators, office, city):
    from django.db import IntegrityError, transaction

    ind = indicators["CERT_COVERAGE"]
    _save(ind, None, series="national_average", region=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=ind,
            series="national_average",
            period="2018",
            period_end="2018-12-31",
            value=1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.create(
            indicator=ind, series="value", period="2017", period_end="2017-12-31", value=1
        )


def _entries(indicators, city, *values):
    from qualitycity.indicators.periods import ANNUAL, Period
    from qualitycity.indicators.services import Entry

    cert = indicators["CERT_COVERAGE"]
    return [
        Entry(cert, "value", city, Period(year, 0, ANNUAL), Decimal(value), "统计")
        for year, value in values
    ]


def test_missing_observations_are_added_once_and_corrections_are_kept(indicators, city, office):
    from qualitycity.indicators.services import add_missing_observations

    entries = _entries(indicators, city, (2017, "99.2"), (2018, "100"))
    before = AuditEvent.objects.count()
    assert add_missing_observations(entries) == 2
    assert AuditEvent.objects.filter(action="observation.created").count() == 2
    assert AuditEvent.objects.count() == before + 2
    obs = Observation.objects.get(period="2018")
    assert (obs.value, obs.source, obs.entered_by) == (Decimal("100"), "统计", None)
    save_observation(
        obs.indicator, by=office, series="value", region=city, period="2018", value="98"
    )
    events = AuditEvent.objects.count()
    assert add_missing_observations(entries) == 0
    assert AuditEvent.objects.count() == events
    assert Observation.objects.get(period="2018").value == Decimal("98")
    assert add_missing_observations(entries + _entries(indicators, city, (2016, "98.5"))) == 1


def test_a_user_adds_only_the_observations_it_may_enter(indicators, city, liaison):
    from qualitycity.indicators.periods import ANNUAL, Period
    from qualitycity.indicators.services import Entry, add_missing_observations

    housing = indicators["AFFORDABLE_HOUSING_ACCEPTANCE_RATE"]  # 市住建局
    theirs = Entry(housing, "value", city, Period(2018, 0, ANNUAL), Decimal("99"))
    with pytest.raises(NotAllowed, match="保障房工程质量一次验收合格率"):
        add_missing_observations([*_entries(indicators, city, (2018, "100")), theirs], by=liaison)
    assert not Observation.objects.exists()
    assert add_missing_observations(_entries(indicators, city, (2018, "100")), by=liaison) == 1
    assert Observation.objects.get().entered_by == liaison
