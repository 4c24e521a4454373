"""主要措施 pages (/campaigns/<pk>/measures/ and …/<number>/) and the task list's filters by
measure, scoring row and dimension: contents, rolled-up figures, access per role and region,
bad filter values, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns.choices import TaskStatus
from qualitycity.campaigns.models import Measure, Task
from qualitycity.orgs import services as org_services
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from tests.factories import TODAY, html, make_task, phase_of
from tests.factories import persona as make_user
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

CULTURE = 5  # 打造深化城市质量文化: 市委宣传部 lead, named cooperating units, a group, aliases


@pytest.fixture(autouse=True)
def pinned_day(settings):
    settings.QC_TODAY = TODAY


@pytest.fixture
def measured(campaign, office):
    """The campaign with its 25 measures loaded and tasks generated for 全面推进."""
    campaign_services.load_measures(campaign, by=office)
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    return campaign


@pytest.fixture
def culture(measured):
    return Measure.objects.get(campaign=measured, number=CULTURE)


def measure_task(measure, unit_name):
    return Task.objects.get(measure=measure, unit__name=unit_name)


@pytest.fixture
def worked(culture, office):
    """Measure 5's tasks: one at 90%, one done, one cancelled, one overdue, the rest at 0%."""
    campaign_services.update_progress(measure_task(culture, "市委宣传部"), by=office, progress=90)
    campaign_services.update_progress(
        measure_task(culture, "市城管局"), by=office, progress=100, done=True
    )
    campaign_services.cancel_task(measure_task(culture, "永州日报社"), by=office, reason="并入")
    campaign_services.redate_task(
        measure_task(culture, "市文体广新局"), by=office, due=dt.date(2018, 9, 1)
    )
    return culture


def row_of(body: str, number: int) -> str:
    match = re.search(rf'<tr data-measure="{number}">.*?</tr>', body, re.S)
    assert match, f"no row for measure {number}"
    return match.group(0)


def task_ids(body: str) -> list[int]:
    match = re.search(r'data-testid="tasks".*?</table>', body, re.S)
    assert match
    return [int(pk) for pk in re.findall(r'<tr data-task="(\d+)"', match.group(0))]


def list_url(campaign):
    return reverse("campaigns:measure_list", args=[campaign.pk])


def detail_url(campaign, number):
    return reverse("campaigns:measure_detail", args=[campaign.pk, number])


def tasks_url(campaign):
    return reverse("campaigns:task_list", args=[campaign.pk])


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_every_measure_with_its_section_units_and_rows(client, office, culture):
    campaign = culture.campaign
    client.force_login(office)
    body = html(client.get(list_url(campaign)))
    assert len(re.findall(r'<tr data-measure="\d+">', body)) == 25
    assert "(二)打造城市特色质量文化,全民共建共享" in body
    row = row_of(body, CULTURE)
    assert "打造深化城市质量文化" in row and detail_url(campaign, CULTURE) in row
    assert "市委宣传部" in row
    # As printed, and as the directory knows it.
    assert "市广播电视台" in row and "→ 永州电视台" in row
    assert "各县区政府" in row and "单位组" in row
    assert re.search(r'data-testid="rows">3<', row)


def test_the_list_rolls_up_each_measures_tasks(client, office, worked):
    campaign = worked.campaign
    total = Task.objects.filter(measure=worked).exclude(status=TaskStatus.CANCELLED).count()
    client.force_login(office)
    row = row_of(html(client.get(list_url(campaign))), CULTURE)
    # (90 + 100 + 0 × (total − 2)) / total, rounded; one done; one overdue (red).
    progress = round(190 / total)
    assert f'data-progress="{progress}"' in row
    assert f"完成 1/{total}" in row
    assert re.search(r'data-testid="overdue">1<', row)
    assert f"?measure={worked.pk}&amp;colour=red" in row
    assert f"{tasks_url(campaign)}?measure={worked.pk}&amp;status=done" in row
    assert re.search(r'data-status="done">已完成 1<', row)
    assert re.search(r'data-status="cancelled">已取消 1<', row)
    assert re.search(rf'data-testid="total">{total} 项<', row)
    yellow = total - 3  # not the done one, the overdue one or the one at 90%
    assert re.search(rf'data-colour="yellow" [^>]*>黄 {yellow}<', row)


def test_each_figure_links_to_a_task_list_with_the_same_count(client, office, worked):
    campaign = worked.campaign
    client.force_login(office)
    row = row_of(html(client.get(list_url(campaign))), CULTURE)
    for query, expected in (
        ("", Task.objects.filter(measure=worked).count()),
        ("&status=done", 1),
        ("&colour=red", 1),
        ("&status=cancelled", 1),
    ):
        assert f"?measure={worked.pk}{query.replace('&', '&amp;')}" in row
        body = html(client.get(tasks_url(campaign) + f"?measure={worked.pk}{query}"))
        assert len(task_ids(body)) == expected, query


def test_a_campaign_without_measures_says_so(client, office, campaign):
    client.force_login(office)
    body = html(client.get(list_url(campaign)))
    assert 'data-testid="no-measures"' in body


# --- the detail -------------------------------------------------------------------------------


def test_the_detail_shows_text_bracket_units_rows_and_tasks(client, office, worked):
    campaign = worked.campaign
    client.force_login(office)
    response = client.get(detail_url(campaign, CULTURE))
    assert response.status_code == 200
    body = html(response)
    assert "组织开展城市质量精神征集和研讨活动" in body
    assert "(市委宣传部牵头,市创质办、市文体广新局" in body
    assert "→ 永州经济技术开发区管委会" in body
    keys = re.findall(r'data-testid="criterion-link"[^>]*>([\d.]+)<', body)
    assert keys == ["2.1.1", "2.2.1", "2.2.2"]
    framework = reverse("frameworks:detail", args=[campaign.framework_id])
    for criterion in worked.criteria.select_related("item"):
        assert f"{framework}#item-{criterion.item.code}" in body
        assert f"{tasks_url(campaign)}?criterion={criterion.pk}" in body
        assert f"{tasks_url(campaign)}?dimension={criterion.item.dimension_id}" in body
    ids = task_ids(body)
    assert sorted(ids) == sorted(Task.objects.filter(measure=worked).values_list("pk", flat=True))
    lead = measure_task(worked, "市委宣传部")
    assert ids[0] == lead.pk  # the lead unit first
    assert re.search(rf'<tr data-task="{lead.pk}"[^>]*>.*?90%', body, re.S)
    overdue = measure_task(worked, "市文体广新局")
    assert f'<tr data-task="{overdue.pk}" data-colour="red"' in body
    assert re.search(r'data-testid="overdue">1<', body)


def test_the_detail_rolls_up_each_linked_rows_tasks(client, office, measured):
    measure = Measure.objects.get(campaign=measured, number=CULTURE)
    criterion = measure.criteria.order_by("position").first()
    row_tasks = list(Task.objects.filter(criterion=criterion))
    campaign_services.update_progress(row_tasks[0], by=office, progress=100, done=True)
    client.force_login(office)
    body = html(client.get(detail_url(measured, CULTURE)))
    row = re.search(rf'<tr data-criterion="{criterion.pk}">.*?</tr>', body, re.S).group(0)
    assert re.search(rf'data-testid="row-tasks">{len(row_tasks)} 项<', row)
    assert f"完成 1/{len(row_tasks)}" in row


@pytest.mark.parametrize("number", [0, 26, 99999999999999999999])
def test_an_unknown_measure_number_is_404(client, office, measured, number):
    client.force_login(office)
    assert client.get(f"/campaigns/{measured.pk}/measures/{number}/").status_code == 404


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "leader", "assessor", "admin_user", "liaison"])
def test_whoever_reads_the_campaign_reads_its_measures(request, client, culture, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(list_url(culture.campaign)).status_code == 200
    assert client.get(detail_url(culture.campaign, CULTURE)).status_code == 200


def test_someone_outside_the_region_gets_404(client, outsider, culture):
    client.force_login(outsider)
    assert client.get(list_url(culture.campaign)).status_code == 404
    assert client.get(detail_url(culture.campaign, CULTURE)).status_code == 404


def test_another_citys_office_and_liaison_get_404(client, culture, admin_user):
    province = Region.objects.create(code="320000", name="江苏省", kind="province")
    city = Region.objects.create(code="321200", name="泰州市", kind="city", parent=province)
    org_services.save_unit(
        None, by=admin_user, name="市质监局", kind="政府部门", region=city, code="tz-zjj"
    )
    for user in (
        make_user("t-tz-office", Role.OFFICE, region_code="321200"),
        make_user("t-tz-liaison", Role.LIAISON, "市质监局", region_code="321200"),
    ):
        client.force_login(user)
        assert client.get(list_url(culture.campaign)).status_code == 404
        assert client.get(detail_url(culture.campaign, CULTURE)).status_code == 404


def test_a_liaison_counts_only_its_own_units_tasks(client, liaison, culture):
    """市质监局's liaison: measure 5 has no task of 市质监局, measure 1 one (各成员单位)."""
    client.force_login(liaison)
    body = html(client.get(list_url(culture.campaign)))
    assert 'data-testid="own-tasks-only"' in body
    assert re.search(r'data-testid="total">0 项<', row_of(body, CULTURE))
    own = Task.objects.filter(
        measure__campaign=culture.campaign, measure__number=1, unit__name="市质监局"
    ).count()
    assert re.search(rf'data-testid="total">{own} 项<', row_of(body, 1))
    detail = html(client.get(detail_url(culture.campaign, CULTURE)))
    assert task_ids(detail) == []


def test_a_city_office_reads_a_countys_measures_read_only(client, office, yongzhou):
    county = Region.objects.get(code="431103")
    county_office = make_user("t-lst-office", Role.OFFICE, region_code="431103")
    county_campaign = campaign_services.create_campaign(
        by=county_office,
        name="冷水滩区创建质量强区",
        region=county,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进", dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        ],
    )
    client.force_login(office)
    body = html(client.get(list_url(county_campaign)))
    assert 'data-testid="read-only"' in body and "冷水滩区创质办管理" in body
    client.force_login(county_office)
    assert 'data-testid="read-only"' not in html(client.get(list_url(county_campaign)))


def test_pages_need_a_login(client, culture):
    for url in (list_url(culture.campaign), detail_url(culture.campaign, CULTURE)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- links ------------------------------------------------------------------------------------


def test_the_campaign_page_and_tabs_link_the_measures(client, office, culture):
    client.force_login(office)
    url = list_url(culture.campaign)
    assert url in html(client.get(reverse("campaigns:detail", args=[culture.campaign_id])))
    board = html(client.get(reverse("campaigns:responsibilities", args=[culture.campaign_id])))
    assert url in board


def test_a_measures_task_links_its_measure(client, office, culture):
    client.force_login(office)
    task = measure_task(culture, "市委宣传部")
    body = html(client.get(reverse("campaigns:task_detail", args=[task.pk])))
    assert detail_url(culture.campaign, CULTURE) in body


# --- task list filters ------------------------------------------------------------------------


def test_the_task_list_filters_by_measure_row_and_dimension(client, office, worked):
    campaign = worked.campaign
    criterion = worked.criteria.select_related("item").order_by("position").first()
    dimension_id = criterion.item.dimension_id
    client.force_login(office)
    url = tasks_url(campaign)

    def ids(**query):
        return set(task_ids(html(client.get(url, query))))

    assert ids(measure=worked.pk) == set(
        Task.objects.filter(measure=worked).values_list("pk", flat=True)
    )
    assert ids(criterion=criterion.pk) == set(
        Task.objects.filter(criterion=criterion).values_list("pk", flat=True)
    )
    in_dimension = Task.objects.filter(campaign=campaign, criterion__item__dimension=dimension_id)
    body = html(client.get(url, {"dimension": dimension_id}))
    assert f'data-testid="total">共 {in_dimension.count()} 项<' in body
    assert set(task_ids(body)) <= set(in_dimension.values_list("pk", flat=True))
    assert in_dimension.count() > 0
    assert ids(dimension=dimension_id, status="done") == set(
        in_dimension.filter(status="done").values_list("pk", flat=True)
    )
    # Combined with each other and with the existing filters.
    lead = measure_task(worked, "市委宣传部")
    assert ids(measure=worked.pk, unit=lead.unit_id) == {lead.pk}
    assert ids(measure=worked.pk, status="done") == {measure_task(worked, "市城管局").pk}
    assert ids(measure=worked.pk, colour="red") == {measure_task(worked, "市文体广新局").pk}
    assert ids(measure=worked.pk, criterion=criterion.pk) == set()  # a measure's tasks have no row
    both = in_dimension.filter(criterion=criterion)
    assert ids(dimension=dimension_id, criterion=criterion.pk) == set(
        both.values_list("pk", flat=True)
    )
    other = Task.objects.filter(campaign=campaign, criterion__isnull=False).exclude(
        criterion__item__dimension=dimension_id
    )
    assert ids(dimension=dimension_id, criterion=other.first().criterion_id) == set()


def test_the_filters_stay_in_the_url_and_can_be_cleared(client, office, worked):
    client.force_login(office)
    body = html(client.get(tasks_url(worked.campaign), {"measure": worked.pk}))
    assert f'<option value="{worked.pk}" selected>5、打造深化城市质量文化</option>' in body
    assert f'href="{tasks_url(worked.campaign)}" data-testid="clear-filters"' in body
    assert f'href="{detail_url(worked.campaign, CULTURE)}" data-testid="measure-page"' in body
    unfiltered = html(client.get(tasks_url(worked.campaign)))
    assert 'data-testid="clear-filters"' not in unfiltered
    assert 'data-testid="measure-page"' not in unfiltered


@pytest.mark.parametrize(
    "value", ["abc", "-1", "1.5", "99999999999999999999", "0x10", "' OR 1=1", "9" * 400]
)
@pytest.mark.parametrize("name", ["measure", "criterion", "dimension"])
def test_bad_filter_values_are_ignored_with_a_message(client, office, measured, name, value):
    client.force_login(office)
    url = tasks_url(measured)
    everything = len(task_ids(html(client.get(url))))
    response = client.get(url, {name: value})
    assert response.status_code == 200
    body = html(response)
    assert 'data-testid="invalid-filters"' in body and "筛选条件无效,已忽略" in body
    assert len(task_ids(body)) == everything
    assert 'data-testid="clear-filters"' in body


def test_ids_of_another_campaign_or_framework_are_ignored(client, office, measured, yongzhou):
    second = campaign_services.create_campaign(
        by=office,
        name="第二项创建工作",
        region=measured.region,
        framework=yongzhou,
        start=dt.date(2018, 1, 1),
        end=dt.date(2019, 12, 31),
        phases=[
            campaign_services.PhaseSpec("全面推进", dt.date(2018, 1, 1), dt.date(2019, 12, 31))
        ],
    )
    campaign_services.load_measures(second, by=office)
    foreign = Measure.objects.get(campaign=second, number=CULTURE)
    client.force_login(office)
    body = html(client.get(tasks_url(measured), {"measure": foreign.pk, "status": "done"}))
    assert "筛选条件无效,已忽略:主要措施。" in body
    done = Task.objects.filter(campaign=measured, status=TaskStatus.DONE).count()
    assert len(task_ids(body)) == done  # the other filters still apply
    body = html(client.get(tasks_url(second), {"measure": foreign.pk}))
    assert 'data-testid="invalid-filters"' not in body


# --- query counts -----------------------------------------------------------------------------


def test_the_pages_run_a_fixed_number_of_queries(client, office, campaign):
    campaign_services.load_measures(campaign, by=office)
    client.force_login(office)
    urls = [
        list_url(campaign),
        detail_url(campaign, CULTURE),
        tasks_url(campaign) + "?measure=1&dimension=2&criterion=3",
    ]
    for url in urls:
        client.get(url)
    few = [count_queries(lambda u=url: client.get(u)) for url in urls]
    make_task(campaign, office)
    created = campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    assert created > 200
    many = [count_queries(lambda u=url: client.get(u)) for url in urls]
    assert many == few
    # Filtered lists of different sizes (18, 35 tasks, a dimension's hundreds) cost the same.
    measures = Measure.objects.filter(campaign=campaign)
    filtered = [
        tasks_url(campaign),
        tasks_url(campaign) + f"?measure={measures.get(number=CULTURE).pk}",
        tasks_url(campaign) + f"?measure={measures.get(number=1).pk}&status=not_started",
        tasks_url(campaign) + "?dimension=" + str(culture_dimension(campaign)),
    ]
    client.get(filtered[0])
    counts = {count_queries(lambda u=url: client.get(u)) for url in filtered}
    assert len(counts) == 1, counts


def culture_dimension(campaign):
    measure = Measure.objects.get(campaign=campaign, number=CULTURE)
    return measure.criteria.select_related("item").first().item.dimension_id
