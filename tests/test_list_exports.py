"""xlsx exports of list pages with the list's current filters."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_task

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return [r for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_task_list_exports_its_filtered_rows(client, office, campaign):
    make_task(campaign, office, title="建立质量工作联席会议制度")
    make_task(campaign, office, title="=1+2 公式样标题")
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    page = client.get(url, {"q": "联席"}).content.decode()
    assert 'data-testid="export-xlsx"' in page
    rows = sheet(client.get(url, {"q": "联席", "format": "xlsx"}))
    titles = [r[0] for r in rows]
    assert "任务" in titles and "建立质量工作联席会议制度" in titles
    assert "=1+2 公式样标题" not in titles
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert "=1+2 公式样标题" in [r[0] for r in rows]  # text, not a formula


def test_a_liaisons_task_export_has_only_their_units_tasks(
    client, office, liaison, campaign, other_unit
):
    make_task(campaign, office, title="本单位任务")
    make_task(campaign, office, title="其他单位任务", unit_name=other_unit.name)
    client.force_login(liaison)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    titles = [r[0] for r in sheet(client.get(url, {"format": "xlsx"}))]
    assert "本单位任务" in titles and "其他单位任务" not in titles


def test_the_task_export_query_count_does_not_grow(
    client, office, campaign, django_assert_max_num_queries
):
    client.force_login(office)
    url = reverse("campaigns:task_list", args=[campaign.pk])
    make_task(campaign, office, title="任务0")
    with django_assert_max_num_queries(30) as few:
        sheet(client.get(url, {"format": "xlsx"}))
    for n in range(1, 8):
        make_task(campaign, office, title=f"任务{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        sheet(client.get(url, {"format": "xlsx"}))


def test_the_finding_list_exports_its_filtered_rows(client, office, open_round, outsider, settings):
    import datetime as dt

    from qualitycity.assessments import services as round_services
    from tests.factories import criteria_of

    settings.QC_TODAY = dt.date(2019, 4, 20)
    criteria = criteria_of(open_round)
    round_services.create_finding(
        open_round, criteria[0], by=office, due=dt.date(2019, 6, 30), title="=HYPERLINK(1) 问题"
    )
    round_services.create_finding(
        open_round, criteria[1], by=office, due=dt.date(2019, 6, 30), title="另一问题"
    )
    client.force_login(office)
    url = reverse("assessments:finding_list")
    assert 'data-testid="export-xlsx"' in client.get(url).content.decode()
    rows = sheet(client.get(url, {"format": "xlsx"}))
    titles = [r[2] for r in rows]
    assert "问题" in titles and "=HYPERLINK(1) 问题" in titles and "另一问题" in titles
    first = next(r for r in rows if r[2] == "另一问题")
    assert first[0] == open_round.name and first[1] == criteria[1].row
    rows = sheet(client.get(url, {"format": "xlsx", "status": "verified"}))
    assert rows[0][0].startswith("筛选条件:") and "另一问题" not in [r[2] for r in rows]
    client.force_login(outsider)  # scoped like the page: nothing of another region
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert "另一问题" not in [r[2] for r in rows]


# --- notices, progress reports, indicator data, audit search ------------------------------------


def _notice(campaign, office, *, unit_name="市质监局", content="请按期完成。"):
    import datetime as dt

    from qualitycity.campaigns import services as campaign_services
    from tests.factories import unit

    task = make_task(
        campaign,
        office,
        unit_name=unit_name,
        title=f"逾期任务{content}",
        start=dt.date(2018, 1, 1),
        due=dt.date(2018, 6, 1),
    )
    return campaign_services.issue_notice(
        campaign,
        by=office,
        unit=unit(unit_name),
        tasks=[task],
        content=content,
        response_due=dt.date(2018, 9, 25),
        today=dt.date(2018, 9, 10),
    )


def test_the_notice_list_exports_its_filtered_rows(client, office, liaison, campaign, settings):
    import datetime as dt

    settings.QC_TODAY = dt.date(2018, 9, 30)
    mine = _notice(campaign, office, content="+请按期完成联席会议制度")
    _notice(campaign, office, unit_name="市住建局", content="住建督办")
    client.force_login(office)
    url = reverse("campaigns:notice_list", args=[campaign.pk])
    assert 'data-testid="export-xlsx"' in client.get(url).content.decode()
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert rows[0][0] == "编号" and len(rows) == 3
    line = next(r for r in rows if r[0] == mine.number)
    assert line[2] == "市质监局" and line[3] == "+请按期完成联席会议制度"
    assert line[4] == dt.datetime(2018, 9, 25) and line[10] == "是"  # past its response date
    rows = sheet(client.get(url, {"format": "xlsx", "unit": mine.unit_id}))
    assert rows[0][0] == "筛选条件:督办单位:市质监局"
    assert [r[3] for r in rows[2:]] == ["+请按期完成联席会议制度"]
    client.force_login(liaison)  # the liaison's own unit only, as on the page
    rows = sheet(client.get(url, {"format": "xlsx"}))
    assert [r[2] for r in rows[1:]] == ["市质监局"]


def test_the_monthly_overview_exports_every_owed_report_of_the_period(
    client, office, liaison, campaign, settings
):
    import datetime as dt

    from qualitycity.campaigns import services as campaign_services

    settings.QC_TODAY = dt.date(2018, 9, 10)
    done = make_task(campaign, office, title="=SUM(A1) 已报送任务")
    make_task(campaign, office, title="未报送任务", unit_name="市住建局")
    campaign_services.save_report(
        done,
        by=liaison,
        period_start=dt.date(2018, 8, 1),
        text="完成联席会议。",
        percent=60,
        submit=True,
    )
    client.force_login(office)
    url = reverse("campaigns:monthly_overview", args=[campaign.pk])
    assert 'data-testid="export-xlsx"' in client.get(url, {"period": "2018-08"}).content.decode()
    rows = sheet(client.get(url, {"period": "2018-08", "format": "xlsx"}))
    assert rows[0][0].startswith("周期:2018年8月")
    assert rows[1][:2] == ("单位", "工作任务")
    by_title = {r[1]: r for r in rows[2:]}
    assert by_title["=SUM(A1) 已报送任务"][4:7] == (60, "完成联席会议。", "已提交")
    assert by_title["未报送任务"][0] == "市住建局" and by_title["未报送任务"][6] == "未填报"
    client.force_login(liaison)  # the overview is the office's: the export too
    assert client.get(url, {"period": "2018-08", "format": "xlsx"}).status_code == 404


def test_indicator_data_exports_in_the_import_layout_and_imports_back(
    client, office, admin_user, orgs
):
    from qualitycity.demo.indicators import ensure_demo_indicators
    from qualitycity.indicators import imports
    from qualitycity.indicators.models import Indicator

    ensure_demo_indicators()
    client.force_login(office)
    body = client.get(reverse("indicators:board")).content.decode()
    assert 'data-testid="export-xlsx"' in body
    response = client.get(reverse("indicators:board"), {"format": "xlsx"})
    data = b"".join(response.streaming_content)
    rows = [r for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert rows[0][:5] == ("指标代码", "数据序列", "行政区", "期间", "数值")
    assert len(rows) > 20 and {r[0] for r in rows[1:]} <= set(
        Indicator.objects.values_list("code", flat=True)
    )
    # the national series is the admin's to write: the admin imports the whole file back
    checked = imports.check_rows(imports.read_table("data.xlsx", data), by=admin_user)
    assert checked.clean, [r.problems for r in checked.bad][:3]
    assert len(checked.entries()) == len(rows) - 1
    one = Indicator.objects.get(code="CERT_COVERAGE")
    rows = sheet(client.get(reverse("indicators:detail", args=[one.pk]), {"format": "xlsx"}))
    assert {r[0] for r in rows[1:]} == {"CERT_COVERAGE"}


def test_the_audit_search_exports_its_filtered_events(client, admin_user, office, campaign):
    make_task(campaign, office, title="=cmd| 审计任务")
    client.force_login(admin_user)
    url = reverse("system_audit")
    assert 'data-testid="export-xlsx"' in client.get(url).content.decode()
    rows = sheet(client.get(url, {"action": "任务", "format": "xlsx"}))
    assert rows[0][0] == "筛选条件:操作:任务"
    assert rows[1][0] == "时间"
    created = next(r for r in rows[2:] if r[5].endswith("=cmd| 审计任务"))
    assert created[1] and "=cmd| 审计任务" in created[6]
    assert client.get(url, {"since": "not-a-date", "format": "xlsx"}).status_code == 400
    client.force_login(office)
    assert client.get(url, {"format": "xlsx"}).status_code == 404


def test_the_notice_and_monthly_exports_do_not_grow_in_queries(
    client, office, liaison, campaign, settings, django_assert_max_num_queries
):
    import datetime as dt

    from qualitycity.campaigns import services as campaign_services

    settings.QC_TODAY = dt.date(2018, 9, 10)
    notices = reverse("campaigns:notice_list", args=[campaign.pk])
    monthly = reverse("campaigns:monthly_overview", args=[campaign.pk])

    def add(n):
        _notice(campaign, office, content=f"督办{n}")
        make_task(campaign, office, title=f"未报{n}", unit_name="市住建局")
        task = make_task(campaign, office, title=f"报送{n}")
        campaign_services.save_report(
            task, by=liaison, period_start=dt.date(2018, 8, 1), text="进展", percent=5, submit=True
        )

    add(0)
    client.force_login(office)
    counts = {}
    for url, params in ((notices, {}), (monthly, {"period": "2018-08"})):
        with django_assert_max_num_queries(40) as few:
            sheet(client.get(url, {**params, "format": "xlsx"}))
        counts[url] = len(few.captured_queries)
    for n in range(1, 6):
        add(n)
    for url, params in ((notices, {}), (monthly, {"period": "2018-08"})):
        with django_assert_max_num_queries(counts[url]):
            rows = sheet(client.get(url, {**params, "format": "xlsx"}))
        assert len(rows) >= 7
