"""Contract clauses: validation, the clause in force, and the penalty arithmetic."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stockguard.domain import contracts as c

D = Decimal


def a_clause(**overrides: object) -> c.ContractClause:
    values: dict[str, object] = {
        "supplier": "ACME",
        "valid_from": date(2026, 1, 1),
        "late_penalty_percent": D("0.5"),
        "late_cap_percent": D("10"),
    }
    values.update(overrides)
    return c.ContractClause(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "0.00"), (1, "5.00"), (4, "20.00"), (20, "100.00"), (30, "100.00")],
)
def test_late_penalty_is_the_daily_rate_times_days_late_capped(days: int, expected: str) -> None:
    # V = 1,000.00, r = 0.5 %/day, c = 10 %: min(k * 0.5, 10) % of 1,000
    amount = c.late_penalty(
        value=D("1000.00"), days_late=days, rate_percent_per_day=D("0.5"), cap_percent=D("10")
    )
    assert amount == D(expected)


def test_a_partial_receipt_is_charged_on_its_own_value() -> None:
    # 40 of 100 units at 10.00 arrive 4 days late: 2 % of 400.00
    amount = c.late_penalty(
        value=D("10.00") * 40, days_late=4, rate_percent_per_day=D("0.5"), cap_percent=D("10")
    )
    assert amount == D("8.00")


def test_penalties_round_half_up_to_the_cent() -> None:
    amount = c.late_penalty(
        value=D("33.33"), days_late=3, rate_percent_per_day=D("0.25"), cap_percent=D("10")
    )
    assert amount == D("0.25")  # 0.75 % of 33.33 = 0.249975


def test_days_late_counts_whole_days_after_the_due_date_only() -> None:
    assert c.days_late(due_on=date(2026, 3, 10), received_on=date(2026, 3, 8)) == 0
    assert c.days_late(due_on=date(2026, 3, 10), received_on=date(2026, 3, 10)) == 0
    assert c.days_late(due_on=date(2026, 3, 10), received_on=date(2026, 3, 14)) == 4


def test_due_date_is_the_po_expected_date_else_order_date_plus_max_lead_time() -> None:
    assert c.due_date(
        ordered_on=date(2026, 3, 1), expected_on=date(2026, 3, 20), max_lead_time_days=14
    ) == date(2026, 3, 20)
    assert c.due_date(ordered_on=date(2026, 3, 1), expected_on=None, max_lead_time_days=14) == date(
        2026, 3, 15
    )
    assert c.due_date(ordered_on=None, expected_on=None, max_lead_time_days=14) is None


def test_quality_penalty_applies_only_above_the_threshold() -> None:
    above = c.quality_penalty(
        value=D("500"), delivered=100, rejected=5, threshold=D("0.02"), rate_percent=D("5")
    )
    at_threshold = c.quality_penalty(
        value=D("500"), delivered=100, rejected=2, threshold=D("0.02"), rate_percent=D("5")
    )
    assert (above, at_threshold) == (D("25.00"), D("0.00"))


def test_short_fill_counts_units_below_the_guarantee_rounded_up() -> None:
    assert c.short_fill_units(ordered=100, received=90, guaranteed_fill_rate=D("0.95")) == 5
    assert c.short_fill_units(ordered=7, received=6, guaranteed_fill_rate=D("0.9")) == 1  # 6.3
    assert c.short_fill_units(ordered=100, received=96, guaranteed_fill_rate=D("0.95")) == 0
    penalty = c.short_fill_penalty(unit_cost=D("10.00"), short_units=5, rate_percent=D("20"))
    assert penalty == D("10.00")


def test_the_clause_in_force_is_the_one_valid_on_the_day() -> None:
    old = a_clause(valid_to=date(2026, 5, 31))
    new = a_clause(valid_from=date(2026, 6, 1), late_penalty_percent=D("1"))
    assert c.clause_on([old, new], date(2026, 5, 31)) is old
    assert c.clause_on([old, new], date(2026, 6, 1)) is new
    assert c.clause_on([old, new], date(2025, 12, 31)) is None


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"late_cap_percent": None}, "late_cap_percent", "is needed with a late penalty"),
        ({"late_penalty_percent": D("-1")}, "late_penalty_percent", "between 0 and 100"),
        ({"guaranteed_fill_rate": D("95")}, "guaranteed_fill_rate", "between 0 and 1"),
        ({"max_lead_time_days": -2}, "max_lead_time_days", "0 days or more"),
        ({"valid_to": date(2025, 1, 1)}, "valid_to", "is before valid_from"),
        ({"quality_penalty_percent": D("5")}, "quality_threshold", "is needed with a quality"),
        ({"supplier": " "}, "supplier", "must name a supplier"),
    ],
)
def test_a_bad_clause_is_refused_naming_the_field_and_why(
    overrides: dict[str, object], field: str, reason: str
) -> None:
    with pytest.raises(c.InvalidContract) as refused:
        a_clause(**overrides)
    assert refused.value.field == field
    assert reason in str(refused.value)
    assert str(refused.value).startswith(f"Contract field {field} = ")
