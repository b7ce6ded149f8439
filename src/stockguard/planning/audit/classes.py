"""XYZ classes by demand variability and the ABC x XYZ matrix.

XYZ (demand variability, the companion of the revenue-based ABC of
``planning.inventory.abc``): the coefficient of variation of weekly demand,

    CV_i = std(w_i) / mean(w_i),   w_i = demand of series i summed over whole weeks,

with the population standard deviation (ddof = 0). ``CV <= x`` is X (steady), ``CV <= y``
is Y (variable), above is Z (erratic); a series with no demand at all is Z. Default cut-offs
x = 0.5, y = 1.0. Weeks are consecutive 7-day blocks ending on the last day, so a partial
week at the start is dropped; stock-out days (NaN) count as their week's mean daily demand
times 7 would be a guess, so they are simply left out of the week's sum and the week's
total is scaled up by ``7 / observed days`` (a week with no observed day is dropped).

Example: weekly demand 10, 10, 10, 10 has CV 0 (X); 0, 20, 0, 20 has mean 10 and std 10,
CV 1.0 (Y); 0, 0, 0, 40 has mean 10 and std 17.3, CV 1.73 (Z).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.audit.stockouts import FloatArray, IntArray

DEFAULT_XYZ_CUTOFFS: tuple[float, float] = (0.5, 1.0)
DAYS_PER_WEEK = 7


class XyzClass(IntEnum):
    """Variability class of a series (stored as its integer value)."""

    X = 0
    Y = 1
    Z = 2


@dataclass(frozen=True, slots=True)
class XyzClassification:
    """xyz_class (n,) XyzClass values; coefficient_of_variation (n,), inf without demand."""

    xyz_class: IntArray
    coefficient_of_variation: FloatArray


def weekly_totals(daily: FloatArray) -> FloatArray:
    """(n, n_weeks) demand per whole week ending on the last day; NaN days rescaled.

    ``daily`` is (n, n_days) with NaN on unobserved days; a week with no observed day is NaN.
    """
    n_series, n_days = daily.shape
    n_weeks = n_days // DAYS_PER_WEEK
    tail = daily[:, n_days - n_weeks * DAYS_PER_WEEK :].reshape(n_series, n_weeks, DAYS_PER_WEEK)
    observed = (~np.isnan(tail)).sum(axis=2)
    total = np.nansum(tail, axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = np.where(observed > 0, total * DAYS_PER_WEEK / observed, np.nan)
    return np.asarray(scaled, dtype=np.float64)


def classify_xyz(
    *, daily_demand: Any, cutoffs: tuple[float, float] = DEFAULT_XYZ_CUTOFFS
) -> XyzClassification:
    """XYZ classes from the CV of weekly demand (module docstring).

    Args:
        daily_demand: (n, n_days) units per day, NaN = unobserved (e.g. stock-out days).
        cutoffs: ``(x, y)`` with ``0 <= x <= y``.
    """
    x, y = cutoffs
    if not 0.0 <= x <= y or not np.isfinite(y):
        raise ValueError(f"XYZ cut-offs: expected 0 <= x <= y, got {cutoffs}")
    weeks = weekly_totals(np.asarray(daily_demand, dtype=np.float64))
    counted = (~np.isnan(weeks)).sum(axis=1)
    mean = np.where(counted > 0, np.nansum(weeks, axis=1) / np.maximum(counted, 1), 0.0)
    deviation = np.where(np.isnan(weeks), 0.0, weeks - mean[:, None])
    std = np.sqrt((deviation**2).sum(axis=1) / np.maximum(counted, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.where(mean > 0, std / mean, np.inf)
    classes = np.where(cv <= x, XyzClass.X, np.where(cv <= y, XyzClass.Y, XyzClass.Z))
    return XyzClassification(
        xyz_class=classes.astype(np.int64), coefficient_of_variation=cv.astype(np.float64)
    )


@dataclass(frozen=True, slots=True)
class ClassMatrix:
    """ABC x XYZ matrix: counts (3, 3) int64 and revenue (3, 3) float64, [abc, xyz]."""

    counts: IntArray
    revenue: FloatArray


def class_matrix(*, abc_class: Any, xyz_class: Any, revenue: Any) -> ClassMatrix:
    """Series and revenue per ABC x XYZ cell: ``counts[a, x] = #{i: abc_i = a, xyz_i = x}``,
    ``revenue[a, x] = sum of revenue_i`` over those series. Inputs are (n,)."""
    abc = np.asarray(abc_class, dtype=np.int64)
    xyz = np.asarray(xyz_class, dtype=np.int64)
    cell = abc * 3 + xyz
    counts = np.bincount(cell, minlength=9).reshape(3, 3)
    money = np.bincount(cell, weights=np.asarray(revenue, dtype=np.float64), minlength=9)
    return ClassMatrix(
        counts=counts.astype(np.int64), revenue=money.reshape(3, 3).astype(np.float64)
    )
