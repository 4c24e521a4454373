"""Names of what a framework's rules name by code but do not own: the indicators.

A rule `{type: indicator, indicator: NATIONAL_SUPERVISION_PASS_RATE}` is shown with the
indicator's name (国家监督抽查产品合格率), never its code. The indicators app sits above this
one, so it provides the lookup when Django starts (`IndicatorsConfig.ready`) and the framework
pages ask here: one query for all the codes of a page, none when no rule reads an indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

IndicatorNames = Callable[[Collection[str]], Mapping[str, str]]

_indicator_names: IndicatorNames | None = None


def provide_indicator_names(lookup: IndicatorNames) -> None:
    """Called once by the app that owns indicators: codes → names."""
    global _indicator_names
    _indicator_names = lookup


def indicator_names(codes: Collection[str]) -> dict[str, str]:
    """Indicators' names by code, for `rules.describe`; {} without codes or a provider."""
    if not codes or _indicator_names is None:
        return {}
    return dict(_indicator_names(codes))
