"""Service targets calibrated by replaying the policy on its own history.

The safety-stock equations assume what a shop rarely has: normal lead-time demand,
backorders instead of lost sales, lead times that do not cross. Replaying the policy on
the recorded history (``replay.simulate``) at a grid of nominal service levels
``n_1 < ... < n_m`` measures what each really achieves, ``a_j``. The calibrated nominal
level for a target ``beta`` inverts that curve:

    a*_j = max_{l <= j} a_l                       (made non-decreasing)
    j    = min { j : a*_j >= beta }
    n(beta) = n_{j-1} + (n_j - n_{j-1}) (beta - a*_{j-1}) / (a*_j - a*_{j-1})

with ``n(beta) = n_1`` when ``beta <= a*_1`` and ``n(beta) = n_m`` when no grid level
reaches ``beta`` (the policy cannot reach the target at any level on the grid).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.simulation.scenario import FloatArray


def calibrated_service_levels(*, nominal: Any, achieved: Any, targets: Any) -> FloatArray:
    """Nominal service level whose replay achieved each target (module docstring).

    Args:
        nominal: (m,) nominal levels replayed, strictly increasing, m >= 1.
        achieved: (m,) the level each achieved in the replay (same unit as ``targets``).
        targets: (k,) service levels wanted.

    Returns: (k,) nominal levels, within ``[nominal[0], nominal[-1]]``.

    Example: nominal [0.80, 0.90, 0.95] achieved [0.88, 0.94, 0.97]; the target 0.95
    lies a third of the way from 0.94 to 0.97, so the level is 0.90 + 0.05 / 3 = 0.9167.
    """
    levels = np.asarray(nominal, dtype=np.float64)
    reached = np.asarray(achieved, dtype=np.float64)
    wanted = np.atleast_1d(np.asarray(targets, dtype=np.float64))
    if levels.ndim != 1 or levels.size == 0 or reached.shape != levels.shape:
        raise ValueError(
            f"nominal and achieved: expected two (m,) arrays, got {levels.shape} and "
            f"{reached.shape}"
        )
    if not (np.all(np.isfinite(levels)) and np.all(np.isfinite(reached))):
        raise ValueError("nominal and achieved: expected finite values")
    if np.any(np.diff(levels) <= 0):
        raise ValueError("nominal: expected strictly increasing levels")
    curve = np.maximum.accumulate(reached)
    upper = np.clip(np.searchsorted(curve, wanted, side="left"), 1, max(levels.size - 1, 1))
    lower = upper - 1
    if levels.size == 1:
        return np.full(wanted.shape, levels[0])
    rise = curve[upper] - curve[lower]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rise > 0, (wanted - curve[lower]) / rise, 1.0)
    result = levels[lower] + np.clip(share, 0.0, 1.0) * (levels[upper] - levels[lower])
    return np.asarray(result, dtype=np.float64)
