"""Supplier risk score: a weighted mean of components, each a risk in [0, 1].

For supplier ``s`` with components ``c_{s,j}`` (NaN = unknown, replaced by the
configured ``u_j``) and weights ``w_j >= 0``:

    score_s = sum_j w_j c~_{s,j} / sum_j w_j,   c~_{s,j} = c_{s,j} if known else u_j

so the score is in [0, 1] (0 = no risk found, 1 = every component at its worst) and
``contribution_{s,j} = w_j c~_{s,j} / sum_j w_j`` sums to the score. Component transforms:

- capacity utilisation ``u`` (share of the supplier's capacity already sold):
  ``clip((u - knee) / (1 - knee), 0, 1)``: no risk below the knee (default 0.7),
  linear to 1 at full capacity;
- share of spend and single-source dependency are shares already in [0, 1];
- financial rating, country and hazard zone are mapped to [0, 1] by configured tables
  (``services.suppliers.risk_settings``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray


@dataclass(frozen=True, slots=True)
class RiskScores:
    """score: (n_suppliers,) in [0, 1]; contributions: (n_suppliers, n_components);
    known: (n_suppliers, n_components) bool, false where the default was used."""

    score: FloatArray
    contributions: FloatArray
    known: np.ndarray


def risk_scores(
    *, components: FloatArray, weights: FloatArray, unknown_value: FloatArray
) -> RiskScores:
    """Weighted risk score per supplier (module equation).

    Args:
        components: (n_suppliers, n_components) risks in [0, 1], NaN where unknown.
        weights: (n_components,) >= 0, not all zero.
        unknown_value: (n_components,) in [0, 1], used for unknown components.

    Example: components (0.5, NaN), weights (3, 1), unknown (0.2,):
    score = (3 * 0.5 + 1 * 0.2) / 4 = 0.425.
    """
    values = np.asarray(components, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if np.any(w < 0) or not np.any(w > 0):
        raise ValueError("weights must be >= 0 and not all zero")
    known = np.isfinite(values)
    filled = np.clip(np.where(known, values, unknown_value[None, :]), 0.0, 1.0)
    contributions = filled * (w / w.sum())[None, :]
    return RiskScores(contributions.sum(axis=1), contributions, known)


def capacity_risk(utilisation: FloatArray, *, knee: float = 0.7) -> FloatArray:
    """``clip((u - knee) / (1 - knee), 0, 1)``, NaN stays NaN; ``knee`` in [0, 1)."""
    u = np.asarray(utilisation, dtype=np.float64)
    return np.asarray(np.clip((u - knee) / (1.0 - knee), 0.0, 1.0), dtype=np.float64)
