"""Demo campaign work on DEMO_TODAY (mid-way through 全面推进): measures, generated tasks in every
colour, progress reports in every state, supervision notices and meetings (one quarter missing)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns import supervision
from qualitycity.campaigns.choices import MeetingKind, TaskStatus, WorkRole
from qualitycity.campaigns.models import Campaign, Task
from qualitycity.orgs.models import Unit, User

from .people import CITY_CODE, demo_liaison


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def ensure_demo_work(campaign: Campaign, *, today: dt.date) -> None:
    office = User.objects.get(username="office")
    liaison = User.objects.get(username="liaison")
    campaign_services.load_measures(campaign, by=office)
    phase = campaign.phases.get(name="全面推进阶段")
    campaign_services.generate_tasks(campaign, by=office, phase=phase)

    zhijian = Unit.objects.get(region__code=CITY_CODE, name="市质监局")
    lead = list(
        Task.objects.filter(campaign=campaign, unit=zhijian, role=WorkRole.LEAD).order_by("pk")
    )
    # Colours on DEMO_TODAY (elapsed share of 2018-01-01 … 2019-02-28 is about 61%):
    plans = [
        (100, None),  # done
        (80, None),  # on track
        (70, None),
        (30, None),  # yellow: behind schedule
        (20, None),
        (50, today + dt.timedelta(days=2)),  # blue: due within 3 days
        (90, today + dt.timedelta(days=3)),
        (40, today - dt.timedelta(days=5)),  # red: overdue
        (10, today - dt.timedelta(days=20)),
    ]
    for task, (progress, due) in zip(lead, plans, strict=False):
        if due is not None:
            campaign_services.redate_task(task, by=office, due=due)
        campaign_services.update_progress(task, by=office, progress=progress)
    # Blue: short tasks on track and due within three days.
    for title, days_left in (("报送9月质量月活动方案", 2), ("更新质量强市宣传展板", 3)):
        task = campaign_services.add_task(
            campaign,
            by=office,
            title=title,
            unit=zhijian,
            start=today - dt.timedelta(days=10),
            due=today + dt.timedelta(days=days_left),
            phase=phase,
        )
        campaign_services.update_progress(task, by=office, progress=90)
    # Most other lead units report progress; about a third lag behind.
    rng = random.Random(2018)
    for task in (
        Task.objects.filter(campaign=campaign, role=WorkRole.LEAD)
        .exclude(unit=zhijian)
        .order_by("pk")
    ):
        campaign_services.update_progress(
            task, by=office, progress=rng.choice([65, 70, 75, 80, 90, 100, 30, 40, 50])
        )

    # Progress reports for 市质监局 in every state.
    june, july, august = dt.date(2018, 6, 1), dt.date(2018, 7, 1), dt.date(2018, 8, 1)
    t0, t1, t2, t3 = lead[0], lead[1], lead[2], lead[3]
    for task, period in ((t0, june), (t1, june), (t2, june)):
        report = campaign_services.save_report(
            task,
            by=liaison,
            period_start=period,
            text="按计划推进,已完成阶段目标。",
            percent=60,
            submit=True,
            now=_at(dt.date(2018, 7, 3)),
        )
        campaign_services.review_report(report, by=office, accept=True)
    campaign_services.save_report(
        t1,
        by=liaison,
        period_start=july,
        text="完成质量信用档案录入,补录部分企业。",
        percent=70,
        submit=True,
        now=_at(dt.date(2018, 8, 9)),
    )
    returned = campaign_services.save_report(
        t2,
        by=liaison,
        period_start=july,
        text="已开展培训。",
        percent=65,
        submit=True,
        now=_at(dt.date(2018, 8, 2)),
    )
    campaign_services.review_report(
        returned, by=office, accept=False, comment="请补充培训人数和签到表等佐证材料。"
    )
    campaign_services.save_report(
        t3, by=liaison, period_start=august, text="正在起草工作方案。", percent=25, submit=False
    )
    resubmitted = campaign_services.save_report(
        t0,
        by=liaison,
        period_start=july,
        text="已完成。",
        percent=100,
        submit=True,
        now=_at(dt.date(2018, 8, 4)),
    )
    campaign_services.review_report(
        resubmitted, by=office, accept=False, comment="请附上验收材料。"
    )
    campaign_services.save_report(
        t0,
        by=liaison,
        period_start=july,
        text="已完成,验收材料见附件。",
        percent=100,
        submit=True,
        now=_at(dt.date(2018, 8, 6)),
    )

    # Other units: a few reports so the board's rates differ between units.
    for unit_name, text in (
        ("市财政局", "专项经费已列入预算。"),
        ("市住建局", "保障房质量巡查已开展。"),
    ):
        unit = Unit.objects.get(region__code=CITY_CODE, name=unit_name)
        task = (
            Task.objects.filter(campaign=campaign, unit=unit, role=WorkRole.LEAD)
            .order_by("pk")
            .first()
        )
        user = demo_liaison(unit)
        for month in (6, 7):
            campaign_services.save_report(
                task,
                by=user,
                period_start=dt.date(2018, month, 1),
                text=text,
                percent=50 + month,
                submit=True,
                now=_at(dt.date(2018, month + 1, 4)),
            )

    # Most other lead units report June–August, some late, some not at all.
    skip = {zhijian.pk} | set(
        Unit.objects.filter(region__code=CITY_CODE, name__in=["市财政局", "市住建局"]).values_list(
            "pk", flat=True
        )
    )
    liaisons: dict[int, User] = {}
    for task in (
        Task.objects.filter(campaign=campaign, role=WorkRole.LEAD, split_from__isnull=True)
        .exclude(unit_id__in=skip)
        .select_related("unit", "campaign")
        .order_by("pk")
    ):
        if task.unit_id not in liaisons:
            liaisons[task.unit_id] = demo_liaison(task.unit)
        for month in (6, 7, 8):
            if rng.random() > 0.75:
                continue
            day = dt.date(2018, month + 1, rng.choice([2, 3, 4, 5, 5, 6, 9]))
            campaign_services.save_report(
                task,
                by=liaisons[task.unit_id],
                period_start=dt.date(2018, month, 1),
                text="按计划推进,本月完成相关工作。",
                percent=min(task.progress, 100),
                submit=True,
                now=_at(day),
                # History: the office has had these pings long ago; what still waits for review
                # is in its 待审核 queue. The reports above notify as they would today.
                notify_office=False,
            )

    # Supervision notices: issued (red), responded, closed.
    zhujian = Unit.objects.get(region__code=CITY_CODE, name="市住建局")
    # Open tasks only: which tasks the demo finished above can depend on the database's row order.
    zj_tasks = list(
        Task.objects.filter(campaign=campaign, unit=zhujian, role=WorkRole.LEAD)
        .exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED])
        .order_by("pk")[:3]
    )
    campaign_services.redate_task(zj_tasks[0], by=office, due=today - dt.timedelta(days=12))
    campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhujian,
        tasks=[zj_tasks[0]],
        content="保障房受监工程覆盖率统计逾期未报,请说明原因并限期完成。",
        response_due=today + dt.timedelta(days=5),
        today=today,
    )
    red_zj = [t for t in lead if supervision.task_colour(t, today) in ("red", "yellow")]
    n2 = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhijian,
        tasks=red_zj[:2],
        content="企业质量信用分级分类管理进度滞后,请加快推进。",
        response_due=today + dt.timedelta(days=3),
        today=today,
    )
    campaign_services.respond_notice(
        n2, by=liaison, response="已召开专题会议部署,9月底前完成分级分类。"
    )
    n3 = campaign_services.issue_notice(
        campaign,
        by=office,
        unit=zhijian,
        tasks=red_zj[2:3] or red_zj[:1],
        content="小微企业质量负责人培训人数不足,请补充。",
        response_due=today + dt.timedelta(days=1),
        today=today,
    )
    campaign_services.respond_notice(n3, by=liaison, response="已补充培训一期,签到表已上传。")
    campaign_services.close_notice(n3, by=office)

    # Meetings: leading-group meetings in every quarter but 2018 Q2, one summary meeting.
    units = list(
        Unit.objects.filter(region__code=CITY_CODE, kind__in=["政府部门", "党委部门"]).order_by(
            "position"
        )[:12]
    )
    for kind, title, day in (
        (MeetingKind.LEADING_GROUP, "质量强市工作领导小组第一次全体会议", dt.date(2017, 10, 12)),
        (MeetingKind.SUMMARY, "2017年度质量强市工作总结大会", dt.date(2017, 12, 28)),
        (MeetingKind.LEADING_GROUP, "质量强市工作领导小组2018年第一次会议", dt.date(2018, 1, 20)),
        (MeetingKind.LEADING_GROUP, "质量强市工作领导小组2018年第二次会议", dt.date(2018, 7, 10)),
        (MeetingKind.COORDINATION, "创建工作碰头会(8月)", dt.date(2018, 8, 20)),
    ):
        meeting = campaign_services.create_meeting(
            campaign,
            by=office,
            kind=kind,
            title=title,
            date=day,
            attendees=units,
            minutes=f"{title}纪要:通报创建进展,部署下一阶段工作。",
        )
        if kind == MeetingKind.COORDINATION:
            campaign_services.decisions_to_tasks(
                meeting,
                by=office,
                decisions=[
                    ("9月底前完成企业质量信用档案补录", zhijian, dt.date(2018, 9, 30)),
                    (
                        "10月开展质量月活动总结",
                        Unit.objects.get(region__code=CITY_CODE, name="市创质办"),
                        dt.date(2018, 10, 31),
                    ),
                ],
            )
