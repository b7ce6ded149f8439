"""Recalibration of predicted probabilities: an isotonic map fitted on settled predictions.

A model's probability ``p`` is *calibrated* when, among the cases it gave ``p``, the
event happens a share ``p`` of the time. When past predictions and their outcomes are
known, the non-decreasing map ``g`` that best fits the outcomes in least squares,

    ``g = argmin_{g non-decreasing} sum_i w_i (y_i - g(p_i))^2``,

is found by pool-adjacent-violators (PAV; Ayer et al. 1955, Zadrozny & Elkan 2002):
sort by ``p``, then merge neighbouring blocks while a block's mean outcome exceeds the
next one's. Each block keeps its weighted mean outcome; ``g`` between blocks is read by
linear interpolation between the blocks' mean predictions, so it stays non-decreasing
and continuous. Beyond the outermost knots ``(x_1, y_1)`` and ``(x_k, y_k)`` it runs
straight to the anchors ``(0, 0)`` and ``(1, 1)`` (ADR 0019):

    ``g(p) = y_1 p / x_1``                              for ``p < x_1``,
    ``g(p) = y_k + (1 - y_k) (p - x_k) / (1 - x_k)``    for ``p > x_k``.

A knot is the mean of a group holding about 1/16 of the settled predictions, so the top
group of a shop whose predictions are mostly low spans a wide range (say 0.6 to 1.0,
mean 0.7): read flat beyond it, every prediction above 0.7 was shown as the group's
frequency, a cap the outcomes never asked for (ADR 0019 measured 0.85 shown as 0.69-0.75
where such predictions came true 84% of the time). The anchors say nothing new inside
the knots' range: they only stop the map from capping (or flooring) what lies beyond.

Honesty rule: a map applied to a prediction made on day ``t`` may only be fitted on
predictions whose outcome was known before ``t`` (prequential, Dawid 1984). The product
fits it in ``stockguard risk calibrate`` from settled snapshots; the benchmark refits it
every few days from the SKU-days already settled.

Worked example: predictions (0.1, 0.2, 0.3, 0.4) with outcomes (0, 1, 0, 1) pool the
middle pair: blocks at p = 0.1 (y = 0), p = 0.25 (y = 0.5), p = 0.4 (y = 1); the map
sends 0.3 to 0.5 + (0.3 - 0.25) / (0.4 - 0.25) x 0.5 = 0.667. A one-knot map
(0.5, 0.8) sends 0.25 to 0.4 and 0.75 to 0.8 + 0.2 x 0.25 / 0.5 = 0.9.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

MIN_SETTLED = 2000
"""Settled predictions a map needs; with fewer the identity is used."""

MAX_KNOTS = 16
"""Knots a stored map keeps at most (blocks pooled into groups of about equal weight
beyond that): a smooth map, each knot carrying at least about 1/16 of the settled
predictions, so a handful of extreme cases cannot bend its ends."""

SETTLE_AGE_DAYS = 28
"""Predictions younger than this are not fitted on even when settled: a prediction
settles when its receipt arrives, so the young settled ones are those whose receipt
came soon (fewer stock-outs), a biased sample; after 28 days almost all are settled."""


@dataclass(frozen=True, slots=True)
class IsotonicMap:
    """A non-decreasing map from predicted to calibrated probability.

    Attributes:
        knots_x: (k,) increasing predicted probabilities in [0, 1].
        knots_y: (k,) non-decreasing calibrated probabilities in [0, 1].
        settled: predictions it was fitted on (0 for the identity).
    """

    knots_x: FloatArray
    knots_y: FloatArray
    settled: int

    def __call__(self, probability: Any) -> FloatArray:
        """The calibrated probabilities of (n,) predictions (identity without knots):
        linear between the knots and from the outermost knots to the anchors (0, 0)
        and (1, 1) (module docstring)."""
        p = np.asarray(probability, dtype=np.float64)
        if self.knots_x.size == 0:
            return np.array(p, dtype=np.float64, copy=True)
        xs, ys = anchored(self.knots_x, self.knots_y)
        return np.asarray(np.interp(p, xs, ys), dtype=np.float64)

    def to_pairs(self) -> list[list[float]]:
        """The knots as ``[[x, y], ...]`` (JSON-friendly)."""
        return [[float(x), float(y)] for x, y in zip(self.knots_x, self.knots_y, strict=True)]

    @classmethod
    def from_pairs(cls, pairs: list[list[float]], settled: int) -> IsotonicMap:
        array = np.asarray(pairs, dtype=np.float64).reshape(-1, 2)
        return cls(array[:, 0].copy(), array[:, 1].copy(), settled)


IDENTITY = IsotonicMap(np.zeros(0), np.zeros(0), 0)


def anchored(knots_x: FloatArray, knots_y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(k',) knots with the anchors (0, 0) and (1, 1) added where the knots stop short of
    0 and 1 (a knot already at 0 or 1 is kept as it is). Example: ([0.5], [0.8]) gives
    ([0, 0.5, 1], [0, 0.8, 1])."""
    xs, ys = np.asarray(knots_x, np.float64), np.asarray(knots_y, np.float64)
    if xs[0] > 0.0:
        xs, ys = np.concatenate([[0.0], xs]), np.concatenate([[0.0], ys])
    if xs[-1] < 1.0:
        xs, ys = np.concatenate([xs, [1.0]]), np.concatenate([ys, [1.0]])
    return xs, ys


def fit_isotonic(
    predicted: Any,
    observed: Any,
    *,
    weights: Any = None,
    min_settled: int = MIN_SETTLED,
    max_knots: int = MAX_KNOTS,
) -> IsotonicMap:
    """The PAV map from (n,) predictions in [0, 1] to (n,) outcomes in {0, 1} (or [0, 1]).

    Equation: module docstring, each prediction counted with its weight ``w_i``
    (``weights``, (n,) >= 0, e.g. a recency decay; 1 by default). Returns ``IDENTITY``
    when ``n < min_settled``.
    Blocks are then thinned to at most ``max_knots`` by pooling neighbours of similar
    weight (still non-decreasing: pooling adjacent blocks of a monotone sequence keeps it
    monotone).

    Example: (0.1, 0.2, 0.3, 0.4) -> (0, 1, 0, 1) gives knots x = (0.1, 0.25, 0.4),
    y = (0, 0.5, 1) with ``min_settled=1``.
    """
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    y = np.asarray(observed, dtype=np.float64).reshape(-1)
    w = np.ones(p.size) if weights is None else np.asarray(weights, np.float64).reshape(-1)
    if p.shape != y.shape or p.shape != w.shape:
        sizes = f"{p.size}, {y.size}, {w.size}"
        raise ValueError(f"predicted, observed and weights differ in size: {sizes}")
    if p.size < min_settled or p.size == 0:
        return IDENTITY
    if not (np.all((p >= 0.0) & (p <= 1.0)) and np.all((y >= 0.0) & (y <= 1.0))):
        raise ValueError("predicted and observed must lie in [0, 1]")
    if not (np.all(w >= 0.0) and w.sum() > 0.0):
        raise ValueError("weights must be >= 0 with a positive sum")
    order = np.argsort(p, kind="stable")
    xs, ys, ws = _pool_adjacent_violators(p[order], y[order], w[order])
    xs, ys, ws = _thin(xs, ys, ws, max_knots)
    return IsotonicMap(xs, np.clip(ys, 0.0, 1.0), int(p.size))


def _pool_adjacent_violators(
    p: FloatArray, y: FloatArray, w: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Blocks (mean p, mean y, weight) of sorted ``p`` with non-decreasing mean y.

    Equal predictions start as one block (their outcomes are pooled first); blocks of
    zero weight are dropped."""
    keep = w > 0.0
    p, y, w = p[keep], y[keep], w[keep]
    values, start = np.unique(p, return_index=True)
    weight = np.add.reduceat(w, start)
    sums = np.add.reduceat(y * w, start)
    xs: list[float] = []
    ys: list[float] = []
    ws: list[float] = []
    for x, total, mass in zip(values.tolist(), sums.tolist(), weight.tolist(), strict=True):
        xs.append(x * mass)
        ys.append(total)
        ws.append(mass)
        while len(ws) > 1 and ys[-2] / ws[-2] >= ys[-1] / ws[-1]:
            x_last, y_last, w_last = xs.pop(), ys.pop(), ws.pop()
            xs[-1] += x_last
            ys[-1] += y_last
            ws[-1] += w_last
    w_arr = np.asarray(ws)
    return np.asarray(xs) / w_arr, np.asarray(ys) / w_arr, w_arr


def _thin(
    xs: FloatArray, ys: FloatArray, ws: FloatArray, max_knots: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Pool neighbouring blocks into at most ``max_knots`` groups of about equal weight."""
    if xs.size <= max_knots:
        return xs, ys, ws
    edges = np.cumsum(ws) / ws.sum()
    group = np.minimum((edges * max_knots - 1e-9).astype(np.int64), max_knots - 1)
    _, first = np.unique(group, return_index=True)
    weight = np.add.reduceat(ws, first)
    return (
        np.add.reduceat(xs * ws, first) / weight,
        np.add.reduceat(ys * ws, first) / weight,
        weight,
    )
