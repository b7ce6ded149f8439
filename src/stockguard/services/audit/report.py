"""The stock audit report: ABC x XYZ, slow movers, dead and excess stock, stock at risk and
stock-out history, composed from the planning numerics (``planning.audit``).

Per SKU x location over the ``history_days`` before ``today``:

* revenue = units sold x the product's current price; ABC by share of revenue
  (``planning.inventory.abc.classify_abc``, cut-offs from the 80/15/5 shares);
* XYZ by the CV of weekly demand, stock-out days left out (``planning.audit.classes``);
* slow, dead and excess stock from ``planning.audit.health`` on the same censored sales,
  valued at unit cost (no value when the product has no unit cost);
* at risk: the risk table's rows that are not ``ok``, by expected lost revenue;
* stock-out periods from the one mask the planning run uses (``services.audit.history``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from stockguard.planning.audit import classes, health
from stockguard.planning.inventory import abc
from stockguard.services import ports, queries
from stockguard.services.audit.history import StockoutPeriod, periods_of
from stockguard.services.audit.ports import AuditPosition, AuditSource, RiskEntry
from stockguard.services.audit.settings import AuditSettings

ABC_NAMES = ("A", "B", "C")
XYZ_NAMES = ("X", "Y", "Z")
CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SkuAudit:
    """One SKU x location: classes, movement and the value of its stock (at unit cost)."""

    sku: str
    location: str
    category: str | None
    on_hand: int
    revenue: Decimal
    abc_class: str
    xyz_class: str
    demand_cv: float | None
    velocity: float
    days_since_sale: int
    days_of_cover: float | None
    stock_value: Decimal | None
    excess_units: int
    excess_value: Decimal | None
    slow: bool
    dead: bool
    excess: bool


@dataclass(frozen=True, slots=True)
class ClassCell:
    abc_class: str
    xyz_class: str
    count: int
    revenue: Decimal


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The audit of every stock level; the sections are views of ``rows``."""

    today: date
    history_start: date
    history_end: date
    currency: str
    settings: AuditSettings
    rows: list[SkuAudit]
    matrix: list[ClassCell]
    at_risk: list[RiskEntry]
    stockouts: list[StockoutPeriod]

    @property
    def dead(self) -> list[SkuAudit]:
        """Dead stock, most valuable first."""
        dead = (r for r in self.rows if r.dead)
        return sorted(dead, key=lambda r: _by_value(r, r.stock_value))

    @property
    def excess(self) -> list[SkuAudit]:
        """Excess stock, largest excess value first."""
        return sorted(
            (r for r in self.rows if r.excess), key=lambda r: _by_value(r, r.excess_value)
        )

    @property
    def slow(self) -> list[SkuAudit]:
        """Slow movers, slowest first."""
        return sorted((r for r in self.rows if r.slow), key=lambda r: (r.velocity, r.sku))


def audit_report(
    history: ports.LedgerHistory, source: AuditSource, *, today: date, settings: AuditSettings
) -> AuditReport:
    """The report of the module docstring, as of ``today`` (history ends yesterday)."""
    start = today - timedelta(days=settings.history_days)
    end = today - timedelta(days=1)
    positions = source.positions()
    ledger = queries.ledger_arrays(history, start=start, end=end)
    mask = ledger.stockouts()
    sold, censored = _position_sales(positions, ledger, mask.mask)
    price = np.array([float(p.price) for p in positions])
    revenue = sold.sum(axis=1) * price
    abc_class = abc.classify_abc(annual_revenue=revenue, cutoffs=settings.abc_cutoffs).abc_class
    xyz = classes.classify_xyz(daily_demand=censored, cutoffs=settings.xyz_cutoffs)
    stock = health.stock_health(
        sales=censored,
        on_hand=np.array([p.on_hand for p in positions], dtype=np.float64),
        dead_after_days=settings.dead_after_days,
        excess_cover_days=settings.excess_cover_days,
        slow_velocity=settings.slow_velocity,
    )
    rows = [_row(p, i, revenue, abc_class, xyz, stock) for i, p in enumerate(positions)]
    matrix = classes.class_matrix(abc_class=abc_class, xyz_class=xyz.xyz_class, revenue=revenue)
    prices = {p.sku: p.price for p in positions}
    return AuditReport(
        today=today,
        history_start=start,
        history_end=end,
        currency=_currency(positions),
        settings=settings,
        rows=rows,
        matrix=_cells(matrix),
        at_risk=source.at_risk(limit=settings.at_risk_limit),
        stockouts=periods_of(ledger, mask, start=start, prices=prices),
    )


def _position_sales(
    positions: list[AuditPosition], ledger: queries.LedgerArrays, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(sold, censored) of each position, (n_positions, n_days); zeros without history."""
    n_days = ledger.sold.shape[1]
    index = {key: row for row, key in enumerate(ledger.series)}
    rows = np.array([index.get((p.sku, p.location), -1) for p in positions], dtype=np.int64)
    found = rows >= 0
    sold = np.zeros((len(positions), n_days))
    out = np.zeros((len(positions), n_days), dtype=np.bool_)
    sold[found] = ledger.sold[rows[found]]
    out[found] = mask[rows[found]]
    return sold, np.where(out, np.nan, sold)


def _row(
    position: AuditPosition,
    i: int,
    revenue: np.ndarray,
    abc_class: np.ndarray,
    xyz: classes.XyzClassification,
    stock: health.StockHealth,
) -> SkuAudit:
    cost = position.unit_cost
    cv = float(xyz.coefficient_of_variation[i])
    cover = float(stock.days_of_cover[i])
    excess_units = int(stock.excess_units[i])
    return SkuAudit(
        sku=position.sku,
        location=position.location,
        category=position.category,
        on_hand=position.on_hand,
        revenue=Decimal(str(round(float(revenue[i]), 2))),
        abc_class=ABC_NAMES[int(abc_class[i])],
        xyz_class=XYZ_NAMES[int(xyz.xyz_class[i])],
        demand_cv=cv if np.isfinite(cv) else None,
        velocity=float(stock.velocity[i]),
        days_since_sale=int(stock.days_since_sale[i]),
        days_of_cover=cover if np.isfinite(cover) else None,
        stock_value=None if cost is None else (cost * max(position.on_hand, 0)).quantize(CENTS),
        excess_units=excess_units,
        excess_value=None if cost is None else (cost * excess_units).quantize(CENTS),
        slow=bool(stock.slow[i]),
        dead=bool(stock.dead[i]),
        excess=bool(stock.excess[i]),
    )


def _cells(matrix: classes.ClassMatrix) -> list[ClassCell]:
    return [
        ClassCell(
            abc_class=ABC_NAMES[a],
            xyz_class=XYZ_NAMES[x],
            count=int(matrix.counts[a, x]),
            revenue=Decimal(str(round(float(matrix.revenue[a, x]), 2))),
        )
        for a in range(3)
        for x in range(3)
    ]


def _currency(positions: list[AuditPosition]) -> str:
    counts = Counter(p.currency for p in positions)
    return counts.most_common(1)[0][0] if counts else "EUR"


def _by_value(row: SkuAudit, value: Decimal | None) -> tuple[bool, Decimal, str, str]:
    """Sort key: the value (unknown last), highest first, then SKU and location."""
    return (value is None, -(value or Decimal(0)), row.sku, row.location)
