"""Reference data built once per test session, and the personas every test file uses.

The Yongzhou organisation, the built-in Yongzhou 2017 framework and the built-in indicators are
loaded into the test database once, when it is created; every test then runs inside a transaction
that is rolled back, so the reference data is shared and never drifts. Tests that need real
commits (the browser tests' live server) run last (pytest-django orders them so) and flush the
database; the fixtures below load the reference data again when they find it missing.

Personas follow docs/architecture.md's roles: admin, office (创质办), liaison (成员单位联络员 of
市质监局), assessor (评审专家), leader (领导), and an outsider with no membership.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.frameworks.models import Framework
from qualitycity.orgs.choices import Role
from qualitycity.orgs.models import Region
from qualitycity.orgs.services import load_org_data
from tests.factories import CITY, PASSWORD, persona

__all__ = ["PASSWORD"]

YONGZHOU_CODE = "yongzhou-2017"
SEED = (
    Path(__file__).resolve().parents[1]
    / "docs"
    / "sources"
    / "yongzhou-2017-implementation-plan.txt"
)

# The suite shares a 2-core machine with its own xdist workers: no deadline, no "too slow" check.
hypothesis_settings.register_profile(
    "qualitycity", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("qualitycity")


def load_reference_data() -> None:
    """Organisation, framework and indicators, each only if it is not there yet."""
    from qualitycity.indicators.models import Indicator
    from qualitycity.indicators.services import load_indicators

    if not Region.objects.filter(code=CITY).exists():
        load_org_data()
    if not Framework.objects.filter(code=YONGZHOU_CODE).exists():
        load_framework(YONGZHOU_FILE)
    if not Indicator.objects.exists():
        load_indicators()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def orgs(db):
    """The built-in Yongzhou regions, units, aliases and groups."""
    load_reference_data()
    return Region.objects.get(code=CITY)


@pytest.fixture
def yongzhou(orgs):
    """The built-in Yongzhou 2017 framework (version 1)."""
    return Framework.objects.get(code=YONGZHOU_CODE, version=1)


@pytest.fixture
def no_framework(orgs):
    """No framework loaded, for tests of loading itself (deleted inside the test's transaction)."""
    from qualitycity.audit.models import AuditEvent

    Framework.objects.all().delete()
    AuditEvent.objects.filter(object_type__startswith="frameworks.").delete()


@pytest.fixture
def no_indicators(orgs):
    """No indicators loaded, for tests of loading itself (deleted inside the test's transaction)."""
    from qualitycity.indicators.models import Indicator

    Indicator.objects.all().delete()


@pytest.fixture
def empty_database(db):
    """No reference data at all, as on a new installation (removed inside the test's transaction)."""
    from qualitycity.audit.models import AuditEvent
    from qualitycity.indicators.models import Indicator
    from qualitycity.orgs.models import Alias, Unit, UnitGroup

    Indicator.objects.all().delete()
    Framework.objects.all().delete()
    Alias.objects.all().delete()
    UnitGroup.objects.all().delete()
    Unit.objects.all().delete()
    while Region.objects.exists():  # leaves first: a region protects its children
        Region.objects.filter(children__isnull=True).delete()
    AuditEvent.objects.all().delete()


@pytest.fixture
def city(orgs):
    """永州市, the region of the built-in organisation."""
    return orgs


@pytest.fixture
def indicators(orgs):
    """The built-in indicators of 二(二), by code."""
    from qualitycity.indicators.models import Indicator

    return {i.code: i for i in Indicator.objects.select_related("responsible_unit")}


@pytest.fixture
def zhijian(orgs):
    """市质监局, the `liaison` persona's unit."""
    from qualitycity.orgs.models import Unit

    return Unit.objects.get(name="市质监局")


@pytest.fixture
def qzj(zhijian):
    return zhijian


@pytest.fixture
def zhujian(orgs):
    """市住建局, a second unit."""
    from qualitycity.orgs.models import Unit

    return Unit.objects.get(name="市住建局")


@pytest.fixture
def zhujian_liaison(orgs):
    """A liaison of 市住建局 without an email address."""
    return persona("t-liaison-zhujian", Role.LIAISON, "市住建局")


@pytest.fixture
def other_unit(orgs):
    """A unit that is neither 市质监局 nor the office."""
    from qualitycity.orgs.models import Unit

    return Unit.objects.exclude(name__in=["市质监局", "市创质办"]).order_by("position").first()


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a temporary folder, so nothing reaches var/media."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def admin_user(orgs):
    user = persona("t-admin", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def office(orgs):
    return persona("t-office", Role.OFFICE, "市创质办")


@pytest.fixture
def liaison(orgs):
    return persona("t-liaison", Role.LIAISON, "市质监局")


@pytest.fixture
def assessor(orgs):
    return persona("t-assessor", Role.ASSESSOR)


@pytest.fixture
def leader(orgs):
    return persona("t-leader", Role.LEADER)


@pytest.fixture
def province_office(orgs):
    """The office of 湖南省: reads every campaign of the province, writes the reference series."""
    return persona("t-province", Role.OFFICE, region_code="430000")


@pytest.fixture
def outsider(orgs):
    return persona("t-outsider", None)


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed document, kept in the repository under docs/sources/."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def campaign(yongzhou, office):
    """Yongzhou's campaign on the built-in framework, with the seed's four phases."""
    import datetime as dt

    from qualitycity.campaigns.services import YONGZHOU_PHASES, create_campaign

    return create_campaign(
        by=office,
        name="永州市创建全国质量强市示范城市",
        region=Region.objects.get(code=CITY),
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


@pytest.fixture(autouse=True)
def _fresh_framework_tables():
    """Frameworks' tables are kept per process (frameworks/structure.py, assessments/league.py);
    a test that deletes and imports frameworks again must not meet the previous test's rows."""
    from qualitycity.assessments.league import _STANDINGS, _STRUCTURES
    from qualitycity.frameworks.structure import clear

    clear()
    _STRUCTURES.clear()
    _STANDINGS.clear()
    yield
