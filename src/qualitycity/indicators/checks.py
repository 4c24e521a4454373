"""Checks on one observation's input: pure functions shared by the entry form and the import."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .choices import Series

MAX_VALUE = Decimal("999999999999")  # 12 integer digits, as the column stores
PLACES = Decimal("0.0001")


class ValueProblem(ValueError):
    pass


def parse_value(raw: object, *, series: str, unit: str = "") -> Decimal:
    """A number from a form field or a spreadsheet cell: "95.3", "95.3%", "1,204", 95.3."""
    if raw is None or isinstance(raw, bool):
        raise ValueProblem(_("数值不能为空。"))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem(_("数值“%(value)s”不是数字。") % {"value": raw})
        raw = repr(raw)
    text = str(raw).strip().replace(",", "").replace(",", "")
    if not text:
        raise ValueProblem(_("数值不能为空。"))
    if unit in ("%", "%") and text.endswith(("%", "%")):
        text = text[:-1].strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValueProblem(_("数值“%(value)s”不是数字。") % {"value": raw}) from exc
    if not number.is_finite():
        raise ValueProblem(_("数值“%(value)s”不是数字。") % {"value": raw})
    # By exponent first: abs() of 1E+999999999 overflows the decimal context (a 500 before).
    if number.adjusted() > MAX_VALUE.adjusted() or abs(number) > MAX_VALUE:
        raise ValueProblem(_("数值“%(value)s”过大。") % {"value": raw})
    if number != number.quantize(PLACES):
        raise ValueProblem(_("数值最多保留四位小数,收到“%(value)s”。") % {"value": raw})
    if series == Series.RANK:
        if number != number.to_integral_value() or number < 1:
            raise ValueProblem(_("排名必须是不小于 1 的整数,收到“%(value)s”。") % {"value": raw})
    elif unit in ("%", "%") and not Decimal(0) <= number <= Decimal(100):
        raise ValueProblem(_("百分比必须在 0 到 100 之间,收到“%(value)s”。") % {"value": raw})
    elif number < 0:
        raise ValueProblem(_("数值不能为负数,收到“%(value)s”。") % {"value": raw})
    return number.quantize(PLACES)
