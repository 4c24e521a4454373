"""Demo data: the built-in indicators and five years (2014–2018) of made-up values for Yongzhou,
with national benchmarks. Some targets are met, some not, one has no data yet.

`ensure_demo_indicators()` is idempotent: it loads the built-in indicators and adds only the
observations that are not there yet (values someone changed are left alone).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from qualitycity.indicators.choices import Series
from qualitycity.indicators.models import Indicator
from qualitycity.indicators.periods import ANNUAL, Period
from qualitycity.indicators.services import Entry, add_missing_observations, load_indicators
from qualitycity.orgs.models import Region

from .people import CITY_CODE

YEARS = (2014, 2015, 2016, 2017, 2018)
SOURCE = "演示数据"

# code → {series: five values for 2014–2018}; None: no value that year.
DEMO_VALUES: dict[str, dict[str, tuple[str | None, ...]]] = {
    # 产品质量
    "NATIONAL_SUPERVISION_PASS_RATE": {
        Series.VALUE: ("88.6", "89.9", "91.2", "92.4", "93.1"),
        Series.NATIONAL_AVERAGE: ("92.3", "91.1", "91.6", "91.5", "89.4"),
    },
    "PRODUCT_SUPERVISION_PASS_RATE": {Series.VALUE: ("92.8", "93.5", "94.2", "94.6", "95.1")},
    "CERT_COVERAGE": {Series.VALUE: ("96.5", "98.0", "99.2", "100", "100")},
    "AGRI_STANDARDIZATION_RATE": {Series.VALUE: ("22.4", "25.1", "27.6", "29.3", "30.0")},
    "MAIN_AGRI_PASS_RATE": {
        Series.VALUE: ("95.2", "95.8", "96.4", "96.9", "97.3"),
        Series.NATIONAL_AVERAGE: ("96.9", "97.1", "97.5", "97.8", "97.5"),
    },
    "LOCAL_AGRI_PASS_RATE": {Series.VALUE: ("93.6", "94.2", "94.9", "95.4", "94.8")},
    "FOOD_SAMPLING_PASS_RATE": {
        Series.VALUE: ("94.1", "95.6", "96.3", "97.0", "97.6"),
        Series.NATIONAL_AVERAGE: ("94.7", "96.8", "96.8", "97.6", "97.6"),
    },
    "IMPORT_INSPECTION_RANK": {Series.RANK: ("14", "11", "9", "8", "7")},
    "EXPORT_NOTIFICATION_RATE": {
        Series.VALUE: ("0.052", "0.047", "0.041", "0.036", "0.033"),
        Series.NATIONAL_AVERAGE: ("0.046", "0.044", "0.043", "0.040", "0.038"),
    },
    "SPECIAL_EQUIPMENT_DEATH_RATE": {
        Series.VALUE: ("0.52", "0.41", "0.38", "0.29", "0.27"),
        Series.NATIONAL_AVERAGE: ("0.44", "0.40", "0.36", "0.28", "0.24"),
    },
    # 工程质量
    "LARGE_PROJECT_ACCEPTANCE_RATE": {Series.VALUE: ("100", "100", "100", "100", "100")},
    "OTHER_PROJECT_ACCEPTANCE_RATE": {Series.VALUE: ("96.8", "97.4", "98.1", "98.5", "98.9")},
    "ENERGY_SAVING_BUILDING_SHARE": {Series.VALUE: ("42.5", "46.8", "51.2", "55.9", "60.3")},
    "INDUSTRIALIZED_CONSTRUCTION_SHARE": {Series.VALUE: ("3.1", "4.0", "5.2", "6.8", "6.5")},
    "GREEN_BUILDING_SHARE": {Series.VALUE: ("8.5", "12.0", "18.6", "26.3", "35.2")},
    "NEW_BUILDING_ENERGY_STANDARD_RATE": {Series.VALUE: ("97.2", "98.6", "99.3", "100", "100")},
    "AFFORDABLE_HOUSING_SUPERVISION_COVERAGE": {
        Series.VALUE: ("98.0", "99.1", "100", "100", "100")
    },
    "AFFORDABLE_HOUSING_ACCEPTANCE_RATE": {Series.VALUE: ("98.5", "99.0", "99.6", "100", "99.8")},
    # 服务质量
    "SERVICE_STANDARDIZATION_PILOTS": {Series.VALUE: ("0", "0", "0", "1", "1")},
    "SERVICE_SATISFACTION_TREND": {Series.VALUE: ("76.2", "77.5", "78.8", "78.3", "79.6")},
    "CONSUMER_SERVICE_SATISFACTION": {Series.VALUE: ("72.4", "73.8", "75.6", "76.9", "78.2")},
    # PRODUCER_SERVICE_SATISFACTION: no survey yet, so no data (数据不足).
}


@transaction.atomic
def ensure_demo_indicators() -> dict[str, int]:
    """Load the built-in indicators and add the demo observations that are missing."""
    counts = load_indicators()
    city = Region.objects.get(code=CITY_CODE)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(DEMO_VALUES))}
    entries = []
    for code, series_values in DEMO_VALUES.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        for series, values in series_values.items():
            region = None if series == Series.NATIONAL_AVERAGE else city
            for year, value in zip(YEARS, values, strict=True):
                if value is None:
                    continue
                period = Period(year, 0, ANNUAL)
                entries.append(
                    Entry(indicator, str(series), region, period, Decimal(value), SOURCE)
                )
    counts["observations"] = add_missing_observations(entries, by=None)
    return counts
