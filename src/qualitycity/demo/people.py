"""The demo users, one per role, and a liaison login for units that report progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, Unit, User
from qualitycity.orgs.services import add_membership, create_user

DEMO_PASSWORD = "Yongzhou-2017"
CITY_CODE = "431100"


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


def _ensure_membership(user: User, role: str, region: Region, unit: Unit | None) -> None:
    if not Membership.objects.filter(user=user, role=role, region=region, unit=unit).exists():
        add_membership(user, by=None, role=role, region=region, unit=unit)


def ensure_user(demo: DemoUser, region: Region, password: str = DEMO_PASSWORD) -> User:
    """The demo user with its membership in `region` (its unit from that region's directory);
    an existing account is left as it is."""
    user = User.objects.filter(username=demo.username).first()
    if user is None:
        user = create_user(
            by=None,
            username=demo.username,
            password=password,
            full_name=demo.full_name,
            is_staff=demo.role in (Role.ADMIN, Role.OFFICE),
            is_superuser=demo.role == Role.ADMIN,
        )
    unit = Unit.objects.get(name=demo.unit, region=region) if demo.unit else None
    _ensure_membership(user, demo.role, region, unit)
    return user


@transaction.atomic
def ensure_demo_users(password: str = DEMO_PASSWORD) -> list[tuple[DemoUser, bool]]:
    """Create the demo users that do not exist yet; existing ones are left alone."""
    city = Region.objects.get(code=CITY_CODE)
    out = []
    for demo in DEMO_USERS:
        created = not User.objects.filter(username=demo.username).exists()
        ensure_user(demo, city, password)
        out.append((demo, created))
    return out


@transaction.atomic
def demo_liaison(unit: Unit) -> User:
    """A liaison login for a unit (created once; same password as the other demo users)."""
    username = f"liaison-{unit.code}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(
            by=None, username=username, password=DEMO_PASSWORD, full_name=f"{unit.name}联络员"
        )
    _ensure_membership(user, Role.LIAISON, Region.objects.get(code=CITY_CODE), unit)
    return user
