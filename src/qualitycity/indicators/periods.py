"""Reporting periods of an indicator: a year, a quarter or a month. Pure: no database.

A period is written as people write it in a report or a spreadsheet: "2018" (or "2018年") for a
year, "2018Q1" (or "2018-Q1", "2018年第1季度") for a quarter, "2018-03" (or "2018年3月",
"2018/3") for a month. `parse_period` reads any of these and refuses the rest with a message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

ANNUAL = "annual"
QUARTERLY = "quarterly"
MONTHLY = "monthly"
FREQUENCIES = (ANNUAL, QUARTERLY, MONTHLY)
FIRST_YEAR, LAST_YEAR = 1990, 2100

_YEAR = re.compile(r"^(\d{4})\s*年?(?:度)?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:年\s*第?|[-/ ]?\s*[Qq])\s*([1-4一二三四])\s*(?:季度?)?$")
_MONTH = re.compile(r"^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*月?$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    """A period that cannot be read for the indicator's frequency."""


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `sub` is 0 for a year, 1–4 for a quarter, 1–12 for a month."""

    year: int
    sub: int
    frequency: str

    @property
    def label(self) -> str:
        if self.frequency == QUARTERLY:
            return f"{self.year}Q{self.sub}"
        if self.frequency == MONTHLY:
            return f"{self.year}-{self.sub:02d}"
        return str(self.year)

    @property
    def end(self) -> dt.date:
        """The last day of the period: a value for it is known from this day on."""
        if self.frequency == QUARTERLY:
            month = self.sub * 3
        elif self.frequency == MONTHLY:
            month = self.sub
        else:
            month = 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def next(self) -> Period:
        last = {QUARTERLY: 4, MONTHLY: 12}.get(self.frequency, 0)
        if self.sub < last:
            return Period(self.year, self.sub + 1, self.frequency)
        return Period(self.year + 1, 1 if last else 0, self.frequency)

    def previous(self) -> Period:
        last = {QUARTERLY: 4, MONTHLY: 12}.get(self.frequency, 0)
        if self.sub > 1:
            return Period(self.year, self.sub - 1, self.frequency)
        return Period(self.year - 1, last, self.frequency)

    def __str__(self) -> str:
        return self.label


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            _("年份 %(year)s 超出范围(%(first)s–%(last)s)。")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def expected_format(frequency: str) -> str:
    return {
        ANNUAL: _("年度指标的期间写作“2018”"),
        QUARTERLY: _("季度指标的期间写作“2018Q1”"),
        MONTHLY: _("月度指标的期间写作“2018-03”"),
    }[frequency]


def parse_period(raw: object, frequency: str) -> Period:
    """A period of the given frequency from text (or a whole number for a year)."""
    if frequency not in FREQUENCIES:
        raise PeriodError(_("未知的数据频率“%(f)s”。") % {"f": frequency})
    if isinstance(raw, bool) or raw is None:
        raise PeriodError(_("期间不能为空。"))
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().replace("—", "-").replace("–", "-")
    if not text:
        raise PeriodError(_("期间不能为空。"))
    bad = PeriodError(
        _("期间“%(text)s”无法识别:%(expected)s。")
        % {"text": text, "expected": expected_format(frequency)}
    )
    if frequency == ANNUAL:
        match = _YEAR.match(text)
        if not match:
            raise bad
        return Period(_year(match.group(1)), 0, ANNUAL)
    if frequency == QUARTERLY:
        match = _QUARTER.match(text)
        if not match:
            raise bad
        q = match.group(2)
        return Period(_year(match.group(1)), _CN_DIGITS.get(q) or int(q), QUARTERLY)
    match = _MONTH.match(text)
    if not match:
        raise bad
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise bad
    return Period(_year(match.group(1)), month, MONTHLY)


def span(periods: list[Period]) -> str:
    """ "2016–2018年", "2018年", "2018Q1–2018Q3": the periods a statement is about."""
    if not periods:
        return ""
    first, last = periods[0], periods[-1]
    text = first.label if first == last else f"{first.label}–{last.label}"
    return _("%(span)s年") % {"span": text} if first.frequency == ANNUAL else text


def one(period: Period) -> str:
    return span([period])
