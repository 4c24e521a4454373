"""Tasks (工作任务): generation from criteria and measures, and the office's audited changes."""

from __future__ import annotations

import datetime as dt

import pytest

from qualitycity.audit.models import AuditEvent
from qualitycity.campaigns import services as campaign_services
from qualitycity.campaigns import supervision
from qualitycity.campaigns.choices import TaskStatus, WorkRole
from qualitycity.campaigns.models import MeasureUnit, ResponsibleUnit, Task
from qualitycity.errors import InvalidTransition, NotAllowed, ValidationFailed
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import UnitGroup, User
from tests.factories import DUE, START, TODAY, events, make_task, phase_of, unit
from tests.factories import persona as make_user

pytestmark = pytest.mark.django_db

GROUP = "质量强市工作领导小组成员单位"


@pytest.fixture
def task(campaign, office) -> Task:
    """A lead task of 市质监局 (the `liaison` persona's unit) over the whole of 全面推进."""
    return make_task(campaign, office)


@pytest.fixture
def other_liaison(orgs) -> User:
    return make_user("t-liaison-zhujian", Role.LIAISON, "市住建局")


# --- generation -------------------------------------------------------------------------------


def test_generation_expands_a_cooperating_group_into_one_task_per_member(campaign, office):
    phase = phase_of(campaign)
    assert campaign_services.generate_tasks(campaign, by=office, phase=phase) > 0
    group = UnitGroup.objects.get(name=GROUP)
    members = set(group.members.values_list("pk", flat=True))
    assert len(members) > 10
    entry = (
        ResponsibleUnit.objects.filter(campaign=campaign, group=group, role=WorkRole.COOPERATING)
        .select_related("criterion")
        .order_by("criterion__position")
        .first()
    )
    criterion = entry.criterion
    leads = set(
        ResponsibleUnit.objects.filter(
            campaign=campaign, criterion=criterion, role=WorkRole.LEAD
        ).values_list("unit_id", flat=True)
    )
    tasks = Task.objects.filter(campaign=campaign, criterion=criterion)
    by_role = {
        role: set(tasks.filter(role=role).values_list("unit_id", flat=True))
        for role in WorkRole.values
    }
    assert by_role[WorkRole.LEAD] == leads
    assert by_role[WorkRole.COOPERATING] == members - leads
    assert tasks.count() == len(members | leads)  # one task per unit, groups never get one
    sample = tasks.first()
    assert (sample.phase, sample.start, sample.due) == (phase, phase.start, phase.end)
    assert sample.source_key == f"criterion:{criterion.pk}"
    assert sample.status == TaskStatus.NOT_STARTED and sample.progress == 0


def test_generation_gives_lead_when_a_unit_is_both_lead_and_cooperating(campaign, office):
    criterion = Criterion.objects.get(framework=campaign.framework, key="3.6.1")
    assert criterion.row == "43"
    nongwei = unit("市农委")
    table = ResponsibleUnit.objects.filter(campaign=campaign, criterion=criterion)
    assert set(table.filter(unit=nongwei).values_list("role", flat=True)) == {
        WorkRole.LEAD,
        WorkRole.COOPERATING,
    }
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    tasks = Task.objects.filter(campaign=campaign, criterion=criterion)
    assert list(tasks.filter(unit=nongwei).values_list("role", flat=True)) == [WorkRole.LEAD]
    assert tasks.get(unit=unit("市畜牧水产局")).role == WorkRole.COOPERATING
    assert tasks.count() == len(set(table.values_list("unit_id", flat=True)))


def test_running_generation_twice_creates_nothing_new(campaign, office):
    phase = phase_of(campaign)
    first = campaign_services.generate_tasks(campaign, by=office, phase=phase)
    count = Task.objects.filter(campaign=campaign).count()
    assert first == count
    assert campaign_services.generate_tasks(campaign, by=office, phase=phase) == 0
    assert Task.objects.filter(campaign=campaign).count() == count
    generated = AuditEvent.objects.filter(action="tasks.generated", object_id=str(campaign.pk))
    assert generated.count() == 1
    assert generated.get().after["created"] == count


def test_reassigning_onto_a_unit_with_the_same_generated_task_is_refused(campaign, office):
    """Two generated tasks of one source for one unit would break `task_generated_once`."""
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    criterion = Criterion.objects.get(framework=campaign.framework, key="3.6.1")
    task = Task.objects.get(campaign=campaign, criterion=criterion, unit=unit("市农委"))
    with pytest.raises(ValidationFailed):
        campaign_services.reassign_task(task, by=office, unit=unit("市食药局"))
    task.refresh_from_db()
    assert task.unit == unit("市农委")


@pytest.mark.parametrize("source", ["criterion", "measure"])
def test_reassigning_onto_a_unit_with_a_task_of_the_same_source_writes_nothing(
    campaign, office, source
):
    """The service refuses it with the page's message, not the database's IntegrityError."""
    if source == "measure":
        campaign_services.load_measures(campaign, by=office)
    campaign_services.generate_tasks(campaign, by=office, phase=phase_of(campaign))
    if source == "criterion":
        same = Task.objects.filter(
            criterion=Criterion.objects.get(framework=campaign.framework, key="3.6.1")
        )
    else:
        same = Task.objects.filter(measure=campaign.measures.get(number=1))
    task, other = same.filter(campaign=campaign).order_by("pk")[:2]
    audited = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        campaign_services.reassign_task(task, by=office, unit=other.unit)
    assert refused.value.messages == [f"{other.unit.name} 已有同一来源的任务,不能再分配给该单位。"]
    task.refresh_from_db()
    assert task.unit_id != other.unit_id
    assert AuditEvent.objects.count() == audited
    assert not events(task, "task.reassigned").exists()


def test_measures_get_tasks_after_load_measures(campaign, office):
    phase = phase_of(campaign)
    from_criteria = campaign_services.generate_tasks(campaign, by=office, phase=phase)
    assert Task.objects.filter(campaign=campaign, measure__isnull=False).count() == 0
    assert campaign_services.load_measures(campaign, by=office) > 20
    from_measures = campaign_services.generate_tasks(campaign, by=office, phase=phase)
    assert from_measures > 0
    assert Task.objects.filter(campaign=campaign).count() == from_criteria + from_measures
    measure = campaign.measures.get(number=1)  # 市创质办牵头,各成员单位配合落实
    tasks = Task.objects.filter(campaign=campaign, measure=measure)
    office_unit = unit("市创质办")
    assert tasks.get(unit=office_unit).role == WorkRole.LEAD
    members = set(UnitGroup.objects.get(name=GROUP).members.values_list("pk", flat=True))
    cooperating = set(tasks.filter(role=WorkRole.COOPERATING).values_list("unit_id", flat=True))
    assert cooperating == members - {office_unit.pk}
    assert all(t.title.startswith("措施1:") for t in tasks)
    assert all(t.source_key == f"measure:{measure.pk}" for t in tasks)
    # every measure with units has tasks
    with_units = set(
        MeasureUnit.objects.filter(measure__campaign=campaign).values_list("measure_id", flat=True)
    )
    assert (
        set(
            tasks.model.objects.filter(campaign=campaign, measure__isnull=False).values_list(
                "measure_id", flat=True
            )
        )
        == with_units
    )


@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor"])
def test_only_the_office_generates_tasks(request, campaign, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        campaign_services.generate_tasks(campaign, by=user, phase=phase_of(campaign))
    assert not Task.objects.filter(campaign=campaign).exists()


def test_generation_refuses_a_phase_of_another_campaign(campaign, office, yongzhou):
    from qualitycity.campaigns.services import PhaseSpec, create_campaign

    other = create_campaign(
        by=office,
        name="另一项创建工作",
        region=campaign.region,
        framework=yongzhou,
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 12, 31),
        phases=[PhaseSpec("全年", dt.date(2020, 1, 1), dt.date(2020, 12, 31))],
    )
    with pytest.raises(ValidationFailed):
        campaign_services.generate_tasks(campaign, by=office, phase=other.phases.get())
    assert not Task.objects.exists()


# --- office actions ---------------------------------------------------------------------------


def test_adding_a_task_is_audited(campaign, office):
    task = make_task(campaign, office)
    event = events(task, "task.created").get()
    assert event.actor == office and event.before is None
    assert event.after["unit_id"] == unit("市质监局").pk and event.after["due"] == DUE.isoformat()


def test_adding_a_task_outside_the_campaign_is_refused(campaign, office):
    with pytest.raises(ValidationFailed) as exc:
        make_task(campaign, office, due=dt.date(2020, 1, 1))
    assert "创建工作期间" in exc.value.messages[0]
    with pytest.raises(ValidationFailed):
        make_task(campaign, office, title="  ")
    assert not Task.objects.exists()


def test_reassigning_records_before_and_after(task, office):
    campaign_services.reassign_task(task, by=office, unit=unit("市住建局"))
    task.refresh_from_db()
    assert task.unit == unit("市住建局")
    event = events(task, "task.reassigned").get()
    assert event.before["unit_id"] == unit("市质监局").pk
    assert event.after["unit_id"] == unit("市住建局").pk


def test_reassigning_to_the_same_unit_is_refused(task, office):
    with pytest.raises(ValidationFailed):
        campaign_services.reassign_task(task, by=office, unit=unit("市质监局"))
    assert not events(task, "task.reassigned").exists()


def test_redating_records_before_and_after(task, office):
    campaign_services.redate_task(task, by=office, due=dt.date(2018, 12, 31))
    task.refresh_from_db()
    assert task.due == dt.date(2018, 12, 31)
    event = events(task, "task.redated").get()
    assert (event.before["due"], event.after["due"]) == ("2019-02-28", "2018-12-31")


def test_redating_before_the_start_is_refused(task, office):
    with pytest.raises(ValidationFailed):
        campaign_services.redate_task(task, by=office, due=dt.date(2017, 12, 31))
    task.refresh_from_db()
    assert task.due == DUE


def test_cancelling_needs_a_reason_and_is_audited(task, office):
    with pytest.raises(ValidationFailed):
        campaign_services.cancel_task(task, by=office, reason="  ")
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED
    campaign_services.cancel_task(task, by=office, reason="与措施任务重复")
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == (TaskStatus.CANCELLED, "与措施任务重复")
    event = events(task, "task.cancelled").get()
    assert event.before["status"] == TaskStatus.NOT_STARTED
    assert event.after["status"] == TaskStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        campaign_services.redate_task(task, by=office, due=dt.date(2018, 12, 31))
    with pytest.raises(InvalidTransition):
        campaign_services.cancel_task(task, by=office, reason="再次取消")


def test_splitting_cancels_the_parent_and_creates_the_parts(task, office):
    parts = campaign_services.split_task(
        task,
        by=office,
        parts=[
            ("制定联席会议制度", unit("市质监局"), dt.date(2018, 6, 30)),
            ("召开联席会议", unit("市住建局"), dt.date(2018, 12, 31)),
        ],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and "2" in task.cancel_reason
    assert [(p.title, p.unit.name, p.due) for p in parts] == [
        ("制定联席会议制度", "市质监局", dt.date(2018, 6, 30)),
        ("召开联席会议", "市住建局", dt.date(2018, 12, 31)),
    ]
    assert all(p.split_from == task and p.start == task.start for p in parts)
    assert list(task.parts.order_by("pk")) == parts
    event = events(task, "task.split").get()
    assert event.before["status"] == TaskStatus.NOT_STARTED
    assert event.after["status"] == TaskStatus.CANCELLED
    assert event.after["parts"] == [p.pk for p in parts]


def test_splitting_into_one_part_is_refused(task, office):
    with pytest.raises(ValidationFailed):
        campaign_services.split_task(
            task, by=office, parts=[("唯一", unit("市质监局"), dt.date(2018, 6, 30))]
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED and not task.parts.exists()


OFFICE_ACTIONS = {
    "reassign": lambda t, u: campaign_services.reassign_task(t, by=u, unit=unit("市住建局")),
    "redate": lambda t, u: campaign_services.redate_task(t, by=u, due=dt.date(2018, 12, 31)),
    "cancel": lambda t, u: campaign_services.cancel_task(t, by=u, reason="不再需要"),
    "split": lambda t, u: campaign_services.split_task(
        t,
        by=u,
        parts=[
            ("甲", unit("市质监局"), dt.date(2018, 6, 30)),
            ("乙", unit("市质监局"), dt.date(2018, 9, 30)),
        ],
    ),
    "add": lambda t, u: campaign_services.add_task(
        t.campaign, by=u, title="新增", unit=unit("市质监局"), due=dt.date(2018, 12, 31)
    ),
}


@pytest.mark.parametrize("action", sorted(OFFICE_ACTIONS))
@pytest.mark.parametrize("persona", ["liaison", "leader", "assessor"])
def test_office_actions_are_refused_for_other_roles(request, task, action, persona):
    user = request.getfixturevalue(persona)
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        OFFICE_ACTIONS[action](task, user)
    assert AuditEvent.objects.count() == before
    task.refresh_from_db()
    assert (task.unit.name, task.due, task.status) == ("市质监局", DUE, TaskStatus.NOT_STARTED)
    assert Task.objects.count() == 1


def test_the_units_liaison_and_the_office_update_progress(task, office, liaison):
    campaign_services.update_progress(task, by=liaison, progress=40)
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, TaskStatus.IN_PROGRESS)
    campaign_services.update_progress(task, by=office, progress=10, done=True)
    task.refresh_from_db()
    assert (task.progress, task.status) == (100, TaskStatus.DONE)
    first, second = events(task, "task.progress").order_by("pk")
    assert (first.before["progress"], first.after["progress"]) == (0, 40)
    assert first.actor == liaison and second.actor == office


@pytest.mark.parametrize("persona", ["other_liaison", "leader", "assessor"])
def test_progress_is_refused_for_anyone_else(request, task, persona):
    with pytest.raises(NotAllowed):
        campaign_services.update_progress(task, by=request.getfixturevalue(persona), progress=40)
    task.refresh_from_db()
    assert task.progress == 0


@pytest.mark.parametrize("value", [-1, 101])
def test_progress_outside_0_to_100_is_refused(task, liaison, value):
    with pytest.raises(ValidationFailed):
        campaign_services.update_progress(task, by=liaison, progress=value)
    task.refresh_from_db()
    assert task.progress == 0


@pytest.mark.parametrize(
    ("progress", "start", "due", "status", "colour"),
    [
        (100, START, dt.date(2018, 9, 1), TaskStatus.DONE, None),  # done: never coloured
        (40, START, dt.date(2018, 9, 10), TaskStatus.IN_PROGRESS, "red"),  # overdue
        (10, START, DUE, TaskStatus.IN_PROGRESS, "yellow"),  # behind the elapsed share (61%)
        (90, START, dt.date(2018, 9, 17), TaskStatus.IN_PROGRESS, "yellow"),  # behind, due soon
        (90, dt.date(2018, 9, 5), dt.date(2018, 9, 17), TaskStatus.IN_PROGRESS, "blue"),
        (80, START, DUE, TaskStatus.IN_PROGRESS, None),  # on track
    ],
)
def test_task_colour_on_the_demo_day(campaign, office, progress, start, due, status, colour):
    task = make_task(campaign, office, start=start, due=due)
    campaign_services.update_progress(task, by=office, progress=progress)
    task.refresh_from_db()
    assert task.status == status
    assert supervision.task_colour(task, TODAY) == colour


@pytest.mark.parametrize(
    ("reports_from", "role", "colour"),
    [
        ("all", "lead", "yellow"),
        ("all", "cooperating", "yellow"),  # cooperating units report: their tasks are judged
        ("lead", "lead", "yellow"),
        ("lead", "cooperating", None),  # rolls up under the lead task: no colour of its own
    ],
)
def test_a_cooperating_task_has_a_colour_only_when_the_campaign_makes_it_report(
    campaign, office, reports_from, role, colour
):
    campaign.reports_from = reports_from
    campaign.save()
    task = make_task(campaign, office, start=START, due=DUE, role=role)
    task.refresh_from_db()
    assert supervision.task_colour(task, TODAY) == colour


@pytest.mark.parametrize(("age", "colour"), [(0, None), (6, None), (7, "yellow"), (30, "yellow")])
def test_a_new_task_is_not_yellow_during_the_campaigns_grace_days(campaign, office, age, colour):
    assert campaign.grace_days == 7  # the default
    start = TODAY - dt.timedelta(days=age)
    task = make_task(campaign, office, start=start, due=start + dt.timedelta(days=40))
    task.refresh_from_db()
    assert supervision.task_colour(task, TODAY) == colour


def test_a_task_reassigned_away_is_not_generated_again(campaign, office):
    from qualitycity.campaigns import services as campaign_services
    from qualitycity.campaigns.models import Task
    from qualitycity.orgs.models import Unit

    phase = campaign.phases.get(position=2)
    campaign_services.generate_tasks(campaign, by=office, phase=phase)
    task = Task.objects.filter(campaign=campaign, role="lead", unit__name="市财政局").first()
    taken = set(
        Task.objects.filter(campaign=campaign, source_key=task.source_key).values_list(
            "unit_id", flat=True
        )
    )
    target = Unit.objects.exclude(pk__in=taken).order_by("pk").first()
    campaign_services.reassign_task(task, by=office, unit=target)
    assert campaign_services.generate_tasks(campaign, by=office, phase=phase) == 0
    assert not Task.objects.filter(source_key=task.source_key, unit__name="市财政局").exists()
