"""Thresholds of the stock audit, checked once with merchant-readable messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from stockguard.domain import errors
from stockguard.planning.audit import health

DEFAULT_COUNT_INTERVALS: dict[str, int] = {"A": 30, "B": 91, "C": 365}
"""Days between cycle counts per ABC class: monthly, quarterly, yearly."""


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """Cut-offs and thresholds (defaults from issue #6).

    Attributes:
        abc_shares: revenue shares of A, B and C in percent (80/15/5), summing to 100.
        xyz_cutoffs: CV of weekly demand up to which a series is X, then Y (0.5, 1.0).
        dead_after_days: no sale for this many days with stock on hand is dead stock (90).
        excess_cover_days: days of cover above which stock is excess (120).
        slow_velocity: units/day under which a SKU x location is a slow mover (0.1).
        history_days: days of sales history the audit reads (365).
        count_intervals: days between cycle counts per ABC class (A 30, B 91, C 365).
        at_risk_limit: rows shown in the "at risk" section (50).
    """

    abc_shares: tuple[float, float, float] = (80.0, 15.0, 5.0)
    xyz_cutoffs: tuple[float, float] = (0.5, 1.0)
    dead_after_days: int = health.DEFAULT_DEAD_AFTER_DAYS
    excess_cover_days: float = health.DEFAULT_EXCESS_COVER_DAYS
    slow_velocity: float = health.DEFAULT_SLOW_VELOCITY
    history_days: int = 365
    count_intervals: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_COUNT_INTERVALS))
    at_risk_limit: int = 50

    def __post_init__(self) -> None:
        _check_shares(self.abc_shares)
        x, y = self.xyz_cutoffs
        if not 0 <= x <= y:
            raise errors.InvalidParameter(
                "xyz_cutoffs", self.xyz_cutoffs, "must be two CVs with 0 <= X limit <= Y limit"
            )
        _at_least("dead_after_days", self.dead_after_days, 1)
        _at_least("excess_cover_days", self.excess_cover_days, 1)
        _at_least("slow_velocity", self.slow_velocity, 0)
        _at_least("history_days", self.history_days, max(28, self.dead_after_days))
        _at_least("at_risk_limit", self.at_risk_limit, 1)
        if set(self.count_intervals) != {"A", "B", "C"}:
            raise errors.InvalidParameter(
                "count_intervals", self.count_intervals, "must give days for A, B and C"
            )
        for name, days in self.count_intervals.items():
            _at_least(f"count interval of class {name}", days, 1)

    @property
    def abc_cutoffs(self) -> tuple[float, float]:
        """Cumulative revenue shares closing A and B (0.80, 0.95 by default)."""
        a, b, _ = self.abc_shares
        return a / 100.0, (a + b) / 100.0


def _check_shares(shares: tuple[float, float, float]) -> None:
    if len(shares) != 3 or any(not 0 <= s <= 100 for s in shares) or shares[0] <= 0:
        raise errors.InvalidParameter(
            "abc_shares", shares, "must be three percentages (A > 0), like 80/15/5"
        )
    if abs(sum(shares) - 100.0) > 1e-6:
        raise errors.InvalidParameter("abc_shares", shares, "must add up to 100")


def _at_least(name: str, value: float, low: float) -> None:
    if not value >= low:
        raise errors.InvalidParameter(name, value, f"must be at least {low:g}")


def parse_shares(text: str) -> tuple[float, float, float]:
    """``"80/15/5"`` -> (80.0, 15.0, 5.0); refuses anything else with a clear message."""
    parts = text.replace(",", "/").split("/")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise errors.InvalidParameter(
            "abc", text, "must be three percentages like 80/15/5"
        ) from None
    if len(values) != 3:
        raise errors.InvalidParameter("abc", text, "must be three percentages like 80/15/5")
    return values[0], values[1], values[2]


def parse_intervals(text: str) -> dict[str, int]:
    """``"A=30,B=91,C=365"`` -> days per class; refuses anything else with a clear message."""
    intervals: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, days = part.partition("=")
        try:
            intervals[name.strip().upper()] = int(days)
        except ValueError:
            raise errors.InvalidParameter(
                "count intervals", text, "must read like A=30,B=91,C=365 (days)"
            ) from None
    return {**DEFAULT_COUNT_INTERVALS, **intervals}
