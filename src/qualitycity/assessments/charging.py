"""Charging lost points to units (pure): the per-unit losses add up to what the round lost.

The rule: a row's lost points are split evenly among its lead units (a lead group counts as one
party, under its name); a row with no lead unit is charged to no unit but to the "unassigned"
party, so nothing is lost from the sum. Amounts are in hundredths of a point; the remainder of an
uneven split goes one hundredth at a time to the first parties in the row's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
UNASSIGNED = ""


@dataclass
class Charge:
    party: str  # a unit's or group's name; UNASSIGNED for rows without a lead unit
    amount: Decimal = Decimal(0)
    rows: int = 0  # rows charged to this party
    shared_rows: int = 0  # of which the party shares with other lead units
    keys: list[str] = field(default_factory=list)


def split(lost: Decimal, parties: int) -> list[Decimal]:
    """`lost` in `parties` shares of whole hundredths that add up to `lost` exactly (rounded to
    hundredths first); earlier shares take the remainder."""
    if parties <= 0:
        raise ValueError("parties must be positive")
    total = lost.quantize(CENT)
    base = (total / parties).quantize(CENT, rounding=ROUND_DOWN)
    remainder = int((total - base * parties) / CENT)
    return [base + (CENT if i < remainder else 0) for i in range(parties)]


def charge_losses(rows: Sequence[tuple[str, Decimal, Sequence[str]]]) -> list[Charge]:
    """(row key, lost points, lead parties in order) → one charge per party, most charged first.

    Parties repeated within a row count once."""
    charges: dict[str, Charge] = {}
    for key, lost, parties in rows:
        if lost <= 0:
            continue
        unique = list(dict.fromkeys(parties)) or [UNASSIGNED]
        for party, share in zip(unique, split(lost, len(unique)), strict=True):
            charge = charges.setdefault(party, Charge(party))
            charge.amount += share
            charge.rows += 1
            charge.shared_rows += 1 if len(unique) > 1 else 0
            charge.keys.append(key)
    return sorted(charges.values(), key=lambda c: (c.party == UNASSIGNED, -c.amount, c.party))
