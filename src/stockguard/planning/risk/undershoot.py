"""The undershoot of the reorder point: units below ``s`` when the order goes out.

A row with nothing on order and its position ``IP`` above the reorder point ``s`` waits
for the order: it goes out at the first review (daily) with ``IP <= s``. Its units
``IP - s`` are sold first (known demand, ``planning.risk.figures.demand_before_order``),
but the day that crosses ``s`` rarely lands on it: the position falls a whole day's
demand at a time, so it ends that day ``U >= 0`` units below ``s``. The stock the order
must cover is ``s - U``, not ``s``, and the row stocks out before the receipt when
``U + D(L - 1) > s`` (Silver, Pyke & Thomas 2017, 4th ed., §7.7, the undershoot of an
(s, S) system; Hadley & Whitin 1963). Without it the figure reads ``P(D(L - 1) > s)``,
as if every order left at exactly ``s``.

Equations (the renewal theorem for the overshoot of a sum of whole-unit daily demands
``X`` over a far level; mean ``mu`` units/day, variance ``sigma^2`` units^2/day):

    ``P(U = j) = P(X > j) / mu``, ``j = 0, 1, ...``
    ``E[U]   = E[X (X - 1)] / (2 mu) = (sigma^2 + mu^2 - mu) / (2 mu)``
    ``E[U^2] = E[X (X - 1) (2X - 1)] / (6 mu) = (2 E[X^3] - 3 E[X^2] + mu) / (6 mu)``

The third moment is the count model's own (``planning.risk.probability`` reads demand as
a negative binomial, Poisson or binomial matched to ``mu`` and ``sigma^2``; all three
have the third central moment ``k3 = sigma^2 (2 sigma^2 / mu - 1)``), so
``E[X^3] = k3 + 3 mu sigma^2 + mu^3``. ``U`` enters the figure as demand on top of the
lead time's (``probability.DemandSpread``'s ``offset_mean`` and ``offset_var``).

Lumpy demand is where it matters: a series selling 5 a day with variance 100 (wholesale
orders) ends ``E[U] = 12`` units below ``s``, more than two days of its demand; a
Poisson series of 2 a day ends 1 unit below (half a day's demand less half a unit).
Nothing here is fitted: it follows from the daily review and the demand model. It is
off by default (``APPLY_BY_DEFAULT``, ADR 0030: the replay's calibration got worse).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

APPLY_BY_DEFAULT = False
"""Whether the figures of rows waiting for their order read the undershoot. Off: on the
calibration replay's development seeds 101-105 it took the gap to the bin's centre from
a mean of 5.24 to 6.64 points and the worst seed from 6.07 to 7.90 (ADR 0030's rule asked
for a fall), so ``figures.assess`` reads it only when asked (``undershoot=True``)."""


def undershoot_moments(demand_mean: Any, demand_var: Any) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of the undershoot ``U`` (units, units^2), each shape (n,).

    Args:
        demand_mean: (n,) daily rate ``mu`` (units/day, >= 0); rows with ``mu = 0``
            never reach ``s`` and get ``U = 0``.
        demand_var: (n,) daily variance ``sigma^2`` (units^2/day, >= 0).

    Equations (module docstring): ``E[U] = (sigma^2 + mu^2 - mu) / (2 mu)`` and
    ``Var[U] = E[U^2] - E[U]^2`` with ``E[U^2] = (2 E[X^3] - 3 E[X^2] + mu) / (6 mu)``,
    ``E[X^2] = sigma^2 + mu^2``, ``E[X^3] = sigma^2 (2 sigma^2 / mu - 1) + 3 mu sigma^2 +
    mu^3``; both clipped at 0 (a whole-unit demand has ``E[X (X - 1)] >= 0``).

    Example: Poisson with mu = 2 (sigma^2 = 2): E[U] = (2 + 4 - 2) / 4 = 1 and
    Var[U] = mu^2 / 12 + mu / 2 = 1.333.
    """
    mu = np.asarray(demand_mean, dtype=np.float64)
    var = np.maximum(np.asarray(demand_var, dtype=np.float64), 0.0)
    positive = mu > 0.0
    m = np.where(positive, mu, 1.0)
    second = var + m**2
    third = var * (2.0 * var / m - 1.0) + 3.0 * m * var + m**3
    mean = np.maximum((second - m) / (2.0 * m), 0.0)
    square = np.maximum((2.0 * third - 3.0 * second + m) / (6.0 * m), 0.0)
    spread = np.maximum(square - mean**2, 0.0)
    return (
        np.asarray(np.where(positive, mean, 0.0), dtype=np.float64),
        np.asarray(np.where(positive, spread, 0.0), dtype=np.float64),
    )
