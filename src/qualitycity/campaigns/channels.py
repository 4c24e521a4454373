"""Outside channels: e-mail and the group robots of WeCom (企业微信) and DingTalk (钉钉).

`robot_request` builds the exact request each service expects (pure, tested directly);
`send_robot` posts it and raises `ChannelError` unless the service answers errcode 0. The worker
(`campaigns.tasks.deliver`) calls these; no page or service waits on them.

- WeCom: POST JSON `{"msgtype": "text", "text": {"content": ...}}` to the robot's webhook
  (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`). Its key is the secret; WeCom signs
  nothing else.
- DingTalk: the same JSON to `https://oapi.dingtalk.com/robot/send?access_token=…`; with 加签 the
  URL also carries `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(secret,
  f"{timestamp}\\n{secret}"))), as DingTalk's documentation requires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

TIMEOUT_SECONDS = 10
MAX_ROBOT_TEXT = 2000  # WeCom takes 2,048 bytes of text content; DingTalk more


class ChannelError(Exception):
    """The channel did not take the message (network, HTTP status, or the service's errcode)."""


@dataclass(frozen=True)
class RobotRequest:
    url: str
    body: bytes


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def robot_request(
    kind: str, webhook: str, secret: str, text: str, timestamp_ms: int
) -> RobotRequest:
    body = json.dumps(
        {"msgtype": "text", "text": {"content": text[:MAX_ROBOT_TEXT]}}, ensure_ascii=False
    ).encode()
    url = webhook
    if kind == "dingtalk" and secret:
        joiner = "&" if "?" in url else "?"
        url = f"{url}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"
    return RobotRequest(url, body)


def allowed_webhook(url: str) -> bool:
    """Robots post only to the hosts of WeCom and DingTalk over HTTPS, or to hosts the installation
    lists in QC_ROBOT_HOSTS (a private relay; the tests' local server). The server never posts to an
    address a user typed unless it is one of these."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in settings.QC_ROBOT_EXTRA_HOSTS:
        return parts.scheme in ("http", "https")
    return parts.scheme == "https" and host in settings.QC_ROBOT_HOSTS


def send_robot(kind: str, webhook: str, secret: str, text: str, timestamp_ms: int) -> None:
    if not allowed_webhook(webhook):
        raise ChannelError(f"webhook host not allowed: {urllib.parse.urlsplit(webhook).hostname}")
    req = robot_request(kind, webhook, secret, text, timestamp_ms)
    request = urllib.request.Request(
        req.url,
        data=req.body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(str(getattr(exc, "reason", exc))) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ChannelError("answer is not JSON") from exc
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        raise ChannelError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:500])


def send_email(address: str, subject: str, body: str) -> None:
    try:
        sent = send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=False,
        )
    except Exception as exc:  # SMTP errors, refused connections: the worker retries
        raise ChannelError(str(exc) or exc.__class__.__name__) from exc
    if not sent:
        raise ChannelError("the mail backend sent nothing")
