"""No page shows an internal code where a name exists. The main pages are rendered as every
demo persona on the demo's own data (`setup_demo`, as `make run` shows it), and the visible text
(no markup, scripts or data attributes) is searched for indicator codes, unit and group codes,
choice values (in_progress, lead, cooperating …) and rule kinds (threshold …)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from qualitycity.frameworks.rules import RULE_TYPES
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

PERSONAS = ("admin", "office", "liaison", "expert", "leader", "lst-office", "lst-liaison")
# Words that are both a code and legitimately shown: the demo accounts' usernames are shown as
# such on the user pages (and "admin", "office", "liaison", "leader" are also Role values).
USERNAMES = set(PERSONAS)
IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def _choice_values() -> set[str]:
    from tests.test_i18n_models import _choice_classes, _import_project_modules

    _import_project_modules()
    values = set()
    for cls in _choice_classes():
        values |= {str(v) for v in cls.values if IDENTIFIER.fullmatch(str(v))}
    return values


def internal_codes() -> dict[str, str]:
    """code → what it is."""
    from qualitycity.indicators.models import Indicator
    from qualitycity.orgs.models import Unit, UnitGroup

    codes: dict[str, str] = {}
    codes |= {v: "choice value" for v in _choice_values()}
    codes |= {v: "rule kind" for v in RULE_TYPES}
    codes |= {c: "unit code" for c in Unit.objects.values_list("code", flat=True) if c}
    codes |= {c: "group code" for c in UnitGroup.objects.values_list("code", flat=True) if c}
    codes |= {c: "indicator code" for c in Indicator.objects.values_list("code", flat=True)}
    return {c: k for c, k in codes.items() if not c.isdigit() and c not in USERNAMES}


def shown(text: str, codes: dict[str, str]) -> set[str]:
    words = set(re.findall(r"(?<![\w-])[A-Za-z][\w-]*(?![\w-])", text))
    return {w for w in words if w in codes}


def pages() -> Iterator[str]:
    from qualitycity.assessments.models import Evidence, Finding, Round
    from qualitycity.campaigns.choices import WorkRole
    from qualitycity.campaigns.models import Campaign, Meeting, SupervisionNotice, Task
    from qualitycity.indicators.models import Indicator
    from qualitycity.orgs.models import Unit
    from qualitycity.web.queues import QUEUES

    yield from ("/", "/campaigns/", "/campaigns/my/", "/campaigns/notifications/")
    yield from ("/frameworks/", "/indicators/", "/rounds/", "/findings/", "/evidence/")
    yield from ("/orgs/units/", "/orgs/groups/", "/orgs/users/")
    yield from (q.url for q in QUEUES)
    for campaign in Campaign.objects.order_by("pk"):
        c = campaign.pk
        yield from (
            f"/campaigns/{c}/",
            f"/campaigns/{c}/tasks/",
            f"/campaigns/{c}/measures/",
            f"/campaigns/{c}/measures/1/",
            f"/campaigns/{c}/responsibilities/",
            f"/campaigns/{c}/meetings/",
            f"/campaigns/{c}/notices/",
            f"/campaigns/{c}/monthly/",
            f"/campaigns/{c}/board/",
            f"/campaigns/{c}/timeline/",
            f"/frameworks/{campaign.framework_id}/",
        )
        for role in WorkRole.values:
            for task in Task.objects.filter(campaign=campaign, role=role).order_by("pk")[:1]:
                yield f"/campaigns/tasks/{task.pk}/"
    zhijian = Unit.objects.filter(name="市质监局").first()
    for task in Task.objects.filter(unit=zhijian).order_by("role", "pk")[:3]:
        yield f"/campaigns/tasks/{task.pk}/"
        yield f"/campaigns/{task.campaign_id}/monthly/{task.unit_id}/"
    yield from (f"/campaigns/meetings/{m.pk}/" for m in Meeting.objects.order_by("pk")[:3])
    yield from (f"/campaigns/notices/{n.pk}/" for n in SupervisionNotice.objects.order_by("pk"))
    yield from (f"/indicators/{i.pk}/" for i in Indicator.objects.order_by("pk")[:6])
    for rnd in Round.objects.order_by("pk"):
        yield from (f"/rounds/{rnd.pk}/", f"/rounds/{rnd.pk}/gaps/")
    first = Round.objects.order_by("pk").first()
    yield from (f"/rounds/{first.pk}/score/?dim={d}" for d in range(1, 11))
    yield from (f"/findings/{f.pk}/" for f in Finding.objects.order_by("pk")[:3])
    yield from (f"/evidence/{e.pk}/" for e in Evidence.objects.order_by("pk")[:2])


def test_codes_are_found_in_the_text_and_not_in_markup():
    codes = {"CERT_COVERAGE": "indicator code", "in_progress": "choice value", "lead": "x"}
    html = (
        '<tr data-indicator="CERT_COVERAGE" class="lead"><td title="in_progress">认证</td>'
        "<td>CERT_COVERAGE</td><script>var lead = 1;</script></tr>"
    )
    assert shown(visible_text(html), codes) == {"CERT_COVERAGE", "in_progress"}
    assert shown(visible_text("<p>in_progress_x leadership</p>"), codes) == set()


def test_no_page_shows_an_internal_code_where_a_name_exists(client, empty_database):
    from qualitycity.orgs.models import User

    call_command("setup_demo", stdout=open("/dev/null", "w"))
    codes = internal_codes()
    assert {"NATIONAL_SUPERVISION_PASS_RATE", "in_progress", "lead", "threshold"} <= set(codes)
    urls = list(dict.fromkeys(pages()))
    found: list[str] = []
    rendered = 0
    for username in PERSONAS:
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            rendered += 1
            for code in sorted(shown(visible_text(response.content.decode()), codes)):
                found.append(f"{username} {url}: {code} ({codes[code]})")
    assert rendered > 200
    assert not found, "internal codes shown:\n" + "\n".join(found)
