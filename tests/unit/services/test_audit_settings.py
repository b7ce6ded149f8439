"""Audit thresholds are checked once, with messages that name the parameter."""

from __future__ import annotations

import pytest

from stockguard.domain import errors
from stockguard.services.audit.settings import AuditSettings, parse_intervals, parse_shares


def test_defaults_are_the_issue_s_80_15_5_and_monthly_quarterly_yearly_counts() -> None:
    settings = AuditSettings()
    assert settings.abc_cutoffs == pytest.approx((0.80, 0.95))
    assert settings.count_intervals == {"A": 30, "B": 91, "C": 365}
    assert (settings.dead_after_days, settings.excess_cover_days) == (90, 120.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"abc_shares": (80.0, 30.0, 5.0)}, "must add up to 100"),
        ({"abc_shares": (0.0, 50.0, 50.0)}, "three percentages"),
        ({"xyz_cutoffs": (1.5, 1.0)}, "X limit <= Y limit"),
        ({"dead_after_days": 0}, "dead_after_days = 0 must be at least 1"),
        ({"excess_cover_days": 0.5}, "excess_cover_days"),
        ({"slow_velocity": -1.0}, "slow_velocity"),
        ({"history_days": 60, "dead_after_days": 90}, "history_days = 60 must be at least 90"),
        ({"count_intervals": {"A": 30, "B": 91}}, "must give days for A, B and C"),
        ({"count_intervals": {"A": 0, "B": 91, "C": 365}}, "count interval of class A"),
    ],
)
def test_thresholds_that_do_not_hold_together_are_refused(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(errors.InvalidParameter, match=message):
        AuditSettings(**overrides)  # type: ignore[arg-type]


def test_shares_and_intervals_are_parsed_from_the_command_line_forms() -> None:
    assert parse_shares("70/20/10") == (70.0, 20.0, 10.0)
    assert parse_shares("70,20,10") == (70.0, 20.0, 10.0)
    assert parse_intervals("A=14, c=180") == {"A": 14, "B": 91, "C": 180}
    with pytest.raises(errors.InvalidParameter, match="like 80/15/5"):
        parse_shares("80/20")
    with pytest.raises(errors.InvalidParameter, match="like 80/15/5"):
        parse_shares("a/b/c")
    with pytest.raises(errors.InvalidParameter, match="A=30,B=91,C=365"):
        parse_intervals("A=monthly")
    with pytest.raises(errors.InvalidParameter, match="A, B and C"):
        AuditSettings(count_intervals=parse_intervals("D=3"))
