"""Each SKU x location's replenishment settings, resolved from the rules, vectorised.

A row takes each setting from the most specific rule that sets it, in
``domain.replenishment.SCOPE_PRECEDENCE`` order (SKU x location, SKU, category, location,
ABC class, default); settings no rule sets take ``FALLBACK``. ABC classes come from the
forecast revenue: ``classify_abc``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.domain import replenishment as r
from stockguard.planning.inventory import abc

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

POLICIES: tuple[r.PolicyName, ...] = tuple(r.PolicyName)
"""Policy names by the integer the arrays use (also ``planning.inventory.PolicyKind``'s)."""
MEASURES: tuple[r.ServiceMeasure, ...] = (r.ServiceMeasure.CYCLE, r.ServiceMeasure.FILL)
"""Service measures by the integer the arrays use (``safety_stock.ServiceMeasure``'s)."""

FALLBACK: dict[str, float] = {
    "policy": float(POLICIES.index(r.PolicyName.ORDER_UP_TO)),
    "service_measure": float(MEASURES.index(r.ServiceMeasure.FILL)),
    "service_level": 0.95,
    "max_supplier_share": 1.0,
}
"""Values used where no rule sets a setting (the seeded default rule sets the same)."""


@dataclass(frozen=True, slots=True)
class RowKeys:
    """The rows to resolve, all (n,) sequences."""

    skus: Sequence[str]
    locations: Sequence[str]
    categories: Sequence[str | None]
    abc: Sequence[str]


@dataclass(frozen=True, slots=True)
class ResolvedSettings:
    """Settings per row: (n,) float arrays, NaN where unset; ``source`` names the rule.

    Attributes:
        values: setting name -> (n,) values; policy and service measure as the integer
            indices of ``POLICIES`` and ``MEASURES``, budget as money.
        source: setting name -> (n,) int64 rule index into ``rules`` (-1 = fallback).
        rules: the rules, in the order the indices refer to.
    """

    values: dict[str, FloatArray]
    source: dict[str, IntArray]
    rules: tuple[r.ReplenishmentRule, ...]

    def __getitem__(self, name: str) -> FloatArray:
        return self.values[name]

    def labels(self, rows: Sequence[int]) -> list[dict[str, str]]:
        """Which rule gave each setting of each of ``rows``: ``{"service_level":
        "abc_class A", ...}``; ``fallback`` where no rule set it."""
        names = [rule.label for rule in self.rules] + ["fallback"]
        found: list[dict[str, str]] = [{} for _ in rows]
        for name, source in self.source.items():
            index = source[rows]
            index = np.where(
                (index < 0) & np.isfinite(self.values[name][rows]), len(names) - 1, index
            )
            for entry, at in zip(found, index.tolist(), strict=True):
                if at >= 0:
                    entry[name] = names[at]
        return found


def resolve_settings(rules: Sequence[r.ReplenishmentRule], rows: RowKeys) -> ResolvedSettings:
    """Resolve every setting of every row (module docstring)."""
    ordered = tuple(rules)
    matches = [_matches(scope, ordered, rows) for scope in r.SCOPE_PRECEDENCE]
    values: dict[str, FloatArray] = {}
    sources: dict[str, IntArray] = {}
    for name in r.SETTINGS:
        encoded = np.array([_encode(name, getattr(rule, name)) for rule in ordered] + [np.nan])
        value = np.full(len(rows.skus), np.nan)
        source = np.full(len(rows.skus), -1, dtype=np.int64)
        for match in matches:
            take = (source < 0) & (match >= 0) & np.isfinite(encoded[match])
            value[take] = encoded[match[take]]
            source[take] = match[take]
        if name in FALLBACK:
            value = np.where(np.isnan(value), FALLBACK[name], value)
        values[name], sources[name] = value, source
    return ResolvedSettings(values=values, source=sources, rules=ordered)


def classify_abc(*, group: IntArray, revenue: FloatArray, n_groups: int) -> list[str]:
    """ABC class ("A", "B" or "C") per group (a SKU) by its revenue summed over its rows
    (its locations), with ``planning.inventory.abc.classify_abc`` (A while the groups before
    it make less than 80% of the total, B below 95%, C after and without revenue).

    Args:
        group: (n,) group index of each row in ``[0, n_groups)``.
        revenue: (n,) money per day of each row (forecast units x price), >= 0.
    """
    total = np.bincount(group, weights=revenue, minlength=n_groups)
    classes = abc.classify_abc(annual_revenue=total * 365.0).abc_class
    return [abc.AbcClass(x).name for x in classes.tolist()]


def _encode(name: str, value: Any) -> float:
    if value is None:
        return np.nan
    if name == "policy":
        return float(POLICIES.index(value))
    if name == "service_measure":
        return float(MEASURES.index(value))
    return float(value)


def _matches(scope: r.RuleScope, rules: tuple[r.ReplenishmentRule, ...], rows: RowKeys) -> IntArray:
    """(n,) index of the rule of ``scope`` each row matches; the sentinel ``len(rules)``
    (whose encoded value is NaN) where none does."""
    lookup = {rule.key: index for index, rule in enumerate(rules) if rule.scope is scope}
    missing = len(rules)
    keys: Callable[[int], tuple[str, ...]] = _KEYS[scope](rows)
    return np.fromiter(
        (lookup.get(keys(i), missing) for i in range(len(rows.skus))),
        dtype=np.int64,
        count=len(rows.skus),
    )


_NO_CATEGORY = "\x00"
"""Key of products without a category: matches no category rule."""

_KEYS: dict[r.RuleScope, Callable[[RowKeys], Callable[[int], tuple[str, ...]]]] = {
    r.RuleScope.SKU_LOCATION: lambda rows: lambda i: (rows.skus[i], rows.locations[i]),
    r.RuleScope.SKU: lambda rows: lambda i: (rows.skus[i],),
    r.RuleScope.CATEGORY: lambda rows: lambda i: (rows.categories[i] or _NO_CATEGORY,),
    r.RuleScope.LOCATION: lambda rows: lambda i: (rows.locations[i],),
    r.RuleScope.ABC_CLASS: lambda rows: lambda i: (rows.abc[i],),
    r.RuleScope.DEFAULT: lambda rows: lambda i: (),
}
