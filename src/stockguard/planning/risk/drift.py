"""How far a SKU's demand rate drifts over the next weeks: ``c^2`` per velocity band.

The stock-out figure reads the daily rate ``mu`` as uncertain (ADR 0013): its variance
``tau^2 = sigma^2 / n + c^2 mu^2`` carries the sampling error of a mean of ``n`` days
and the rate's drift, ``c^2`` being the squared relative size of that drift. This module
estimates ``c^2`` from a shop's own sales history, per band of velocity (slow movers'
rates wander more, relative to their size, than fast movers': on the M5 subset's
history the lowest quarter shows ``c^2`` about 0.27, the highest 0.04), each band shrunk
toward a prior so that a short history falls back to it.

Estimator (``drift_terms``, ``estimate_level_drift``): at origins ``t`` every ``every``
days with ``window`` days behind and ``ahead`` days after, all on sale (no NaN), per
series, the trailing mean ``m`` and variance ``s^2`` of the window and the mean ``f`` of
the days ahead. With a constant rate, ``f - m`` carries only sampling noise of variance
``s^2 / ahead + s^2 / window``; what is left is the drift. Per band ``b`` of ``m``
(``bands`` quantile bands of the series' velocity, the mean of ``m`` over its
SKU-origins; a series is banded once, not by the current ``m``, so that a window that
happens to be low does not pick its own band), with ``n_b`` SKU-origins:

    ``E_b = sum (f - m)^2 - s^2 / ahead - s^2 / window``,  ``V_b = sum m^2``,
    ``c^2_b = max(0, (E_b + k c^2_0 V_b / n_b) / (V_b + k V_b / n_b))``

i.e. the ratio of sums (SKU-origins weigh by volume) with ``k`` pseudo SKU-origins at
the band's mean volume carrying the prior ``c^2_0``: with ``n_b = 0`` the band is the
prior, with ``n_b >> k`` its own figure. Level changes inside the trailing window add to
its ``s^2`` and are subtracted as if they were noise, so the estimate runs somewhat low
(by about an eighth for levels that change weekly; tests/unit/services/
test_risk_level_drift.py).

Worked example: one band, 200 SKU-origins whose 14-day means stray 30% from their
56-day means beyond noise (``E_b / V_b = 0.09``), ``k = 200``, prior 0.04: ``c^2 =
(0.09 V + 0.04 V) / (V + V) = 0.065``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray

PRIOR_DRIFT = 0.04
"""``c^2_0``, the prior and the fallback: the M5 subset's pooled figure on its history
before the replayed window (ADR 0013)."""

PRIOR_ORIGINS = 200.0
"""``k``, the prior's weight in SKU-origins (about four SKUs observed for a year at
weekly origins), fixed beforehand: a band needs several hundred SKU-origins before its
own figure dominates."""

BANDS = 4
"""Velocity bands (quartiles of the trailing mean over the SKU-origins)."""

WINDOW = 56
"""Days the trailing mean is read from (``figures.LEVEL_DAYS``)."""

AHEAD = 14
"""Days ahead over which the trailing mean is compared with what came."""

EVERY = 7
"""Days between two origins."""

CHUNK_SERIES = 20_000
"""Series estimated at a time (about 180 MB of window sums at 365 days)."""

HISTORY_DAYS = 364
"""Days of sales history a refresh estimates from (a year: one turn of the seasons,
about 43 origins per series)."""


@dataclass(frozen=True, slots=True)
class LevelDrift:
    """``c^2`` per velocity band.

    Attributes:
        edges: (B - 1,) increasing rates (units/day) between the bands; a rate ``mu``
            falls in band ``searchsorted(edges, mu, side="right")``.
        c2: (B,) squared relative drift of each band (>= 0).
        origins: (B,) SKU-origins each band was estimated from (0: the prior alone).
    """

    edges: FloatArray
    c2: FloatArray
    origins: IntArray

    def __post_init__(self) -> None:
        if self.c2.size != self.edges.size + 1 or self.origins.size != self.c2.size:
            raise ValueError(
                f"level drift needs one more band than edges, got {self.edges.size} edges, "
                f"{self.c2.size} values and {self.origins.size} counts"
            )
        if np.any(~np.isfinite(self.c2)) or np.any(self.c2 < 0.0):
            raise ValueError(f"level drift c^2 must be finite and >= 0, got {self.c2.tolist()}")
        if np.any(np.diff(self.edges) < 0.0):
            raise ValueError(f"level drift edges must increase, got {self.edges.tolist()}")

    def __call__(self, demand_mean: Any) -> FloatArray:
        """``c^2`` of each (n,) rate ``mu`` (units/day), shape (n,).

        Example: edges (1.0,), c2 (0.2, 0.04): mu = 0.5 gives 0.2, mu = 3 gives 0.04.
        """
        mu = np.asarray(demand_mean, dtype=np.float64)
        return np.asarray(self.c2[np.searchsorted(self.edges, mu, side="right")], np.float64)

    def to_json(self) -> dict[str, list[float] | list[int]]:
        """``{"edges": [...], "c2": [...], "origins": [...]}`` (JSON-friendly)."""
        return {
            "edges": [float(x) for x in self.edges],
            "c2": [float(x) for x in self.c2],
            "origins": [int(x) for x in self.origins],
        }

    @classmethod
    def from_json(cls, found: dict[str, Any]) -> LevelDrift:
        return cls(
            np.asarray(found["edges"], dtype=np.float64),
            np.asarray(found["c2"], dtype=np.float64),
            np.asarray(found["origins"], dtype=np.int64),
        )


PRIOR = LevelDrift(np.zeros(0), np.array([PRIOR_DRIFT]), np.zeros(1, dtype=np.int64))
"""One band at the prior: what applies before a shop's history says otherwise."""


@dataclass(frozen=True, slots=True)
class DriftTerms:
    """The SKU-origins of a history, each (k,): trailing mean ``m`` (units/day), the
    excess ``(f - m)^2 - s^2 / ahead - s^2 / window`` (units^2/day^2) and the series."""

    mean: FloatArray
    excess: FloatArray
    series: IntArray


def drift_terms(
    history: Any, *, window: int = WINDOW, ahead: int = AHEAD, every: int = EVERY
) -> DriftTerms:
    """The SKU-origins of ``history`` (module docstring), loop over origins, vector over
    series.

    Args:
        history: (n_series, n_days) units sold per day, NaN on days not observed
            (stock-outs, not on sale); a SKU-origin counts only when all of its
            ``window + ahead`` days are observed.

    Window sums come from cumulative sums, so the cost is O(n_series x n_days); series
    are taken ``CHUNK_SERIES`` at a time, so the sums' memory stays bounded.
    """
    values = np.asarray(history, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"history must be (n_series, n_days), got shape {values.shape}")
    parts = [
        _chunk_terms(values[start : start + CHUNK_SERIES], start, window, ahead, every)
        for start in range(0, values.shape[0], CHUNK_SERIES)
    ]
    if not parts:
        return DriftTerms(np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64))
    return DriftTerms(
        np.concatenate([p.mean for p in parts]),
        np.concatenate([p.excess for p in parts]),
        np.concatenate([p.series for p in parts]),
    )


def _chunk_terms(values: FloatArray, first: int, window: int, ahead: int, every: int) -> DriftTerms:
    """``drift_terms`` of a block of series, numbered from ``first``."""
    seen = np.isfinite(values)
    x = np.where(seen, values, 0.0)
    zeros = np.zeros((values.shape[0], 1))
    total = np.concatenate([zeros, np.cumsum(x, axis=1)], axis=1)
    square = np.concatenate([zeros, np.cumsum(x * x, axis=1)], axis=1)
    count = np.concatenate([zeros, np.cumsum(seen, axis=1, dtype=np.float64)], axis=1)
    means, excesses, series = [np.zeros(0)], [np.zeros(0)], [np.zeros(0, dtype=np.int64)]
    for t in range(window, values.shape[1] - ahead + 1, every):
        ok = (count[:, t] - count[:, t - window] == window) & (
            count[:, t + ahead] - count[:, t] == ahead
        )
        past = total[ok, t] - total[ok, t - window]
        m = past / window
        s2 = np.maximum((square[ok, t] - square[ok, t - window] - past * m) / (window - 1), 0.0)
        f = (total[ok, t + ahead] - total[ok, t]) / ahead
        means.append(m)
        excesses.append((f - m) ** 2 - s2 / ahead - s2 / window)
        series.append(np.flatnonzero(ok).astype(np.int64) + first)
    return DriftTerms(np.concatenate(means), np.concatenate(excesses), np.concatenate(series))


def estimate_level_drift(
    history: Any,
    *,
    bands: int = BANDS,
    prior: float = PRIOR_DRIFT,
    prior_origins: float = PRIOR_ORIGINS,
    window: int = WINDOW,
    ahead: int = AHEAD,
    every: int = EVERY,
) -> LevelDrift:
    """``c^2`` per velocity band of a shop's history, shrunk toward ``prior`` (module
    docstring for the equation); ``history`` as in ``drift_terms``.

    Each series is banded by its velocity (the mean of its ``m``; series that never sold
    are left out: ``c^2 mu^2`` is 0 for them). Band edges (units/day) are the
    ``bands``-quantiles of the velocities; fewer bands when they tie. A history too
    short for one origin gives one band at the prior.

    Example: a constant Poisson rate (no drift) gives every band close to 0 once it has
    far more than ``prior_origins`` SKU-origins; a history of 60 days gives ``PRIOR``.
    """
    if bands < 1 or prior < 0.0 or prior_origins < 0.0:
        raise ValueError("bands must be >= 1 and prior, prior_origins >= 0")
    terms = drift_terms(history, window=window, ahead=ahead, every=every)
    n_series = int(terms.series.max(initial=-1)) + 1
    origins = np.bincount(terms.series, minlength=n_series).astype(np.float64)
    summed = np.bincount(terms.series, weights=terms.mean, minlength=n_series)
    rate = summed / np.maximum(origins, 1.0)
    moving = rate > 0.0
    if not moving.any():
        return LevelDrift(np.zeros(0), np.array([prior]), np.zeros(1, dtype=np.int64))
    quantiles = np.arange(1, bands) / bands
    edges = np.unique(np.quantile(rate[moving], quantiles)) if bands > 1 else np.zeros(0)
    band = np.searchsorted(edges, rate, side="right")[terms.series]
    keep = moving[terms.series]
    size = edges.size + 1
    n = np.bincount(band[keep], minlength=size).astype(np.float64)
    volume = np.bincount(band[keep], weights=terms.mean[keep] ** 2, minlength=size)
    extra = np.bincount(band[keep], weights=terms.excess[keep], minlength=size)
    pseudo = prior_origins * volume / np.maximum(n, 1.0)
    total = volume + pseudo
    c2 = (extra + prior * pseudo) / np.where(total > 0.0, total, 1.0)
    c2 = np.where(total > 0.0, c2, prior)
    return LevelDrift(edges, np.maximum(c2, 0.0), n.astype(np.int64))
