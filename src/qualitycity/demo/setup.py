"""`setup_demo()`: everything `make run` shows, in order: the built-in organisation, the demo
indicators, the built-in framework, one user per role, the demo campaign made as on its day, and a
county campaign (冷水滩区) with its own directory and office."""

from __future__ import annotations

from qualitycity import clock
from qualitycity.frameworks.loader import YONGZHOU_FILE, load_framework
from qualitycity.orgs.services import load_org_data

from .campaign import DEMO_TODAY, ensure_demo_campaign
from .county import ensure_county_campaign
from .indicators import ensure_demo_indicators
from .people import ensure_demo_users


def setup_demo() -> dict[str, object]:
    orgs = load_org_data()
    ensure_demo_indicators()
    framework, created = load_framework(YONGZHOU_FILE)
    users = ensure_demo_users()
    with clock.pinned(DEMO_TODAY):  # records dated as on the demo's day
        campaign = ensure_demo_campaign()
        county_campaign = ensure_county_campaign()
    return {
        "orgs": orgs,
        "framework": framework,
        "framework_created": created,
        "users": users,
        "campaign": campaign,
        "county_campaign": county_campaign,
    }
