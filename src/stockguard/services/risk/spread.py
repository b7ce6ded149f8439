"""The refresh's daily demand variance floored by the shop's own sales (ADR 0027).

A row's ``sigma^2`` is the forecast's, read from its p10..p90 spread as normal; for slow
and lumpy series that misses the tail the stock-out probability lives in
(``planning.risk.spread``). When the floor is on, a refresh reads each row's series in
the sales panel it already holds for the drift (the last 364 days, days that ended out
of stock or before the series' first stock unobserved) and stores
``max(sigma^2, s^2)``, ``s^2`` the variance of its last 56 in-stock days. The stored
basis carries the floored figure, so every movement after the refresh reads it too. A
row without a series in the panel (no movement in the window) keeps its forecast's.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from stockguard.planning.panel import DemandPanel
from stockguard.planning.risk import spread
from stockguard.planning.risk.figures import RiskBasisArrays
from stockguard.services.replenishment.settings import FloatArray

APPLY_BY_DEFAULT = True
"""Whether a refresh floors the forecast's variance by the observed one (ADR 0027: on, its
adoption rule passed on the replay's development seeds 101-105: mean gap to the bin's
centre 7.24 -> 5.64, worst 8.11 -> 6.79; ``refresh_risk(observed_spread=False)`` turns
it off)."""


def observed_variance(
    panel: DemandPanel, skus: tuple[str, ...], locations: tuple[str, ...]
) -> FloatArray:
    """(n,) variance ``s^2`` (units^2/day) of the last ``spread.WINDOW`` in-stock days of
    each (sku, location) row's series in ``panel`` (censored days unobserved); 0 for a
    row whose series the panel does not hold."""
    found = np.zeros(len(skus))
    if panel.n_series == 0 or not skus:
        return found
    per_series = spread.trailing_variance(panel.uncensored())
    rows = panel.rows_of(skus, locations)
    held = rows >= 0
    found[held] = per_series[rows[held]]
    return found


def with_observed_spread(
    arrays: RiskBasisArrays,
    panel: DemandPanel,
    skus: tuple[str, ...],
    locations: tuple[str, ...],
) -> RiskBasisArrays:
    """The basis with ``demand_var`` floored by the observed variance (module
    docstring); every other array unchanged."""
    observed = observed_variance(panel, skus, locations)
    return dataclasses.replace(
        arrays, demand_var=spread.floored_variance(arrays.demand_var, observed)
    )
