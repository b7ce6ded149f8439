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

A map per order state (ADR 0034, ``fit_by_order_state``): the product knows when it
predicts whether units are on order for the row (``position > available``). Rows with an
order open are well sorted by the figure; rows with nothing on order come true near one
base rate that the figure ranks little better than chance (ADR 0030), so one map pooled
over both cannot pull one kind toward its own frequencies without moving the other. With
``fit_by_order_state`` the map carries one map per state, each fitted only on its own
state's settled predictions and only when it holds at least ``min_settled`` of them; a
state with fewer reads the pooled map. It failed the calibration replay's rule (ADR 0034),
so the benchmark keeps it as a comparison row (``--order-state-maps on``) and the product
fits the pooled map alone.

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

SETTLE_ON_STOCKOUT = False
"""Whether a prediction settles on the earlier of its next receipt and the day its stock
ran out before that receipt (ADR 0040: a stock-out's outcome is certain from the day it
happens, so waiting for the receipt leaves known positives out of the map's fit), or on
its next receipt alone. Read by the calibration benchmark's headline (``--settle``).
ADR 0040: it failed the development seeds' rule (mean 6.83 -> 6.97, Online Retail 9.28 ->
9.91), so it is off and ``stockguard risk calibrate`` settles a snapshot on its receipt."""

BY_ORDER_STATE = False
"""Whether the calibration benchmark's headline (``--order-state-maps``) fits a map per
order state (``fit_by_order_state``) or the pooled map alone. ADR 0034: the maps per state
failed the development seeds' rule, so the default is the pooled map, and the product's
``stockguard risk calibrate`` stores the pooled map alone (its wiring per state was built
and removed again; it is in the history at commit 2a2e2f1)."""

STATE_NAMES = ("no_order", "open_order")
"""The order states, in the order of ``IsotonicMap.states``: nothing on order
(``position <= available``), an order open (``position > available``)."""


@dataclass(frozen=True, slots=True)
class IsotonicMap:
    """A non-decreasing map from predicted to calibrated probability.

    Attributes:
        knots_x: (k,) increasing predicted probabilities in [0, 1].
        knots_y: (k,) non-decreasing calibrated probabilities in [0, 1].
        settled: predictions it was fitted on (0 for the identity).
        states: empty (the pooled map alone), or the maps of the two order states in
            ``STATE_NAMES`` order (nothing on order, an order open); a state whose map
            has ``settled == 0`` reads the pooled knots above (ADR 0034).
    """

    knots_x: FloatArray
    knots_y: FloatArray
    settled: int
    states: tuple[IsotonicMap, ...] = ()

    def __call__(self, probability: Any, open_order: Any = None) -> FloatArray:
        """The calibrated probabilities of (n,) predictions (identity without knots):
        linear between the knots and from the outermost knots to the anchors (0, 0)
        and (1, 1) (module docstring). With state maps and the (n,) booleans
        ``open_order`` (units on order for the row), each prediction goes through its
        state's map (the pooled one where that state has none; all of them without
        ``open_order``).

        Example: pooled knots ((0.5, 0.5)), states (one knot (0.5, 0.8), none): p = 0.25
        with nothing on order gives 0.4, with an order open 0.25."""
        p = np.asarray(probability, dtype=np.float64)
        found = _interpolate(self.knots_x, self.knots_y, p)
        if not self.states or open_order is None:
            return found
        state = np.asarray(open_order, dtype=np.bool_)
        for index, own in enumerate(self.states):
            if own.settled:
                found = np.where(state == bool(index), own(p), found)
        return np.asarray(found, dtype=np.float64)

    def to_pairs(self) -> list[list[float]]:
        """The knots as ``[[x, y], ...]`` (JSON-friendly)."""
        return [[float(x), float(y)] for x, y in zip(self.knots_x, self.knots_y, strict=True)]

    @classmethod
    def from_pairs(cls, pairs: list[list[float]], settled: int) -> IsotonicMap:
        array = np.asarray(pairs, dtype=np.float64).reshape(-1, 2)
        return cls(array[:, 0].copy(), array[:, 1].copy(), settled)


IDENTITY = IsotonicMap(np.zeros(0), np.zeros(0), 0)


def _interpolate(knots_x: FloatArray, knots_y: FloatArray, p: FloatArray) -> FloatArray:
    """``g(p)`` of the anchored knots (a copy of ``p`` without knots)."""
    if knots_x.size == 0:
        return np.array(p, dtype=np.float64, copy=True)
    xs, ys = anchored(knots_x, knots_y)
    return np.asarray(np.interp(p, xs, ys), dtype=np.float64)


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


def fit_by_order_state(
    predicted: Any,
    observed: Any,
    open_order: Any,
    *,
    min_settled: int = MIN_SETTLED,
    max_knots: int = MAX_KNOTS,
) -> IsotonicMap:
    """The pooled PAV map of (n,) predictions and outcomes (``fit_isotonic``) carrying
    one PAV map per order state (ADR 0034).

    Args:
        predicted: (n,) predictions in [0, 1].
        observed: (n,) outcomes in {0, 1}.
        open_order: (n,) units on order when the prediction was made: True (1) or
            False (0); NaN where not known (predictions recorded before ADR 0034 stored
            it), which feed the pooled map only.
        min_settled: predictions the pooled map, and each state's own map, needs.
        max_knots: knots of each map at most.

    Each state's map is ``fit_isotonic`` on that state's predictions alone; a state with
    fewer than ``min_settled`` gets none (it reads the pooled map). Returns the pooled
    map alone when neither state qualifies, and ``IDENTITY`` when the pooled map has
    too few.

    Example: 3,000 settled with an order open and 1,000 with nothing on order, with
    ``min_settled=2000``: the pooled map (4,000) and an open-order map; rows with
    nothing on order read the pooled map.
    """
    p = np.asarray(predicted, dtype=np.float64).reshape(-1)
    state = np.asarray(open_order, dtype=np.float64).reshape(-1)
    if state.shape != p.shape:
        raise ValueError(f"open_order has {state.size} entries for {p.size} predictions")
    pooled = fit_isotonic(p, observed, min_settled=min_settled, max_knots=max_knots)
    if not pooled.settled:
        return pooled
    y = np.asarray(observed, dtype=np.float64).reshape(-1)
    states = tuple(
        fit_isotonic(p[state == own], y[state == own], min_settled=min_settled, max_knots=max_knots)
        for own in (0.0, 1.0)
    )
    if not any(own.settled for own in states):
        return pooled
    return IsotonicMap(pooled.knots_x, pooled.knots_y, pooled.settled, states)


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
