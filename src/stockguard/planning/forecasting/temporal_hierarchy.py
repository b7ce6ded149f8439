"""Temporal-hierarchy forecast with structural scaling (THieF; an option, ADR 0036).

Athanasopoulos, Hyndman, Kourentzes and Petropoulos (2017, "Forecasting with temporal
hierarchies", EJOR 262(1)) forecast a series at every aggregation level k whose buckets
tile the year, and reconcile the forecasts of all levels by weighted least squares.
Here:

    levels K = the divisors of lcm(season, horizon) (car parts, 12 and 6: 1, 2, 3, 4,
        6, 12; M5, 7 and 28: 1, 2, 4, 7, 14, 28), so the season and the horizon are
        both levels;
    f_k = SES level (SSE-optimal alpha) of the means of non-overlapping k-period
        buckets ending at the origin (``horizon_aggregate.HorizonADIDA(bucket=k)``),
        units per period;
    yhat_{T+j} = (1 / |K|) sum_{k in K} f_k, j = 1..h (units per period, >= 0).

Why an equal mean: with structural scaling (the variance of a level-k node taken as
proportional to k) and a flat bottom-level forecast c, the reconciliation minimises
``sum_k n_k (k f_k - k c)^2 / k`` over the n_k = L / k nodes of level k in a span of L
periods (k f_k the level-k node's forecast total), whose minimum is
``c = sum_k n_k k f_k / sum_k n_k k = (1 / |K|) sum_k f_k``. So this is IMAPA
(Petropoulos & Kourentzes 2015) with calendar levels instead of 1..round(ADI).

Cost: one ``HorizonADIDA`` pass per level (|K| = 6 above).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Self

import numpy as np

from stockguard.planning.forecasting._kernels import as_panel
from stockguard.planning.forecasting.base import FloatArray, IntArray
from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA


def hierarchy_levels(*, season_length: int, horizon: int) -> tuple[int, ...]:
    """The aggregation levels, in periods: the divisors of lcm(season, horizon), increasing.

    Example: ``hierarchy_levels(season_length=12, horizon=6) == (1, 2, 3, 4, 6, 12)``.
    """
    if season_length < 1 or horizon < 1:
        raise ValueError("season_length and horizon must be positive")
    span = math.lcm(season_length, horizon)
    return tuple(k for k in range(1, span + 1) if span % k == 0)


class TemporalHierarchy:
    """Equal mean of the SES levels of bucket means at every level of the temporal
    hierarchy (module docstring); flat forecast, units per period, (n_series, horizon).

    ``fit`` keeps the history (``history_``) since the levels depend on the horizon.
    """

    alias = "THieF"
    history_: FloatArray

    def __init__(self, season_length: int = 12) -> None:
        self.season_length = season_length

    def _members(self, horizon: int) -> list[HorizonADIDA]:
        levels = hierarchy_levels(season_length=self.season_length, horizon=horizon)
        return [HorizonADIDA(bucket=k) for k in levels]

    def fit(self, y: FloatArray) -> Self:
        self.history_ = as_panel(y)
        return self

    def predict(self, horizon: int) -> FloatArray:
        return self.forecast(self.history_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        panel = as_panel(y)
        cut = np.array([panel.shape[1]], dtype=np.int64)
        return np.asarray(self.forecast_origins(panel, cut, horizon)[0])

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        members = self._members(horizon)
        total = sum(member.forecast_origins(y, origins, horizon) for member in members)
        return np.asarray(total / len(members), dtype=np.float64)

    def __repr__(self) -> str:
        return f"TemporalHierarchy(season_length={self.season_length!r})"
