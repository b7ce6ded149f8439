"""What demand came per unit of the estimated rate, per velocity band: the rate ratio ``b``.

A demand rate estimated from the past regresses toward the series' level: among the
SKUs whose estimate is low, more are low by chance than high, so what follows runs above
the estimate (and a little below it among the fast movers). ADR 0020 found this for a
trailing mean (M5 subset, slowest quartile: 1.51) and for the product's own forecast
(1.15); ADR 0022 measures it on the shop's own past estimates and reads the rate as
``b mu``.

Estimator (``estimate_rate_ratio``): at past origins ``i`` (a SKU-location at one
origin, a "SKU-origin") with estimated rate ``mu_i`` (units/day) and the units sold on
each of the ``h`` days after the origin, only the days in stock count (a day out of stock
shows no demand, only what was on the shelf): with ``d_i`` the in-stock days and ``y_i``
the units sold on them,

    ``M_k = sum_{i in k} mu_i d_i``  (units estimated),  ``F_k = sum_{i in k} y_i``  (units sold),
    ``b_k = (F_k + m0_k) / (M_k + m0_k)``,  ``m0_k = k0 M_k / n_k``,

per band ``k`` of ``mu`` (``edges``), ``n_k`` the SKU-origins with ``mu_i > 0`` and at
least one in-stock day. ``m0_k`` is ``k0`` pseudo SKU-origins at the band's mean estimate
carrying the ratio 1 (``k0 = 200``, the drift's ``PRIOR_ORIGINS``, fixed beforehand):
with no origins ``b_k = 1``, with ``n_k >> k0`` the band's own ratio of sums. Origins with
``mu_i = 0`` are left out: ``b`` multiplies the rate, and ``b x 0`` is 0 whatever ``b``.

Worked example: one band, 200 SKU-origins with ``mu = 1`` unit/day, 14 days in stock
each and 18.2 units sold each (1.3 per day): ``M = 2800``, ``F = 3640``, ``m0 = 200 x 14
= 2800``, ``b = (3640 + 2800) / (2800 + 2800) = 1.15``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray
from stockguard.planning.risk.drift import PRIOR_ORIGINS

AHEAD = 14
"""Days after an origin whose sales are compared with the estimate (``h``, the drift's
``AHEAD``: about the horizon of a stock-out before the next receipt)."""


@dataclass(frozen=True, slots=True)
class RateRatio:
    """``b`` per velocity band of the estimated rate.

    Attributes:
        edges: (B - 1,) increasing rates (units/day) between the bands; a rate ``mu``
            falls in band ``searchsorted(edges, mu, side="right")``.
        ratio: (B,) ``b`` of each band (finite, > 0).
        origins: (B,) SKU-origins each band was estimated from (0: the prior alone).
    """

    edges: FloatArray
    ratio: FloatArray
    origins: IntArray

    def __post_init__(self) -> None:
        if self.ratio.size != self.edges.size + 1 or self.origins.size != self.ratio.size:
            raise ValueError(
                f"a rate ratio needs one more band than edges, got {self.edges.size} edges, "
                f"{self.ratio.size} ratios and {self.origins.size} counts"
            )
        if np.any(~np.isfinite(self.ratio)) or np.any(self.ratio <= 0.0):
            raise ValueError(f"rate ratios must be finite and > 0, got {self.ratio.tolist()}")
        if np.any(~np.isfinite(self.edges)) or np.any(np.diff(self.edges) < 0.0):
            raise ValueError(f"rate ratio edges must increase, got {self.edges.tolist()}")
        if np.any(self.origins < 0):
            raise ValueError(f"rate ratio origins must be >= 0, got {self.origins.tolist()}")

    def __call__(self, demand_mean: Any) -> FloatArray:
        """``b`` of each rate ``mu`` (units/day), same shape as ``demand_mean``.

        Example: edges (1.0,), ratio (1.3, 0.98): mu = 0.4 gives 1.3, mu = 5 gives 0.98.
        """
        mu = np.asarray(demand_mean, dtype=np.float64)
        band = np.searchsorted(self.edges, mu.ravel(), side="right")
        return np.asarray(self.ratio[band].reshape(mu.shape), dtype=np.float64)

    @property
    def neutral(self) -> bool:
        """True when every band's ``b`` is exactly 1 (nothing to apply)."""
        return bool(np.all(self.ratio == 1.0))

    def to_json(self) -> dict[str, list[float] | list[int]]:
        """``{"edges": [...], "ratio": [...], "origins": [...]}`` (JSON-friendly)."""
        return {
            "edges": [float(x) for x in self.edges],
            "ratio": [float(x) for x in self.ratio],
            "origins": [int(x) for x in self.origins],
        }

    @classmethod
    def from_json(cls, found: dict[str, Any]) -> RateRatio:
        return cls(
            np.asarray(found["edges"], dtype=np.float64),
            np.asarray(found["ratio"], dtype=np.float64),
            np.asarray(found["origins"], dtype=np.int64),
        )


NEUTRAL = RateRatio(np.zeros(0), np.ones(1), np.zeros(1, dtype=np.int64))
"""``b = 1`` in one band: what applies without settled past estimates (or when off)."""


def estimate_rate_ratio(
    *,
    estimated_rate: Any,
    realised: Any,
    in_stock: Any,
    edges: Any,
    prior_origins: float = PRIOR_ORIGINS,
) -> RateRatio:
    """``b`` per band of the estimated rate, shrunk toward 1 (module docstring).

    Args:
        estimated_rate: (n,) ``mu_i``, the rate estimated at each past SKU-origin,
            units/day.
        realised: (n, h) units sold on each of the ``h`` days after the origin (NaN
            allowed on days not in stock).
        in_stock: (n, h) True on the days that were in stock (only those count, in both
            sums).
        edges: (B - 1,) increasing band edges, units/day (e.g. the drift's).
        prior_origins: ``k0``, pseudo SKU-origins at ratio 1 per band (>= 0).

    Returns: ``RateRatio`` with the given edges; ``NEUTRAL``-like ratios of 1 for bands
    without origins, and for every band when ``n = 0``.

    Example: estimates equal to what sold give ``b = 1`` in every band; doubling every
    band's sales with ``n_k = k0`` gives ``b = (2M + M) / (M + M) = 1.5``.
    """
    mu = np.asarray(estimated_rate, dtype=np.float64).reshape(-1)
    sold = np.asarray(realised, dtype=np.float64)
    seen = np.asarray(in_stock, dtype=np.bool_)
    cuts = np.asarray(edges, dtype=np.float64).reshape(-1)
    _check(mu, sold, seen, cuts, prior_origins)
    days = seen.sum(axis=1).astype(np.float64)
    units = np.where(seen, sold, 0.0).sum(axis=1)
    keep = (mu > 0.0) & (days > 0.0)
    band = np.searchsorted(cuts, mu[keep], side="right")
    size = cuts.size + 1
    n = np.bincount(band, minlength=size).astype(np.float64)
    estimated = np.bincount(band, weights=mu[keep] * days[keep], minlength=size)
    came = np.bincount(band, weights=units[keep], minlength=size)
    pseudo = prior_origins * estimated / np.maximum(n, 1.0)
    below = estimated + pseudo
    ratio = np.where(below > 0.0, (came + pseudo) / np.where(below > 0.0, below, 1.0), 1.0)
    # a band whose estimates all sold nothing with no prior weight: no evidence of scale
    ratio = np.where(ratio > 0.0, ratio, 1.0)
    return RateRatio(cuts.copy(), ratio, n.astype(np.int64))


def _check(
    mu: FloatArray, sold: FloatArray, seen: Any, cuts: FloatArray, prior_origins: float
) -> None:
    """Raise ``ValueError`` naming the first malformed argument."""
    if sold.ndim != 2 or seen.shape != sold.shape or sold.shape[0] != mu.size:
        raise ValueError(
            f"realised and in_stock must be (n, h) with n = {mu.size} estimates, got "
            f"{sold.shape} and {seen.shape}"
        )
    if np.any(~np.isfinite(mu)) or np.any(mu < 0.0):
        raise ValueError("estimated rates must be finite and >= 0 units/day")
    if np.any(seen & ~np.isfinite(sold)) or np.any(np.where(seen, sold, 0.0) < 0.0):
        raise ValueError("units sold on in-stock days must be finite and >= 0")
    if np.any(~np.isfinite(cuts)) or np.any(np.diff(cuts) < 0.0):
        raise ValueError(f"band edges must be finite and increase, got {cuts.tolist()}")
    if not np.isfinite(prior_origins) or prior_origins < 0.0:
        raise ValueError(f"prior_origins must be >= 0, got {prior_origins}")
