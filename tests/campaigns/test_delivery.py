"""Outside channels: e-mail and group robots (WeCom, DingTalk), sent by the worker with retries.

The robots are tested against a local HTTP server started by the test, which records what it was
sent and answers as WeCom and DingTalk do (errcode 0), or fails on request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from qualitycity import clock
from qualitycity.campaigns import channels, services
from qualitycity.campaigns.choices import DeliveryStatus
from qualitycity.campaigns.models import Delivery, Robot
from qualitycity.errors import ValidationFailed
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region, Unit
from tests.factories import TODAY, events, make_task, persona, unit

pytestmark = pytest.mark.django_db


class FakeRobotServer:
    """Answers POSTs like a group-robot API; `fail` makes it answer with an error instead."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        self.fail: str | None = None  # None, "errcode", "http"
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                outer.received.append((self.path, json.loads(self.rfile.read(length))))
                if outer.fail == "http":
                    self.send_response(502)
                    self.end_headers()
                    return
                answer = (
                    {"errcode": 310000, "errmsg": "sign not match"}
                    if outer.fail
                    else {
                        "errcode": 0,
                        "errmsg": "ok",
                    }
                )
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(settings):
    srv = FakeRobotServer()
    settings.QC_ROBOT_EXTRA_HOSTS = ["127.0.0.1"]
    yield srv
    srv.close()


@pytest.fixture
def mailed_liaison(orgs):
    return persona("t-mailed", Role.LIAISON, "市质监局", email="mailed@example.cn")


def deliver_all() -> list[str]:
    return [services.attempt_delivery(d.pk) for d in Delivery.objects.order_by("pk")]


# --- the requests themselves (pure) -------------------------------------------------------------


def test_dingtalk_signs_timestamp_and_secret_as_its_documentation_says():
    secret, ts = "SEC0123456789abcdef", 1700000000000
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    req = channels.robot_request(
        "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", secret, "你好", ts
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(req.url).query)
    assert query["access_token"] == ["T"] and query["timestamp"] == [str(ts)]
    assert query["sign"] == [expected]
    assert json.loads(req.body) == {"msgtype": "text", "text": {"content": "你好"}}


def test_wecom_posts_text_to_its_webhook_unchanged():
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"
    req = channels.robot_request("wecom", url, "", "x" * 5000, 1)
    assert req.url == url
    assert len(json.loads(req.body)["text"]["content"]) == channels.MAX_ROBOT_TEXT


def test_robots_post_only_to_wecom_dingtalk_or_listed_hosts(settings):
    settings.QC_ROBOT_EXTRA_HOSTS = []
    assert channels.allowed_webhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K")
    assert channels.allowed_webhook("https://oapi.dingtalk.com/robot/send?access_token=T")
    assert not channels.allowed_webhook("http://oapi.dingtalk.com/robot/send")
    assert not channels.allowed_webhook("https://169.254.169.254/latest/meta-data")
    assert not channels.allowed_webhook("https://oapi.dingtalk.com.evil.example/robot")


# --- e-mail -----------------------------------------------------------------------------------


def test_an_event_e_mails_through_the_worker_not_the_request(campaign, office, mailed_liaison):
    with clock.pinned(TODAY):
        make_task(campaign, office)
    assert mail.outbox == []  # nothing is sent while the office waits
    (delivery,) = Delivery.objects.filter(event="task.assigned")
    assert delivery.status == DeliveryStatus.PENDING and delivery.address == "mailed@example.cn"
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.SENT
    (message,) = mail.outbox
    assert message.to == ["mailed@example.cn"]
    assert message.subject == "【质量强市创建】新任务"
    assert "建立质量工作联席会议制度" in message.body
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.SENT  # never twice
    assert len(mail.outbox) == 1


def test_the_link_in_an_e_mail_uses_the_site_address(settings, campaign, office, mailed_liaison):
    settings.QC_SITE_URL = "https://cz.yongzhou.example/"
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    deliver_all()
    assert f"https://cz.yongzhou.example/campaigns/tasks/{task.pk}/" in mail.outbox[0].body


def test_a_committed_change_hands_its_deliveries_to_the_queue(
    settings, campaign, office, mailed_liaison, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with clock.pinned(TODAY), django_capture_on_commit_callbacks(execute=True):
        make_task(campaign, office)
    assert [m.to for m in mail.outbox] == [["mailed@example.cn"]]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_failing_mail_server_is_retried_then_given_up(
    settings, campaign, office, mailed_liaison, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.campaigns.test_delivery.BrokenBackend"
    settings.QC_DELIVERY_ATTEMPTS = 3
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    task.refresh_from_db()  # the change stands
    (delivery,) = Delivery.objects.all()
    with django_capture_on_commit_callbacks() as retries:
        assert services.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    assert len(retries) == 1  # the next attempt is booked after the commit
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "connection refused" in delivery.last_error
    services.attempt_delivery(delivery.pk)
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.attempts == 3 and delivery.sent_at is None


class BrokenBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("connection refused")


def test_a_retry_is_booked_for_later_on_the_wall_clock(
    settings, campaign, office, mailed_liaison, django_capture_on_commit_callbacks
):
    """Even on a demo site whose day is pinned to 2018, the next attempt is booked on the real
    clock (a retry due in 2018 would run again at once, forever)."""
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "tests.campaigns.test_delivery.BrokenBackend"
    settings.QC_TODAY = dt.date(2018, 9, 15)
    with clock.pinned(TODAY):
        make_task(campaign, office)
    delivery = Delivery.objects.get()
    before = dt.datetime.now(dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_delivery(delivery.pk)
    booked = DBTaskResult.objects.get(task_path__endswith="tasks.deliver")
    assert booked.args_kwargs["args"] == [delivery.pk]
    wait = booked.run_after - before
    assert dt.timedelta(seconds=50) < wait < dt.timedelta(minutes=2)


# --- group robots -----------------------------------------------------------------------------


def test_a_campaign_robot_carries_its_events_to_the_group(server, campaign, office):
    robot = services.add_robot(
        campaign, by=office, kind="wecom", name="创质办工作群", webhook=f"{server.url}/wecom?key=K"
    )
    with clock.pinned(TODAY):
        make_task(campaign, office)
    assert deliver_all() == [DeliveryStatus.SENT]
    ((path, body),) = server.received
    assert path == "/wecom?key=K" and body["msgtype"] == "text"
    assert body["text"]["content"].startswith(f"【{campaign.name}】新任务:")
    assert events(robot, "robot.added").get().after["secret"] == ""


def test_a_dingtalk_robot_signs_each_message(server, campaign, office):
    services.add_robot(
        campaign,
        by=office,
        kind="dingtalk",
        name="钉钉群",
        webhook=f"{server.url}/robot/send?access_token=T",
        secret="SECabc",
    )
    with clock.pinned(TODAY):
        make_task(campaign, office)
    deliver_all()
    ((path, _body),) = server.received
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    ts = int(query["timestamp"][0])
    assert query["sign"] == [
        base64.b64encode(
            hmac.new(b"SECabc", f"{ts}\nSECabc".encode(), hashlib.sha256).digest()
        ).decode()
    ]


def test_a_unit_robot_carries_only_that_units_events(server, campaign, office):
    services.add_robot(
        campaign,
        by=office,
        kind="wecom",
        name="住建局群",
        webhook=f"{server.url}/zj",
        unit=unit("市住建局"),
        chosen_events=["task.assigned"],
    )
    with clock.pinned(TODAY):
        make_task(campaign, office)  # 市质监局: not for this robot
        zj = make_task(campaign, office, unit_name="市住建局", title="住建任务")
        services.redate_task(zj, by=office, due=zj.due - dt.timedelta(days=1))  # not subscribed
    deliver_all()
    assert [body["text"]["content"] for _p, body in server.received] == [
        f"【{campaign.name}】新任务:新任务:“住建任务”,期限 2019-02-28。"
    ]


def test_a_failing_robot_never_fails_the_action_and_is_retried(server, settings, campaign, office):
    settings.QC_DELIVERY_ATTEMPTS = 2
    server.fail = "errcode"
    services.add_robot(campaign, by=office, kind="wecom", name="群", webhook=f"{server.url}/w")
    with clock.pinned(TODAY):
        task = make_task(campaign, office)
    assert task.pk  # created, whatever the robot does later
    (delivery,) = Delivery.objects.filter(robot__isnull=False)
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert "errcode 310000" in delivery.last_error
    server.fail = "http"
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == "HTTP 502" and delivery.attempts == 2


def test_an_unreachable_robot_is_an_attempt_not_a_crash(settings, campaign, office):
    settings.QC_ROBOT_EXTRA_HOSTS = ["127.0.0.1"]
    services.add_robot(campaign, by=office, kind="wecom", name="群", webhook="http://127.0.0.1:9/x")
    with clock.pinned(TODAY):
        make_task(campaign, office)
    (delivery,) = Delivery.objects.filter(robot__isnull=False)
    assert services.attempt_delivery(delivery.pk) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error


def test_robots_refuse_other_hosts_and_other_regions_units(campaign, office, settings):
    settings.QC_ROBOT_EXTRA_HOSTS = []
    with pytest.raises(ValidationFailed) as refused:
        services.add_robot(
            campaign, by=office, kind="wecom", name="x", webhook="https://evil.example/hook"
        )
    assert "企业微信" in str(refused.value)
    with pytest.raises(ValidationFailed):
        services.add_robot(
            campaign,
            by=office,
            kind="wecom",
            name="x",
            webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
            unit=Unit.objects.create(
                code="lst-zjj",
                name="区质监局",
                kind="政府部门",
                region=Region.objects.get(code="431103"),
            ),
        )
    assert not Robot.objects.exists()


def test_only_the_campaigns_office_manages_robots(campaign, liaison):
    from qualitycity.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.add_robot(
            campaign,
            by=liaison,
            kind="wecom",
            name="x",
            webhook="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
        )


def test_a_switched_off_robot_gets_nothing(server, campaign, office):
    robot = services.add_robot(
        campaign, by=office, kind="wecom", name="群", webhook=f"{server.url}/w"
    )
    services.set_robot_active(robot, by=office, active=False)
    with clock.pinned(TODAY):
        make_task(campaign, office)
    assert not Delivery.objects.filter(robot=robot).exists()


# --- the worker -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_books_reminders_itself_and_sends_what_is_due(orgs, yongzhou, settings):
    """`qualitycity worker`: books the next reminder run when none waits, re-queues deliveries
    left pending, runs what is due, and never books a second reminder run."""
    from django_tasks_db.models import DBTaskResult

    from qualitycity.campaigns.tasks import _task_path, next_reminder_time

    call_command("worker", batch=True)
    (booked,) = DBTaskResult.objects.filter(task_path=_task_path())
    assert booked.status == "READY" and booked.run_after > dt.datetime.now(dt.UTC)
    call_command("worker", batch=True)
    assert DBTaskResult.objects.filter(task_path=_task_path()).count() == 1
    settings.QC_REMINDER_HOUR = 8
    shanghai_7am = dt.datetime(2026, 12, 2, 23, 0, tzinfo=dt.UTC)  # 07:00 on the 3rd, +08:00
    assert next_reminder_time(shanghai_7am, 8).isoformat() == "2026-12-03T08:00:00+08:00"
    shanghai_9am = dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)
    assert next_reminder_time(shanghai_9am, 8).isoformat() == "2026-12-04T08:00:00+08:00"
