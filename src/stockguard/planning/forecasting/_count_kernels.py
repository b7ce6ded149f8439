"""Compiled quantiles of count distributions by summing the probability mass function.

One cell (series x horizon step) at a time, blocks of cells on several threads (ADR
0008): the pmf recursion runs until the cumulative probability reaches the highest
level, so a cell costs about its top quantile in steps, instead of every cell paying the
slowest one.

    Poisson(mu):        p_{k+1} = p_k mu / (k + 1),                  p_0 = exp(-mu)
    NB(mean mu, size r): p_{k+1} = p_k (k + r) / (k + 1) mu / (r + mu), p_0 = (r / (r + mu))**r
    q_tau = #{k : F(k) < tau} = the first k with F(k) >= tau,  F(k) = p_0 + ... + p_k
    (F never decreases: each p_k >= 0 is added in turn)

With ``continuous``, the quantile of the count spread evenly over [k - 1/2, k + 1/2)
(the distribution of Y + U - 1/2, U uniform on [0, 1)) instead:
    q*_tau = k + 1/2 - (F(k) - tau) / p_k,   k the integer quantile above.
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled, run_blocks
from stockguard.planning.forecasting.base import FloatArray, IntArray

CELL_BLOCK = 4096
"""Cells per block (the unit of work ``run_blocks`` hands to a thread)."""


@compiled
def count_quantile_rows(
    mean: FloatArray,
    size: FloatArray,
    odds: FloatArray,
    pmf: FloatArray,
    levels: FloatArray,
    cells: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """Quantiles of Poisson (``size`` inf) or negative-binomial cells from their pmf.

    Args:
        mean: (n_cells,) mu, units. size: (n_cells,) r (inf = Poisson).
        odds: (n_cells,) mu / (r + mu) (NB only). pmf: (n_cells,) p_0.
        levels: (n_levels,) quantile levels in (0, 1).
        cells: (first cell, stop, max_steps, continuous): the cells computed, the
            recursion steps after which a cell is left unfinished, and 1 for the
            quantiles of the continuous version (module docstring), 0 for whole units.
        out: (quantiles (n_cells, n_levels), unfinished (n_cells,)), filled for the
            cells: q_tau = #{k : F(k) < tau} in whole units (or q*_tau), and 1.0 where F had not
            reached the top level after max_steps steps (the caller computes those
            cells another way).
    """
    quantiles, unfinished = out
    order, max_steps, continuous = np.argsort(levels), cells[2], cells[3] == 1
    for i in range(cells[0], cells[1]):
        poisson = not np.isfinite(size[i])
        probability, cumulative = pmf[i], pmf[i]
        pending = 0  # levels order[:pending] have reached F(k) >= tau: q_tau = k
        for k in range(max_steps):
            while pending < levels.size and not cumulative < levels[order[pending]]:
                value = float(k)
                if continuous and probability > 0.0:
                    value += 0.5 - (cumulative - levels[order[pending]]) / probability
                quantiles[i, order[pending]] = value
                pending += 1
            if pending == levels.size:
                break
            ratio = mean[i] if poisson else (k + size[i]) * odds[i]
            probability = probability * (ratio / (k + 1))
            cumulative = cumulative + probability
        unfinished[i] = 0.0 if pending == levels.size else 1.0


def count_quantile_steps(
    mean: FloatArray,
    size: FloatArray,
    odds: FloatArray,
    pmf: FloatArray,
    levels: FloatArray,
    max_steps: int,
    continuous: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """``count_quantile_rows`` of every cell, on several threads: quantiles (n_cells,
    n_levels) and the unfinished flags (n_cells,); ``continuous`` as in the module
    docstring."""
    quantiles, unfinished = np.zeros((mean.size, levels.size)), np.zeros(mean.size)

    def kernel(first: int, stop: int) -> None:
        cells = np.array(
            [first * CELL_BLOCK, min(stop * CELL_BLOCK, mean.size), max_steps, int(continuous)]
        )
        count_quantile_rows(mean, size, odds, pmf, levels, cells, (quantiles, unfinished))

    run_blocks(kernel, -(-mean.size // CELL_BLOCK))
    return quantiles, unfinished
