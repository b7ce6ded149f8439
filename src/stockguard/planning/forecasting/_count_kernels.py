"""Compiled quantiles of count distributions by summing the probability mass function.

One cell (series x horizon step) at a time, in parallel over cells (ADR 0008): the pmf
recursion runs until the cumulative probability reaches the highest level, so a cell
costs about its top quantile in steps, instead of every cell paying the slowest one.

    Poisson(mu):        p_{k+1} = p_k mu / (k + 1),                  p_0 = exp(-mu)
    NB(mean mu, size r): p_{k+1} = p_k (k + r) / (k + 1) mu / (r + mu), p_0 = (r / (r + mu))**r
    q_tau = #{k : F(k) < tau} = the first k with F(k) >= tau,  F(k) = p_0 + ... + p_k
    (F never decreases: each p_k >= 0 is added in turn)
"""

from __future__ import annotations

import numba
import numpy as np

from stockguard.planning.forecasting._jit import compiled_parallel
from stockguard.planning.forecasting.base import FloatArray


@compiled_parallel
def count_quantile_steps(
    mean: FloatArray,
    size: FloatArray,
    odds: FloatArray,
    pmf: FloatArray,
    levels: FloatArray,
    max_steps: int,
) -> tuple[FloatArray, FloatArray]:
    """Quantiles of Poisson (``size`` inf) or negative-binomial cells from their pmf.

    Args:
        mean: (n_cells,) mu, units. size: (n_cells,) r (inf = Poisson).
        odds: (n_cells,) mu / (r + mu) (NB only). pmf: (n_cells,) p_0.
        levels: (n_levels,) quantile levels in (0, 1).
        max_steps: recursion steps after which a cell is left unfinished.

    Returns:
        quantiles: (n_cells, n_levels) whole units, q_tau = #{k : F(k) < tau}.
        unfinished: (n_cells,) 1.0 where F had not reached the top level after
            ``max_steps`` steps (the caller computes those cells another way).
    """
    n_cells, order = mean.size, np.argsort(levels)
    out = np.zeros((n_cells, levels.size))
    unfinished = np.zeros(n_cells)
    for i in numba.prange(n_cells):
        poisson = not np.isfinite(size[i])
        probability, cumulative = pmf[i], pmf[i]
        pending = 0  # levels order[:pending] have reached F(k) >= tau: q_tau = k
        for k in range(max_steps):
            while pending < levels.size and not cumulative < levels[order[pending]]:
                out[i, order[pending]] = k
                pending += 1
            if pending == levels.size:
                break
            ratio = mean[i] if poisson else (k + size[i]) * odds[i]
            probability = probability * (ratio / (k + 1))
            cumulative = cumulative + probability
        unfinished[i] = 0.0 if pending == levels.size else 1.0
    return out, unfinished
