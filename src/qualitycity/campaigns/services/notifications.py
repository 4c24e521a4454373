"""Notifications: events reach the people they concern, in the app, by e-mail and in group chats.

`notify` is called by the service that made the change, inside its transaction: it writes the
in-app notifications at once and one `Delivery` per e-mail and group robot, which the background
worker sends after the commit (`campaigns.tasks.deliver`, with retries). Nothing here can fail the
action that caused it: a failure to notify is logged and the action stands; a channel that fails
is retried and finally marked failed for the office to see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity import clock
from qualitycity.audit.services import record, snapshot
from qualitycity.errors import NotAllowed, ValidationFailed
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Unit, User

from .. import channels, events
from ..choices import DeliveryChannel, DeliveryStatus, RobotKind
from ..models import Campaign, Delivery, Notification, NotificationPreference, Robot
from .common import directory_problem, require_office

log = logging.getLogger(__name__)

RETRY_MINUTES = (1, 5, 30, 120, 480)  # wait before the 2nd, 3rd … attempt


def mark_notifications_read(user: User) -> int:
    """The user's own unread notifications become read. Not audited: they are the user's inbox,
    not campaign data."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


def open_notification(note: Notification) -> None:
    """The user opened one notification: it is read from now on (the user's inbox, not audited)."""
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=clock.now())


# --- who hears of an event --------------------------------------------------------------------


def office_of(campaign: Campaign) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.OFFICE,
            memberships__region_id=campaign.region_id,
        ).distinct()
    )


def liaisons_of(unit_ids: Iterable[int]) -> list[User]:
    ids = [u for u in unit_ids if u]
    if not ids:
        return []
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.LIAISON, memberships__unit_id__in=ids
        ).distinct()
    )


def recipients(
    key: str,
    campaign: Campaign,
    *,
    actor: User | None,
    units: Sequence[Unit | int] = (),
    people: Iterable[User | None] = (),
) -> list[User]:
    """The people an event concerns: its parties (the office, the unit's liaisons) and the people
    the caller names (assessors, deciders, the author); never the person who acted."""
    parties = events.event(key).parties
    found: dict[int, User] = {}
    unit_ids = [u if isinstance(u, int) else u.pk for u in units]
    if events.OFFICE in parties:
        found.update({u.pk: u for u in office_of(campaign)})
    if events.LIAISONS in parties:
        found.update({u.pk: u for u in liaisons_of(unit_ids)})
    for person in people:
        if person is not None and person.is_active:
            found[person.pk] = person
    if actor is not None:
        found.pop(actor.pk, None)
    return sorted(found.values(), key=lambda u: u.pk)


def channels_for(user_ids: Iterable[int], key: str) -> dict[int, dict[str, bool]]:
    """Each person's channels for one event: their stored choice, else the defaults (1 query)."""
    ids = list(user_ids)
    stored = {
        p.user_id: {events.IN_APP: p.in_app, events.EMAIL: p.email}
        for p in NotificationPreference.objects.filter(user_id__in=ids, event=key)
    }
    return {pk: events.chosen_channels(key, stored.get(pk)) for pk in ids}


def _site_link(url: str) -> str:
    base = settings.QC_SITE_URL.rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else ""


def notify(
    key: str,
    campaign: Campaign,
    *,
    actor: User | None,
    text: str,
    url: str = "",
    units: Sequence[Unit | int] = (),
    people: Iterable[User | None] = (),
) -> int:
    """Tell everyone an event concerns. Returns how many people were told (0 if notifying failed,
    which is logged; the caller's change stands either way)."""
    try:
        with transaction.atomic():
            return _notify(key, campaign, actor, text, url, units, people)
    except Exception:  # a bug or a broken row in notifying must not undo the work it reports
        log.exception("notifying %s failed", key)
        return 0


def _notify(
    key: str,
    campaign: Campaign,
    actor: User | None,
    text: str,
    url: str,
    units: Sequence[Unit | int],
    people: Iterable[User | None],
) -> int:
    users = recipients(key, campaign, actor=actor, units=units, people=people)
    text = text[:500]
    chosen_by_user = channels_for([u.pk for u in users], key)
    label = str(events.event(key).label)
    subject = _("【质量强市创建】%(event)s") % {"event": label}
    link = _site_link(url)
    body = f"{text}\n\n{link}" if link else text
    in_app, deliveries = [], []
    for user in users:
        chosen = chosen_by_user[user.pk]
        if chosen[events.IN_APP]:
            in_app.append(Notification(user=user, event=key, text=text, url=url))
        if chosen[events.EMAIL] and user.email:
            deliveries.append(
                Delivery(
                    channel=DeliveryChannel.EMAIL,
                    event=key,
                    user=user,
                    address=user.email,
                    subject=subject,
                    body=body,
                )
            )
    unit_ids = [u if isinstance(u, int) else u.pk for u in units]
    robots = Robot.objects.filter(campaign=campaign, active=True).filter(
        Q(unit__isnull=True) | Q(unit_id__in=unit_ids)
    )
    robot_text = f"【{campaign.name}】{label}:{text}" + (f"\n{link}" if link else "")
    for robot in robots:
        if events.robot_carries(robot.events, key):
            deliveries.append(
                Delivery(
                    channel=robot.kind,
                    event=key,
                    robot=robot,
                    subject=label,
                    body=robot_text,
                )
            )
    Notification.objects.bulk_create(in_app)
    created = Delivery.objects.bulk_create(deliveries)
    _enqueue_after_commit([d.pk for d in created])
    return len(users)


def _enqueue_after_commit(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return

    def enqueue() -> None:
        from ..tasks import deliver  # the task module imports the services

        for pk in delivery_ids:
            try:
                deliver.enqueue(pk)
            except Exception:  # the queue is down: the delivery stays pending, see requeue_pending
                log.exception("could not enqueue delivery %s", pk)

    transaction.on_commit(enqueue)


# --- the worker's side --------------------------------------------------------------------------


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one pending delivery once. On failure, count the attempt and schedule the next one,
    or give up after QC_DELIVERY_ATTEMPTS. Returns the delivery's status afterwards. Deliveries run
    on the wall clock, never the demo's pinned day: a retry booked in 2018 would be due at once."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("robot")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery.status if delivery else "missing"
        try:
            _send(delivery, now)
        except Exception as exc:  # ChannelError, or anything a backend raises
            delivery.attempts += 1
            delivery.last_error = (str(exc) or exc.__class__.__name__)[:1000]
            if delivery.attempts >= settings.QC_DELIVERY_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["attempts", "last_error", "status"])
            if delivery.status == DeliveryStatus.PENDING:
                wait = RETRY_MINUTES[min(delivery.attempts, len(RETRY_MINUTES)) - 1]
                _retry_after_commit(delivery.pk, now + dt.timedelta(minutes=wait))
            return delivery.status
        delivery.attempts += 1
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return delivery.status


def _send(delivery: Delivery, now: dt.datetime) -> None:
    if delivery.channel == DeliveryChannel.EMAIL:
        channels.send_email(delivery.address, delivery.subject, delivery.body)
        return
    robot = delivery.robot
    if robot is None or not robot.active:
        raise channels.ChannelError("the robot was removed or switched off")
    channels.send_robot(
        robot.kind, robot.webhook, robot.secret, delivery.body, int(now.timestamp() * 1000)
    )


def _retry_after_commit(delivery_id: int, when: dt.datetime) -> None:
    def enqueue() -> None:
        from ..tasks import deliver

        if deliver.get_backend().supports_defer:
            deliver.using(run_after=when).enqueue(delivery_id)
        # else: an immediate backend cannot wait; requeue_pending, when the worker starts, does

    transaction.on_commit(enqueue)


def requeue_pending(*, older_than_minutes: int = 10) -> int:
    """Hand pending deliveries back to the queue (the worker does this when it starts): a delivery
    whose task was lost, e.g. the queue was unreachable when the change was committed. A delivery
    already queued may be tried once more early; sending is checked under a row lock."""
    from ..tasks import deliver

    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        deliver.enqueue(pk)
    return len(ids)


# --- a person's preferences ---------------------------------------------------------------------


def preferences(user: User) -> dict[str, dict[str, bool]]:
    stored = {
        p.event: {events.IN_APP: p.in_app, events.EMAIL: p.email}
        for p in NotificationPreference.objects.filter(user=user)
    }
    return {key: events.chosen_channels(key, stored.get(key)) for key in events.EVENTS}


@transaction.atomic
def save_preferences(user: User, chosen: dict[str, dict[str, bool]]) -> int:
    """Store a person's channels per event (a row only where they differ from the defaults).
    Returns how many events differ from the defaults."""
    unknown = sorted(set(chosen) - set(events.EVENTS))
    if unknown:
        raise ValidationFailed(_("未知的通知事件:%(e)s") % {"e": "、".join(unknown)})
    before = preferences(user)
    rows = []
    for key in events.EVENTS:
        wanted = events.chosen_channels(key, chosen.get(key, {}))
        if wanted != events.default_channels(key):
            rows.append(
                NotificationPreference(
                    user=user, event=key, in_app=wanted[events.IN_APP], email=wanted[events.EMAIL]
                )
            )
    NotificationPreference.objects.filter(user=user).delete()
    NotificationPreference.objects.bulk_create(rows)
    after = preferences(user)
    if before != after:
        record(user, "notification.preferences", user, before=before, after=after)
    return len(rows)


# --- group robots -------------------------------------------------------------------------------


def _robot_state(robot: Robot) -> dict[str, Any]:
    state = snapshot(robot)
    state["secret"] = "***" if robot.secret else ""  # never in the audit trail
    return state


def _check_robot(
    campaign: Campaign, kind: str, name: str, webhook: str, unit: Unit | None, chosen: list[str]
) -> list[str]:
    problems = []
    if kind not in RobotKind.values:
        problems.append(_("请选择机器人类型。"))
    if not name.strip():
        problems.append(_("请填写机器人名称。"))
    if len(name) > 100:
        problems.append(_("机器人名称不能超过 100 个字符。"))
    if not channels.allowed_webhook(webhook):
        problems.append(
            _(
                "Webhook 地址应为企业微信(https://qyapi.weixin.qq.com/…)或钉钉"
                "(https://oapi.dingtalk.com/…)提供的机器人地址。"
            )
        )
    if unit is not None:
        problem = directory_problem(campaign, unit)
        if problem:
            problems.append(problem)
    if set(chosen) - set(events.EVENTS):
        problems.append(_("未知的通知事件。"))
    return problems


@transaction.atomic
def add_robot(
    campaign: Campaign,
    *,
    by: User,
    kind: str,
    name: str,
    webhook: str,
    secret: str = "",
    unit: Unit | None = None,
    chosen_events: Sequence[str] = (),
) -> Robot:
    require_office(by, campaign)
    chosen = sorted(set(chosen_events))
    problems = _check_robot(campaign, kind, name, webhook, unit, chosen)
    if problems:
        raise ValidationFailed(problems)
    robot = Robot.objects.create(
        campaign=campaign,
        unit=unit,
        kind=kind,
        name=name.strip(),
        webhook=webhook.strip(),
        secret=secret.strip(),
        events=chosen,
    )
    record(by, "robot.added", robot, after=_robot_state(robot))
    return robot


@transaction.atomic
def set_robot_active(robot: Robot, *, by: User, active: bool) -> Robot:
    require_office(by, robot.campaign)
    locked = Robot.objects.select_for_update().get(pk=robot.pk)
    if locked.active == active:
        return locked
    before = _robot_state(locked)
    locked.active = active
    locked.save(update_fields=["active"])
    record(by, "robot.activated" if active else "robot.deactivated", locked, before=before)
    return locked


@transaction.atomic
def remove_robot(robot: Robot, *, by: User) -> None:
    require_office(by, robot.campaign)
    record(by, "robot.removed", robot, before=_robot_state(robot))
    robot.delete()


@transaction.atomic
def test_robot(robot: Robot, *, by: User) -> Delivery:
    """Queue a test message to the robot's group, so the office sees the setting works."""
    require_office(by, robot.campaign)
    if not robot.active:
        raise NotAllowed(_("机器人已停用。"))
    delivery = Delivery.objects.create(
        channel=robot.kind,
        event="robot.test",
        robot=robot,
        subject=_("测试消息"),
        body=_("【%(c)s】质量强市创建管理平台测试消息:机器人“%(r)s”设置成功。")
        % {"c": robot.campaign.name, "r": robot.name},
    )
    record(by, "robot.tested", robot)
    _enqueue_after_commit([delivery.pk])
    return delivery
