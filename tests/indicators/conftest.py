from __future__ import annotations

import pytest

from qualitycity.indicators.models import Indicator
from qualitycity.orgs.models import Region


@pytest.fixture
def indicators(orgs):
    """The built-in indicators of 二(二) (loaded once per session with the reference data)."""
    return {i.code: i for i in Indicator.objects.select_related("responsible_unit")}


@pytest.fixture
def city(orgs):
    return Region.objects.get(code="431100")
