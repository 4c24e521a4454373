"""Loading the plan's measures (主要措施) into a campaign."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.audit.services import record
from qualitycity.errors import ValidationFailed
from qualitycity.frameworks.models import Criterion
from qualitycity.orgs.models import User
from qualitycity.orgs.services import name_index

from ..choices import WorkRole
from ..models import (
    Campaign,
    Measure,
    MeasureUnit,
)
from .common import require_office

MEASURES_FILE = Path(__file__).resolve().parents[1] / "data" / "yongzhou-2017-measures.yaml"


@transaction.atomic
def load_measures(campaign: Campaign, *, by: User | None, path: Path = MEASURES_FILE) -> int:
    """Load the plan's measures into a campaign once; returns how many were created."""
    require_office(by, campaign)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = name_index(campaign.region_id)
    criteria = {c.key: c for c in Criterion.objects.filter(framework=campaign.framework_id)}
    problems = []
    for m in data["measures"]:
        for name in [*m["lead_units"], *m.get("cooperating_units", [])]:
            if name not in index:
                problems.append(
                    _("措施 %(n)s:“%(name)s”不是本行政区名录中的单位或单位组。")
                    % {"n": m["number"], "name": name}
                )
        for key in m.get("criteria", []):
            if key not in criteria:
                problems.append(
                    _("措施 %(n)s:评分细则 %(key)s 不存在。") % {"n": m["number"], "key": key}
                )
    if problems:
        raise ValidationFailed(problems)
    existing = set(Measure.objects.filter(campaign=campaign).values_list("number", flat=True))
    created = 0
    for m in data["measures"]:
        if m["number"] in existing:
            continue
        measure = Measure.objects.create(
            campaign=campaign,
            number=m["number"],
            section=m["section"],
            title=m["title"],
            text=m["text"],
            bracket=m["bracket"],
        )
        measure.criteria.set([criteria[k] for k in m.get("criteria", [])])
        for role, names in (
            (WorkRole.LEAD, m["lead_units"]),
            (WorkRole.COOPERATING, m.get("cooperating_units", [])),
        ):
            for pos, name in enumerate(names):
                ref = index[name]
                MeasureUnit.objects.create(
                    measure=measure,
                    role=role,
                    position=pos,
                    printed_name=name,
                    unit_id=ref.pk if ref.kind == "unit" else None,
                    group_id=ref.pk if ref.kind == "group" else None,
                )
        created += 1
    if created:
        record(by, "measures.loaded", campaign, after={"created": created, "file": path.name})
    return created
