"""Numbers as people read them: no trailing zeros, the active language's decimal separator, the
unit kept. Pure (no database); the `number` template filter (web/templatetags/numbers.py) and
the indicator statements (indicators/evaluation.py) use it.

    format_number(Decimal("93.1000"), "%")  -> "93.1%"
    format_number(Decimal("100.0000"))      -> "100"
    format_number(Decimal("2.5"), "万元")    -> "2.5 万元"
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats

MAX_PLACES = 4
# Units written against the number (93.1%); any other unit follows a space (2.5 万元).
ATTACHED_UNITS = frozenset({"%", "\uff05", "‰", "‱"})  # % and full-width ％


def to_decimal(value: object) -> Decimal | None:
    """A Decimal for a number-like value (Decimal, int, float, numeric text); None otherwise."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except (InvalidOperation, ValueError):
            return None
    return number if number.is_finite() else None


def places_of(number: Decimal, max_places: int = MAX_PLACES) -> int:
    """Decimal places the number needs once its trailing zeros are dropped (at most max_places)."""
    exponent = number.normalize().as_tuple().exponent
    return min(max(0, -exponent), max_places) if isinstance(exponent, int) else 0


def with_unit(text: str, unit: str = "") -> str:
    if not unit:
        return text
    if unit in ATTACHED_UNITS:
        return f"{text}{unit}"
    return f"{text} {unit}"


def format_number(
    value: object, unit: str = "", *, places: int | None = None, max_places: int = MAX_PLACES
) -> str:
    """The value without trailing zeros (or with exactly `places` decimals), in the active
    language's format, with its unit. A value that is not a number is returned as text."""
    number = to_decimal(value)
    if number is None:
        return "" if value is None else str(value)
    auto = places is None
    try:
        if places is None:
            places = places_of(number, max_places)
        number = number.quantize(Decimal(1).scaleb(-places))
        if auto:  # rounding to max_places may leave zeros behind (1.00001 → 1.0000)
            places = places_of(number, max_places)
            number = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than the context holds: leave it as it is
        return with_unit(str(number), unit)
    if number == 0:
        number = abs(number)  # no "-0"
    text = formats.number_format(number, decimal_pos=places, use_l10n=True)
    return with_unit(text, unit)
