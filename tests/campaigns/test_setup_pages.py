"""The office sets up and administers its own campaigns: a new campaign in one step (phases,
the 25 measures, tasks), its settings, phases and measures; nothing of another region, and
nothing written on a refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import services
from qualitycity.campaigns.models import Campaign, Measure, Phase, Task
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from tests.factories import events, html, make_task, persona, phase_of
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def county_office(orgs):
    return persona("t-lst-office", Role.OFFICE, region_code="431103")


@pytest.fixture
def county_campaign(yongzhou):
    return services.create_campaign(
        by=None,
        name="冷水滩区创建质量强区",
        region=Region.objects.get(code="431103"),
        framework=yongzhou,
        start=D(2018, 3, 1),
        end=D(2020, 12, 31),
        phases=[services.PhaseSpec("全面推进", D(2018, 3, 1), D(2020, 12, 31))],
    )


def _data(region, framework, rows=None, **over):
    rows = (
        rows
        if rows is not None
        else [
            ("规划筹建阶段", "2018-01-01", "2018-03-31"),
            ("全面推进阶段", "2018-04-01", "2019-06-30"),
        ]
    )
    data = {
        "region": region.pk,
        "name": "永州市创建质量强市(第二轮)",
        "framework": framework.pk,
        "start": "2018-01-01",
        "end": "2019-06-30",
        "report_period": "quarter",
        "report_deadline_days": "7",
        "blue_days": "4",
        "grace_days": "10",
        "reports_from": "lead",
        "builtin_measures": "on",
        "tasks_phase": "1",
        "phases-TOTAL_FORMS": str(len(rows)),
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "12",
    }
    for i, (name, start, end) in enumerate(rows):
        data[f"phases-{i}-name"] = name
        data[f"phases-{i}-start"] = start
        data[f"phases-{i}-end"] = end
        data[f"phases-{i}-description"] = ""
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _written():
    return (Campaign.objects.count(), Phase.objects.count(), AuditEvent.objects.count())


# --- creation ----------------------------------------------------------------------------------


def test_the_office_sets_up_a_campaign_with_phases_measures_and_tasks(client, office, yongzhou):
    client.force_login(office)
    page = client.get("/campaigns/new/")
    assert page.status_code == 200 and 'name="phases-3-name"' in html(page)
    assert 'data-testid="campaign-create"' in html(client.get("/campaigns/"))
    response = client.post("/campaigns/new/", _data(office.memberships.get().region, yongzhou))
    campaign = Campaign.objects.get(name="永州市创建质量强市(第二轮)")
    assert response.status_code == 302 and response.url == f"/campaigns/{campaign.pk}/"
    assert (campaign.report_period, campaign.report_deadline_days, campaign.blue_days) == (
        "quarter",
        7,
        4,
    )
    assert (campaign.reports_from, campaign.grace_days) == ("lead", 10)
    assert [(p.position, p.name) for p in campaign.phases.all()] == [
        (1, "规划筹建阶段"),
        (2, "全面推进阶段"),
    ]
    assert campaign.measures.count() == 25
    tasks = Task.objects.filter(campaign=campaign)
    assert tasks.exists() and set(tasks.values_list("phase__name", flat=True)) == {"全面推进阶段"}
    assert tasks.filter(measure__isnull=False).exists()
    assert campaign.responsible_units.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"campaign.created", "measures.loaded", "tasks.generated"} <= actions


def test_a_campaign_without_measures_or_tasks(client, office, yongzhou):
    client.force_login(office)
    data = _data(office.memberships.get().region, yongzhou, tasks_phase="")
    data.pop("builtin_measures")
    assert client.post("/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(name="永州市创建质量强市(第二轮)")
    assert not campaign.measures.exists() and not campaign.tasks.exists()


@pytest.mark.parametrize(
    ("rows", "over", "message"),
    [
        ([("一", "2017-12-01", "2018-03-31")], {}, "阶段“一”早于创建工作的开始日期。"),
        ([("一", "2018-01-01", "2019-12-31")], {}, "阶段“一”晚于创建工作的结束日期。"),
        (
            [("一", "2018-01-01", "2018-06-30"), ("二", "2018-06-01", "2019-06-30")],
            {},
            "阶段“一”与“二”的日期重叠。",
        ),
        (
            [("一", "2018-06-01", "2019-06-30"), ("二", "2018-01-01", "2018-03-31")],
            {},
            "请按时间顺序填写",
        ),
        ([("一", "2018-03-01", "2018-02-01")], {}, "阶段“一”的结束日期早于开始日期。"),
        ([], {"tasks_phase": ""}, "至少需要一个工作阶段。"),
        ([("一", "", "2018-02-01")], {}, "这个字段是必填项。"),
        ([("一", "2018-01-01", "2018-02-01")], {"end": "2017-01-01"}, "结束日期不能早于开始日期。"),
        ([("一", "2018-01-01", "2018-02-01")], {"name": ""}, "这个字段是必填项。"),
        ([("一", "2018-01-01", "2018-02-01")], {"blue_days": "-1"}, "确保该值大于或等于0"),
        ([("一", "2018-01-01", "2018-02-01")], {"grace_days": "91"}, "确保该值小于或等于90"),
        ([("一", "2018-01-01", "2018-02-01")], {"tasks_phase": "1"}, "选择一个有效的选项"),
    ],
)
def test_a_refused_campaign_says_why_and_writes_nothing(
    client, office, yongzhou, rows, over, message
):
    client.force_login(office)
    before = _written()
    data = _data(office.memberships.get().region, yongzhou, rows=rows, **over)
    if "tasks_phase" not in over:
        data["tasks_phase"] = "0"
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 400
    assert message in html(response)
    assert _written() == before


def test_measures_the_directory_does_not_know_refuse_the_whole_campaign(
    client, county_office, yongzhou
):
    """The county's directory lacks the plan's city units: nothing is written, the reason shown."""
    client.force_login(county_office)
    before = _written()
    county = Region.objects.get(code="431103")
    response = client.post("/campaigns/new/", _data(county, yongzhou))
    assert response.status_code == 400
    assert "不是本行政区名录中的单位或单位组" in html(response)
    assert _written() == before


def test_adding_a_phase_row_keeps_what_was_typed_and_writes_nothing(client, office, yongzhou):
    client.force_login(office)
    before = _written()
    data = _data(office.memberships.get().region, yongzhou, add_phase="1")
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 200
    assert 'name="phases-2-name"' in html(response) and "全面推进阶段" in html(response)
    assert _written() == before


def test_a_removed_row_is_left_out(client, office, yongzhou):
    client.force_login(office)
    rows = [
        ("一", "2018-01-01", "2018-03-31"),
        ("废弃", "2017-01-01", "2017-02-01"),
        ("二", "2018-04-01", "2019-06-30"),
    ]
    data = _data(office.memberships.get().region, yongzhou, rows=rows, tasks_phase="2")
    data["phases-1-DELETE"] = "on"
    assert client.post("/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(name="永州市创建质量强市(第二轮)")
    assert list(campaign.phases.values_list("name", flat=True)) == ["一", "二"]
    assert set(campaign.tasks.values_list("phase__name", flat=True)) == {"二"}


def test_an_office_cannot_set_up_a_campaign_in_another_region(
    client, county_office, office, yongzhou
):
    client.force_login(county_office)
    before = _written()
    response = client.post("/campaigns/new/", _data(office.memberships.get().region, yongzhou))
    assert response.status_code == 400 and "选择一个有效的选项" in html(response)
    assert _written() == before
    with pytest.raises(NotAllowed):
        services.set_up_campaign(
            by=county_office,
            region=office.memberships.get().region,
            framework=yongzhou,
            name="x",
            start=D(2018, 1, 1),
            end=D(2018, 12, 31),
            phases=[services.PhaseSpec("一", D(2018, 1, 1), D(2018, 12, 31))],
        )


def test_an_administrator_chooses_the_region(client, admin_user, yongzhou):
    client.force_login(admin_user)
    county = Region.objects.get(code="431103")
    assert f'value="{county.pk}"' in html(client.get("/campaigns/new/"))
    data = _data(county, yongzhou, tasks_phase="")
    data.pop("builtin_measures")
    assert client.post("/campaigns/new/", data).status_code == 302
    assert Campaign.objects.get(name="永州市创建质量强市(第二轮)").region == county


@pytest.mark.parametrize("who", ["liaison", "leader", "assessor", "outsider"])
def test_only_offices_reach_the_new_campaign_page(client, request, who, yongzhou):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get("/campaigns/new/").status_code == 404
    assert client.post("/campaigns/new/", {}).status_code == 404
    assert 'data-testid="campaign-create"' not in html(client.get("/campaigns/"))


def test_the_service_refuses_phases_outside_the_campaign(office, yongzhou):
    before = _written()
    with pytest.raises(ValidationFailed, match="晚于创建工作的结束日期"):
        services.set_up_campaign(
            by=office,
            region=office.memberships.get().region,
            framework=yongzhou,
            name="x",
            start=D(2018, 1, 1),
            end=D(2018, 12, 31),
            phases=[services.PhaseSpec("一", D(2018, 1, 1), D(2019, 12, 31))],
        )
    assert _written() == before


# --- settings ----------------------------------------------------------------------------------


def _settings(campaign, **over):
    data = {
        "name": campaign.name,
        "start": campaign.start.isoformat(),
        "end": campaign.end.isoformat(),
        "report_period": campaign.report_period,
        "report_deadline_days": campaign.report_deadline_days,
        "blue_days": campaign.blue_days,
        "grace_days": campaign.grace_days,
        "reports_from": campaign.reports_from,
    }
    data.update(over)
    return data


def test_the_office_changes_the_settings_audited(client, office, campaign):
    client.force_login(office)
    detail = html(client.get(f"/campaigns/{campaign.pk}/"))
    assert f"/campaigns/{campaign.pk}/edit/" in detail
    assert f"/campaigns/{campaign.pk}/phases/" in detail
    assert f"/campaigns/{campaign.pk}/measures/edit/" in detail
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 200
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/",
        _settings(campaign, blue_days=6, grace_days=0, end="2019-12-31"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.blue_days, campaign.grace_days, campaign.end) == (6, 0, D(2019, 12, 31))
    [event] = events(campaign, "campaign.changed")
    assert event.before["blue_days"] == 3 and event.after["blue_days"] == 6
    assert event.before["grace_days"] == 7 and event.after["grace_days"] == 0


def test_dates_that_leave_out_a_phase_or_a_task_are_refused(client, office, campaign):
    client.force_login(office)
    make_task(campaign, office)
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _settings(campaign, end="2019-01-31"))
    assert response.status_code == 400
    body = html(response)
    assert "超出了新的起止日期,请先修改该阶段" in body
    assert "项工作任务超出了新的起止日期" in body
    campaign.refresh_from_db()
    assert campaign.end == D(2019, 10, 31) and not events(campaign, "campaign.changed").exists()


def _admin_urls(campaign):
    phase = campaign.phases.first()
    urls = [
        f"/campaigns/{campaign.pk}/edit/",
        f"/campaigns/{campaign.pk}/phases/",
        f"/campaigns/phases/{phase.pk}/edit/",
        f"/campaigns/phases/{phase.pk}/remove/",
        f"/campaigns/{campaign.pk}/measures/edit/",
        f"/campaigns/{campaign.pk}/measures/new/",
    ]
    measure = campaign.measures.first()
    if measure:
        urls += [
            f"/campaigns/measures/{measure.pk}/edit/",
            f"/campaigns/measures/{measure.pk}/remove/",
        ]
    return urls


@pytest.mark.parametrize("who", ["liaison", "leader", "assessor", "county_office"])
def test_the_administration_pages_are_the_offices_only(client, request, who, campaign, office):
    services.load_measures(campaign, by=office)
    client.force_login(request.getfixturevalue(who))
    before = _written()
    for url in _admin_urls(campaign):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url
    assert _written() == before


def test_a_city_office_reading_a_county_campaign_gets_the_404_on_its_write_pages(
    client, office, county_campaign
):
    client.force_login(office)
    assert client.get(f"/campaigns/{county_campaign.pk}/").status_code == 200
    assert 'data-testid="campaign-admin-links"' not in html(
        client.get(f"/campaigns/{county_campaign.pk}/")
    )
    for url in _admin_urls(county_campaign):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    with pytest.raises(NotAllowed):
        services.save_phase(
            county_campaign, by=office, name="x", start=D(2018, 3, 1), end=D(2018, 4, 1)
        )


# --- phases ------------------------------------------------------------------------------------


def _phase(name="迎检准备", start="2019-08-01", end="2019-08-31", description=""):
    return {"name": name, "start": start, "end": end, "description": description}


def test_the_office_adds_edits_and_removes_a_phase(client, office, campaign):
    client.force_login(office)
    assert client.get(f"/campaigns/{campaign.pk}/phases/").status_code == 200
    # The printed plan's overlap (总结验收 begins in 巩固提升's last month) is kept, not a new one.
    response = client.post(
        f"/campaigns/{campaign.pk}/phases/", _phase(start="2019-11-01", end="2019-11-30")
    )
    assert response.status_code == 400 and "晚于创建工作的结束日期" in html(response)
    response = client.post(f"/campaigns/{campaign.pk}/phases/", _phase())
    assert response.status_code == 400 and "日期重叠" in html(response)
    last = campaign.phases.get(name="总结验收阶段")
    response = client.post(
        f"/campaigns/phases/{last.pk}/edit/",
        _phase(name="总结验收阶段", start="2019-09-01", end="2019-10-31", description="验收"),
    )
    assert response.status_code == 302
    assert events(last, "phase.changed").exists()
    assert client.post(f"/campaigns/{campaign.pk}/phases/", _phase()).status_code == 302
    new = campaign.phases.get(name="迎检准备")
    assert events(new, "phase.created").exists()
    assert list(campaign.phases.values_list("name", flat=True)) == [
        "规划筹建阶段",
        "全面推进阶段",
        "巩固提升阶段",
        "迎检准备",
        "总结验收阶段",
    ]
    assert list(campaign.phases.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert client.post(f"/campaigns/phases/{new.pk}/remove/").status_code == 302
    assert not Phase.objects.filter(pk=new.pk).exists()
    assert AuditEvent.objects.filter(action="phase.removed", object_id=str(new.pk)).exists()


def test_a_phase_with_tasks_is_not_removed(client, office, campaign):
    client.force_login(office)
    make_task(campaign, office)
    phase = phase_of(campaign)
    response = client.post(f"/campaigns/phases/{phase.pk}/remove/")
    assert response.status_code == 409
    assert "已有 1 项工作任务,不能删除" in html(response)
    assert Phase.objects.filter(pk=phase.pk).exists()
    assert not AuditEvent.objects.filter(action="phase.removed").exists()


def test_the_last_phase_is_not_removed(county_office, county_campaign):
    with pytest.raises(ValidationFailed, match="至少需要一个工作阶段"):
        services.remove_phase(county_campaign.phases.get(), by=county_office)


def test_the_phase_page_runs_a_fixed_number_of_queries(client, county_office, county_campaign):
    client.force_login(county_office)
    url = f"/campaigns/{county_campaign.pk}/phases/"
    few = count_queries(lambda: client.get(url))
    first = county_campaign.phases.get()
    services.save_phase(
        county_campaign,
        by=county_office,
        phase=first,
        name="全面推进",
        start=D(2018, 3, 1),
        end=D(2018, 12, 31),
    )
    for i, year in enumerate((2019, 2020)):
        services.save_phase(
            county_campaign,
            by=county_office,
            name=f"阶段{i}",
            start=D(year, 1, 1),
            end=D(year, 12, 31),
        )
    assert county_campaign.phases.count() == 3
    assert count_queries(lambda: client.get(url)) == few


# --- measures ----------------------------------------------------------------------------------


def _measure(**over):
    data = {
        "number": "26",
        "section": "(三)加强质量基础",
        "title": "推进标准化建设",
        "text": "组织制定地方标准。",
        "bracket": "(市质监局牵头,市住建局配合)",
        "lead_units": "市质监局",
        "cooperating_units": "市住建局",
        "criteria": "1.1.1",
    }
    data.update(over)
    return data


def test_the_office_adds_edits_and_removes_a_measure(client, office, campaign):
    client.force_login(office)
    services.load_measures(campaign, by=office)
    assert client.get(f"/campaigns/{campaign.pk}/measures/edit/").status_code == 200
    assert client.get(f"/campaigns/{campaign.pk}/measures/new/").status_code == 200
    assert client.post(f"/campaigns/{campaign.pk}/measures/new/", _measure()).status_code == 302
    measure = campaign.measures.get(number=26)
    assert {(u.role, u.printed_name) for u in measure.units.all()} == {
        ("lead", "市质监局"),
        ("cooperating", "市住建局"),
    }
    assert list(measure.criteria.values_list("key", flat=True)) == ["1.1.1"]
    assert events(measure, "measure.created").exists()
    page = client.get(f"/campaigns/measures/{measure.pk}/edit/")
    assert "市质监局" in html(page) and "1.1.1" in html(page)
    response = client.post(
        f"/campaigns/measures/{measure.pk}/edit/",
        _measure(title="推进标准化战略", cooperating_units="", criteria=""),
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "推进标准化战略" and not measure.criteria.exists()
    assert measure.units.count() == 1
    [changed] = events(measure, "measure.changed")
    assert changed.before["title"] == "推进标准化建设"
    assert client.post(f"/campaigns/measures/{measure.pk}/remove/").status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"lead_units": "市不存在局"}, "“市不存在局”不是本行政区名录中的单位或单位组。"),
        ({"criteria": "9.9.9"}, "评分细则 9.9.9 不存在。"),
        ({"number": "1"}, "序号 1 已被另一项措施使用。"),
        ({"title": ""}, "这个字段是必填项。"),
        ({"lead_units": "、"}, "至少需要一个牵头单位。"),
    ],
)
def test_a_refused_measure_says_why_and_writes_nothing(client, office, campaign, over, message):
    services.load_measures(campaign, by=office)
    client.force_login(office)
    before = (Measure.objects.count(), AuditEvent.objects.count())
    response = client.post(f"/campaigns/{campaign.pk}/measures/new/", _measure(**over))
    assert response.status_code == 400 and message in html(response)
    assert (Measure.objects.count(), AuditEvent.objects.count()) == before


def test_a_measure_with_tasks_is_not_removed(client, office, campaign):
    services.load_measures(campaign, by=office)
    services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    measure = campaign.measures.get(number=1)
    client.force_login(office)
    response = client.post(f"/campaigns/measures/{measure.pk}/remove/")
    assert response.status_code == 409 and "项工作任务,不能删除" in html(response)
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_the_measure_page_runs_a_fixed_number_of_queries(client, office, campaign):
    client.force_login(office)
    url = f"/campaigns/{campaign.pk}/measures/edit/"
    services.save_measure(
        campaign,
        by=office,
        number=1,
        section="",
        title="一",
        text="一",
        bracket="",
        lead_units=["市质监局"],
    )
    few = count_queries(lambda: client.get(url))
    services.load_measures(campaign, by=office)
    services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    assert campaign.measures.count() == 25
    assert count_queries(lambda: client.get(url)) == few


def test_offered_rows_left_without_dates_are_left_out(client, office, yongzhou):
    """The page offers the plan's four phase names; rows keeping only the name are not phases."""
    client.force_login(office)
    page = html(client.get("/campaigns/new/"))
    assert 'name="phases-INITIAL_FORMS" value="0"' in page and 'value="总结验收阶段"' in page
    rows = [
        ("规划筹建阶段", "2018-01-01", "2018-03-31"),
        ("全面推进阶段", "2018-04-01", "2019-06-30"),
        ("巩固提升阶段", "", ""),
        ("总结验收阶段", "", ""),
    ]
    data = _data(office.memberships.get().region, yongzhou, rows=rows, tasks_phase="")
    assert client.post("/campaigns/new/", data).status_code == 302
    campaign = Campaign.objects.get(name="永州市创建质量强市(第二轮)")
    assert campaign.phases.count() == 2


def test_oversized_ids_are_answered_as_missing_not_a_500(client, office, campaign):
    huge = "9" * 23
    client.force_login(office)
    for url in (
        f"/campaigns/{huge}/edit/",
        f"/campaigns/{huge}/phases/",
        f"/campaigns/phases/{huge}/edit/",
        f"/campaigns/phases/{huge}/remove/",
        f"/campaigns/{huge}/measures/edit/",
        f"/campaigns/measures/{huge}/edit/",
        f"/campaigns/measures/{huge}/remove/",
    ):
        assert client.post(url).status_code == 404, url
    data = _data(office.memberships.get().region, campaign.framework, tasks_phase=huge)
    data["region"] = huge
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 400
