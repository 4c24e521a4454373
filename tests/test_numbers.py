"""Numbers as people read them (qualitycity.numbers and the `number` template filter)."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from qualitycity.numbers import format_number, places_of


def test_it_drops_trailing_zeros_and_keeps_the_unit():
    assert format_number(Decimal("93.1000"), "%") == "93.1%"
    assert format_number(Decimal("100.0000"), "%") == "100%"
    assert format_number(Decimal("0.0400"), "‰") == "0.04‰"
    assert format_number(Decimal("2.5000"), "万元") == "2.5 万元"
    assert format_number(Decimal("3")) == "3"


def test_it_gives_exactly_the_places_asked():
    assert format_number(Decimal("33"), "%", places=1) == "33.0%"
    assert format_number(Decimal("31.25"), places=1) == "31.2"  # banker's rounding of Decimal


def test_it_shows_at_most_four_places_and_no_negative_zero():
    assert format_number(Decimal("1.234567")) == "1.2346"
    assert format_number(Decimal("-0.00001")) == "0"
    assert format_number(Decimal("1E+2")) == "100"


def test_it_leaves_what_is_not_a_number_as_text():
    assert format_number(None) == ""
    assert format_number("—") == "—"
    assert format_number(True) == "True"
    assert format_number("12.50") == "12.5"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_it_never_prints_a_trailing_zero_after_the_point(value):
    text = format_number(value)
    if "." in text:
        assert not text.endswith("0")
    assert Decimal(text) == value.quantize(Decimal(1).scaleb(-places_of(value)))


def test_the_filter_follows_the_active_language():
    template = Template("{% load numbers %}{{ v|number }} {{ v|number:'%' }}")
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            assert template.render(Context({"v": Decimal("93.1000")})) == "93.1 93.1%"
    with translation.override("de"):  # a locale with a decimal comma: the locale decides
        assert template.render(Context({"v": Decimal("93.1000")})) == "93,1 93,1%"
