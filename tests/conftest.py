"""Personas and data fixtures shared by all tests.

Personas follow ARCHITECTURE.md's roles: admin, office (创质办), liaison (成员单位联络员 of 市质监局),
assessor (评审专家), leader (领导), and an outsider with no membership.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Membership, Region, Unit, User
from qualitycity.orgs.services import load_org_data

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_562fb50c1431bb9b.txt"
PASSWORD = "Test-password-2017"


@pytest.fixture
def orgs(db):
    """The built-in Yongzhou regions, units, aliases and groups."""
    load_org_data()
    return Region.objects.get(code="431100")


@pytest.fixture
def yongzhou(orgs):
    """The built-in Yongzhou 2017 framework, loaded as version 1."""
    framework, _created = load_framework(YONGZHOU_FILE)
    return framework


def _persona(username: str, role: str | None, unit_name: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username)
    if role is not None:
        unit = Unit.objects.get(name=unit_name) if unit_name else None
        Membership.objects.create(
            user=user, role=role, region=Region.objects.get(code="431100"), unit=unit
        )
    return user


@pytest.fixture
def admin_user(orgs):
    user = _persona("t-admin", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def office(orgs):
    return _persona("t-office", Role.OFFICE, "市创质办")


@pytest.fixture
def liaison(orgs):
    return _persona("t-liaison", Role.LIAISON, "市质监局")


@pytest.fixture
def assessor(orgs):
    return _persona("t-assessor", Role.ASSESSOR)


@pytest.fixture
def leader(orgs):
    return _persona("t-leader", Role.LEADER)


@pytest.fixture
def outsider(orgs):
    return _persona("t-outsider", None)


@pytest.fixture
def seed_text() -> str:
    """The seed document; CI and developers have ../shared beside the project."""
    if not SEED.exists():
        pytest.fail(f"seed document not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def campaign(yongzhou, office):
    """Yongzhou's campaign on the built-in framework, with the seed's four phases."""
    import datetime as dt

    from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign

    return create_campaign(
        by=office,
        name="永州市创建全国质量强市示范城市",
        region=Region.objects.get(code="431100"),
        framework=yongzhou,
        start=dt.date(2017, 9, 1),
        end=dt.date(2019, 10, 31),
        phases=YONGZHOU_PHASES,
    )


@pytest.fixture
def open_round(campaign, office, assessor):
    """An open self-assessment round with the `assessor` persona assigned."""
    import datetime as dt

    from qualitycity.assessments.services import create_round

    return create_round(
        campaign,
        by=office,
        kind="self",
        name="2019年自评",
        start=dt.date(2019, 3, 1),
        end=dt.date(2019, 5, 31),
        assessors=[assessor],
    )
