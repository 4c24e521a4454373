"""Demo data for `make run`: the built-in organisation and framework, and one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from qualitycity.audit.services import record
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, Unit, User
from qualitycity.orgs.services import load_org_data

DEMO_PASSWORD = "Yongzhou-2017"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    unit: str | None


DEMO_USERS = (
    DemoUser("admin", "系统管理员", Role.ADMIN, None),
    DemoUser("office", "创质办 王主任", Role.OFFICE, "市创质办"),
    DemoUser("liaison", "市质监局 李联络员", Role.LIAISON, "市质监局"),
    DemoUser("expert", "评审专家 张教授", Role.ASSESSOR, None),
    DemoUser("leader", "市领导 陈副市长", Role.LEADER, None),
)


@transaction.atomic
def ensure_demo_users(password: str = DEMO_PASSWORD) -> list[tuple[DemoUser, bool]]:
    """Create the demo users that do not exist yet; existing ones are left alone."""
    city = Region.objects.get(code="431100")
    out = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        created = user is None
        if created:
            user = User(username=demo.username, full_name=demo.full_name)
            user.is_staff = demo.role in (Role.ADMIN, Role.OFFICE)
            user.is_superuser = demo.role == Role.ADMIN
            user.set_password(password)
            user.save()
            record(None, "user.created", user, after={"username": user.username, "demo": True})
        unit = Unit.objects.get(name=demo.unit) if demo.unit else None
        if not Membership.objects.filter(
            user=user, role=demo.role, region=city, unit=unit
        ).exists():
            membership = Membership.objects.create(
                user=user, role=demo.role, region=city, unit=unit
            )
            record(
                None, "membership.added", membership, after={"role": demo.role, "unit": demo.unit}
            )
        out.append((demo, created))
    return out


def setup_demo() -> dict[str, object]:
    orgs = load_org_data()
    from qualitycity.indicators.demo import ensure_demo_indicators

    ensure_demo_indicators()
    framework, created = load_framework(YONGZHOU_FILE)
    users = ensure_demo_users()
    from django.test.utils import override_settings

    from .demo_campaign import DEMO_TODAY, ensure_demo_campaign

    with override_settings(QC_TODAY=DEMO_TODAY):  # records dated as on the demo's day
        campaign = ensure_demo_campaign()
    return {
        "orgs": orgs,
        "framework": framework,
        "framework_created": created,
        "users": users,
        "campaign": campaign,
    }
