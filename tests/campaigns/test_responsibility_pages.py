"""责任分工: the campaign's responsibility table page. Everyone who reads the campaign reads it;
the office maps printed names, assigns units to rows that print none and resolves the table
again; bad input is refused with a message and a 400, changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.urls import reverse

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import WorkRole
from qualitycity.campaigns.models import NameMapping, ResponsibleUnit, Task
from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.loader import load_framework
from qualitycity.frameworks.models import Criterion, CriterionUnit
from qualitycity.orgs.models import Region, Unit, UnitGroup
from tests.factories import html
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

RENAMED = "市住房和城乡建设局"  # what 市住建局 is called after the directory changed


def url(campaign, **query) -> str:
    base = reverse("campaigns:responsibilities", args=[campaign.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def table_state(campaign) -> list[tuple]:
    return sorted(
        ResponsibleUnit.objects.filter(campaign=campaign).values_list(
            "criterion_id", "role", "position", "printed_name", "unit_id", "group_id"
        )
    )


def dim_printing(campaign, name: str) -> int:
    """The number of the first dimension whose rows print a name."""
    return (
        CriterionUnit.objects.filter(criterion__framework=campaign.framework, printed_name=name)
        .order_by("criterion__position")
        .values_list("criterion__item__dimension__number", flat=True)
        .first()
    )


def value(target) -> str:
    return f"{'unit' if isinstance(target, Unit) else 'group'}:{target.pk}"


@pytest.fixture
def renamed(campaign, office, zhujian):
    """The directory renamed 市住建局 after the table was printed: its printed name is unknown."""
    Unit.objects.filter(pk=zhujian.pk).update(name=RENAMED)
    campaign_services.resolve_responsibilities(campaign, by=office)
    assert ResponsibleUnit.objects.filter(
        campaign=campaign, printed_name="市住建局", unit__isnull=True, group__isnull=True
    ).exists()
    return campaign


@pytest.fixture
def county_unit(orgs):
    """A unit of 零陵区's directory, not the city's."""
    return Unit.objects.create(
        region=Region.objects.get(code="431102"), code="ll-zjj", name="区住建局", kind="政府部门"
    )


def small_table(tmp_path) -> object:
    """A table without a unit column: two rows, no lead or cooperating units printed."""
    data = {
        "code": "no-units",
        "title": "无责任单位的评分表",
        "dimensions": [
            {
                "number": 1,
                "title": "组织",
                "items": [
                    {
                        "code": "1.1",
                        "title": "机制",
                        "max_points": 20,
                        "criteria": [
                            {
                                "row": 1,
                                "text": "1.建立联席会议制度(10分)",
                                "points": 10,
                                "rule": {"type": "binary"},
                            },
                            {
                                "row": 2,
                                "text": "2.召开质量工作部门联席会议(10分)",
                                "points": 10,
                                "rule": {"type": "manual", "step": 1},
                            },
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "no-units.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    framework, _created = load_framework(path)
    return framework


@pytest.fixture
def bare(tmp_path, office, city):
    framework = small_table(tmp_path)
    assert not CriterionUnit.objects.filter(criterion__framework=framework).exists()
    return campaign_services.create_campaign(
        by=office,
        name="无责任单位的创建工作",
        region=city,
        framework=framework,
        start=dt.date(2018, 1, 1),
        end=dt.date(2018, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进阶段", dt.date(2018, 1, 1), dt.date(2018, 12, 31))
        ],
    )


# --- reading -----------------------------------------------------------------------------------


def test_the_office_reads_the_summary_and_the_table(client, campaign, office):
    client.force_login(office)
    response = client.get(url(campaign))
    assert response.status_code == 200
    body = html(response)
    entries = ResponsibleUnit.objects.filter(campaign=campaign).count()
    assert 'data-testid="count-rows">125<' in body
    assert f'data-testid="count-resolved">{entries}<' in body
    assert 'data-testid="count-unresolved">0<' in body
    assert 'data-testid="count-without-lead">0<' in body
    assert 'data-testid="no-unknown-names"' in body
    assert "重新匹配" in body and 'value="resolve"' in body
    # One dimension at a time: the first one's rows, links to the others.
    assert ">1.1.1<" in body and 'data-testid="dimension-nav"' in body
    second = html(client.get(url(campaign, dim=2)))
    assert ">1.1.1<" not in second and ">2." in second


def test_the_tab_is_among_the_campaigns_tabs(client, campaign, liaison):
    client.force_login(liaison)
    body = html(client.get(reverse("campaigns:timeline", args=[campaign.pk])))
    assert url(campaign) in body and "责任分工" in body


def test_an_unknown_name_is_listed_with_its_rows_and_suggestions(client, renamed, office, zhujian):
    client.force_login(office)
    body = html(client.get(url(renamed)))
    rows = (
        CriterionUnit.objects.filter(
            criterion__framework=renamed.framework, printed_name="市住建局"
        )
        .values("criterion")
        .distinct()
        .count()
    )
    assert 'data-name="市住建局"' in body
    assert f"列出该名称的细则:{rows} 条" in body
    assert f'name="target" value="unit:{zhujian.pk}">{RENAMED}</button>' in body
    unresolved = ResponsibleUnit.objects.filter(
        campaign=renamed, unit__isnull=True, group__isnull=True
    ).count()
    assert f'data-testid="count-unresolved">{unresolved}<' in body
    table = html(client.get(url(renamed, dim=dim_printing(renamed, "市住建局"))))
    assert 'data-status="unresolved"' in table and "未匹配</span>" in table


# --- mapping names -----------------------------------------------------------------------------


def test_the_office_maps_a_name_and_tasks_then_reach_that_unit(client, renamed, office, zhujian):
    leads = set(
        CriterionUnit.objects.filter(
            criterion__framework=renamed.framework, printed_name="市住建局", role="lead"
        ).values_list("criterion_id", flat=True)
    )
    assert leads
    before = {r.criterion_id: r.units for r in campaign_services.responsibilities(renamed)}
    assert any(before[c].get(zhujian.pk) != WorkRole.LEAD for c in leads)

    client.force_login(office)
    response = client.post(
        url(renamed),
        {"action": "map", "printed_name": "市住建局", "target": f"unit:{zhujian.pk}"},
    )
    assert response.status_code == 302
    assert NameMapping.objects.get(campaign=renamed, printed_name="市住建局").unit == zhujian
    assert not ResponsibleUnit.objects.filter(
        campaign=renamed, printed_name="市住建局", unit__isnull=True
    ).exists()
    after = {r.criterion_id: r.units for r in campaign_services.responsibilities(renamed)}
    assert all(after[c][zhujian.pk] == WorkRole.LEAD for c in leads)

    phase = renamed.phases.get(name="全面推进阶段")
    campaign_services.generate_tasks(renamed, by=office, phase=phase)
    assert (
        set(
            Task.objects.filter(campaign=renamed, unit=zhujian, role=WorkRole.LEAD).values_list(
                "criterion_id", flat=True
            )
        )
        >= leads
    )

    body = html(client.get(url(renamed)))
    assert 'data-testid="no-unknown-names"' in body
    assert "市住建局 → <strong>" + RENAMED in body and "删除对应" in body
    table = html(client.get(url(renamed, dim=dim_printing(renamed, "市住建局"))))
    assert 'data-status="mapped"' in table and "已对应" in table


def test_the_select_maps_a_name_to_a_group(client, renamed, office):
    group = UnitGroup.objects.filter(region=renamed.region).first()
    client.force_login(office)
    response = client.post(
        url(renamed), {"action": "map", "printed_name": "市住建局", "choice": value(group)}
    )
    assert response.status_code == 302
    assert NameMapping.objects.get(campaign=renamed, printed_name="市住建局").group == group


def test_removing_a_mapping_leaves_the_name_unresolved_again(client, renamed, office, zhujian):
    campaign_services.map_name(renamed, by=office, printed_name="市住建局", target=zhujian)
    client.force_login(office)
    response = client.post(url(renamed), {"action": "unmap", "printed_name": "市住建局"})
    assert response.status_code == 302
    assert not NameMapping.objects.filter(campaign=renamed).exists()
    assert ResponsibleUnit.objects.filter(
        campaign=renamed, printed_name="市住建局", unit__isnull=True
    ).exists()


def test_resolving_again_reads_the_changed_directory(client, renamed, office, zhujian):
    Unit.objects.filter(pk=zhujian.pk).update(name="市住建局")
    client.force_login(office)
    response = client.post(url(renamed), {"action": "resolve"})
    assert response.status_code == 302
    assert not ResponsibleUnit.objects.filter(
        campaign=renamed, unit__isnull=True, group__isnull=True
    ).exists()
    assert "已按单位名录重新匹配" in html(client.get(url(renamed)))


# --- a table without a unit column -------------------------------------------------------------


def test_a_table_without_units_shows_every_row_unassigned_and_the_office_assigns_leads(
    client, bare, office, zhijian, zhujian
):
    group = UnitGroup.objects.filter(region=bare.region).first()
    client.force_login(office)
    body = html(client.get(url(bare)))
    assert 'data-testid="count-rows">2<' in body
    assert 'data-testid="count-without-lead">2<' in body
    assert 'data-testid="count-unresolved">0<' in body
    first, second = Criterion.objects.filter(framework=bare.framework).order_by("position")
    assert f'data-criterion="{first.pk}"' in body and f'data-criterion="{second.pk}"' in body

    form = html(client.get(url(bare, assign=first.pk)))
    assert 'data-testid="assign-form"' in form
    assert f'name="lead" value="unit:{zhijian.pk}"' in form
    assert f'name="cooperating" value="group:{group.pk}"' in form

    response = client.post(
        url(bare),
        {
            "action": "assign",
            "criterion": first.pk,
            "lead": [value(zhijian)],
            "cooperating": [value(zhujian), value(group)],
        },
    )
    assert response.status_code == 302
    entries = ResponsibleUnit.objects.filter(campaign=bare, criterion=first).order_by(
        "role", "position"
    )
    assert [(e.role, e.printed_name, e.unit_id, e.group_id) for e in entries] == [
        (WorkRole.COOPERATING, "", zhujian.pk, None),
        (WorkRole.COOPERATING, "", None, group.pk),
        (WorkRole.LEAD, "", zhijian.pk, None),
    ]
    resp = {r.criterion_id: r.units for r in campaign_services.responsibilities(bare)}
    assert resp[first.pk][zhijian.pk] == WorkRole.LEAD
    assert resp[first.pk][zhujian.pk] == WorkRole.COOPERATING

    body = html(client.get(url(bare)))
    assert 'data-testid="count-without-lead">1<' in body
    assert f'data-criterion="{second.pk}"' in body.split('data-testid="without-lead"')[1]
    assert 'data-status="assigned"' in body
    # The form of an assigned row shows what it has, ticked.
    form = html(client.get(url(bare, assign=first.pk)))
    assert f'name="lead" value="unit:{zhijian.pk}" checked' in form
    assert "清除分配" in form

    response = client.post(url(bare), {"action": "unassign", "criterion": first.pk})
    assert response.status_code == 302
    assert not ResponsibleUnit.objects.filter(campaign=bare).exists()


# --- who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["liaison", "leader", "assessor", "province_office"])
def test_others_read_the_page_without_forms_and_get_404_on_post(
    request, client, renamed, who, zhujian
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url(renamed))
    assert response.status_code == 200
    body = html(response)
    assert 'data-name="市住建局"' in body
    assert 'name="action"' not in body and "重新匹配" not in body and "分配单位" not in body
    criterion = Criterion.objects.filter(framework=renamed.framework).first()
    before = table_state(renamed)
    for data in (
        {"action": "resolve"},
        {"action": "map", "printed_name": "市住建局", "target": value(zhujian)},
        {"action": "unmap", "printed_name": "市住建局"},
        {"action": "assign", "criterion": criterion.pk, "lead": [value(zhujian)]},
    ):
        assert client.post(url(renamed), data).status_code == 404
    assert table_state(renamed) == before
    assert not NameMapping.objects.filter(campaign=renamed).exists()


def test_an_outsider_gets_404(client, campaign, outsider):
    client.force_login(outsider)
    assert client.get(url(campaign)).status_code == 404
    assert client.post(url(campaign), {"action": "resolve"}).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, campaign):
    response = client.get(url(campaign))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- bad input ---------------------------------------------------------------------------------


def bad_inputs(campaign, county_unit, tmp_path):
    criterion = Criterion.objects.filter(framework=campaign.framework).first()
    other = Criterion.objects.filter(framework=small_table(tmp_path)).first()
    zhijian = Unit.objects.get(name="市质监局", region=campaign.region)
    not_in = "所选单位不在本创建工作所在行政区的单位名录中。"
    return [
        ({"action": "map", "printed_name": "市住建局", "target": value(county_unit)}, not_in),
        ({"action": "map", "printed_name": "市住建局", "target": "unit:999999"}, not_in),
        ({"action": "map", "printed_name": "市住建局", "choice": "abc"}, not_in),
        ({"action": "map", "printed_name": "市住建局", "choice": ""}, "请在单位名录中选择"),
        (
            {"action": "map", "printed_name": "市卫健委", "target": value(zhijian)},
            "本创建工作的考核评分体系中没有“市卫健委”这一单位名称。",
        ),
        ({"action": "unmap", "printed_name": "市住建局"}, "“市住建局”没有设置对应单位。"),
        ({"action": "assign", "criterion": criterion.pk, "lead": [value(county_unit)]}, not_in),
        ({"action": "assign", "criterion": criterion.pk, "lead": []}, "请至少选择一个牵头单位。"),
        (
            {"action": "assign", "criterion": criterion.pk, "cooperating": [value(zhijian)]},
            "请至少选择一个牵头单位。",
        ),
        (
            {
                "action": "assign",
                "criterion": criterion.pk,
                "lead": [value(zhijian)],
                "cooperating": [value(zhijian)],
            },
            "“市质监局”不能同时是牵头单位和配合单位。",
        ),
        (
            {"action": "assign", "criterion": other.pk, "lead": [value(zhijian)]},
            "该评分细则不属于本创建工作的考核评分体系。",
        ),
        (
            {"action": "assign", "criterion": "999999", "lead": [value(zhijian)]},
            "该评分细则不属于本创建工作的考核评分体系。",
        ),
        ({"action": "drop-table"}, "未知的操作。"),
    ]


def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, renamed, office, county_unit, tmp_path
):
    client.force_login(office)
    before = table_state(renamed)
    for data, message in bad_inputs(renamed, county_unit, tmp_path):
        response = client.post(url(renamed), data)
        assert response.status_code == 400, data
        assert message in html(response), data
        assert table_state(renamed) == before, data
        assert not NameMapping.objects.filter(campaign=renamed).exists(), data


def test_a_refused_assignment_keeps_the_form_open_with_what_was_ticked(
    client, bare, office, county_unit, zhijian
):
    criterion = Criterion.objects.filter(framework=bare.framework).first()
    client.force_login(office)
    response = client.post(
        url(bare),
        {
            "action": "assign",
            "criterion": criterion.pk,
            "lead": [value(zhijian), value(county_unit)],
        },
    )
    assert response.status_code == 400
    body = html(response)
    assert 'data-testid="assign-form"' in body
    assert f'name="lead" value="unit:{zhijian.pk}" checked' in body


def test_the_service_refuses_a_unit_of_another_region(renamed, office, county_unit):
    with pytest.raises(ValidationFailed) as exc:
        campaign_services.map_name(renamed, by=office, printed_name="市住建局", target=county_unit)
    assert "区住建局" in exc.value.messages[0]
    assert not NameMapping.objects.filter(campaign=renamed).exists()


# --- queries -----------------------------------------------------------------------------------


def test_the_page_runs_the_same_queries_whatever_the_table_holds(
    client, campaign, office, zhijian, zhujian
):
    client.force_login(office)
    client.get(url(campaign))  # the session and the translations warm up
    empty = count_queries(lambda: client.get(url(campaign)))
    open_form = count_queries(lambda: client.get(url(campaign, assign=1)))

    criteria = list(Criterion.objects.filter(framework=campaign.framework).order_by("position"))
    group = UnitGroup.objects.filter(region=campaign.region).first()
    for c in criteria[:20]:
        campaign_services.assign_row_units(
            campaign, by=office, criterion=c, lead=[zhijian], cooperating=[group]
        )
    Unit.objects.filter(pk=zhujian.pk).update(name=RENAMED)
    for name in ("市卫生计生委", "市交通运输局"):
        Unit.objects.filter(name=name).update(name=name + "(新)")
    campaign_services.resolve_responsibilities(campaign, by=office)
    campaign_services.map_name(campaign, by=office, printed_name="市住建局", target=zhujian)
    full = count_queries(lambda: client.get(url(campaign)))
    response = client.get(url(campaign))
    assert 'data-testid="unknown-names"' in html(response)
    assert 'data-status="assigned"' in html(response)
    full_form = count_queries(lambda: client.get(url(campaign, assign=criteria[0].pk)))
    print(f"queries: {empty} empty, {full} with entries and mappings, {full_form} with the form")
    assert full == empty
    assert full_form == open_form


def test_oversized_ids_are_answered_as_missing_not_a_500(client, campaign, office):
    huge = "9" * 23
    client.force_login(office)
    assert (
        client.get(f"/campaigns/{campaign.pk}/responsibilities/?assign={huge}").status_code == 200
    )
    response = client.post(
        f"/campaigns/{campaign.pk}/responsibilities/", {"action": "unassign", "criterion": huge}
    )
    assert 400 <= response.status_code < 500
