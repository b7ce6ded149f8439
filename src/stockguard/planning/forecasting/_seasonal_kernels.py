"""Compiled ETS(A,N,A) (level and additive season, no trend) with its parameter search.

The recursion of ``seasonal.SeasonalExponentialSmoothing`` in the lanes layout of
``_ses_kernels`` (ADR 0008): ``LANES`` series at a time (blocks on several threads),
their parameter entries side by side in one vectorised loop per period, results at
every origin of ``cuts`` (the series ``y[:, :c]``) from one pass. With m = season
length and s indexed by calendar position t mod m (Hyndman et al. 2008, model ANA):

    e_t = (y_t - l_{t-1}) - s_{t-m};  l_t = l_{t-1} + alpha e_t;  s_t = s_{t-m} + gamma e_t
    s = season_init, l_0 = first observed y - s at its position; a NaN period gives
    e_t = 0 (no update).

Search: alpha over its grid with gamma at its start value, then gamma over its grid;
each keeps the first value of lowest in-sample one-step SSE.
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled, run_blocks
from stockguard.planning.forecasting.base import FloatArray, IntArray

LANES = 8
"""Series filtered together (see ``_ses_kernels``)."""


# The two helpers below repeat those of ``_ses_kernels`` on purpose: numba's cache of a
# compiled function is invalidated by changes to its own source file only, so a kernel
# that called ``_ses_kernels.first_observed`` would keep running the old machine code
# from the cache after an edit there (ADR 0008; ``_jit`` docstring).


@compiled
def first_observed(rows: FloatArray, stop: int) -> IntArray:
    """(n_lanes,) index of each row's first non-NaN value before ``stop``; ``stop`` if none."""
    first = np.full(rows.shape[0], stop, dtype=np.int64)
    for s in range(rows.shape[0]):
        for t in range(stop):
            if not np.isnan(rows[s, t]):
                first[s] = t
                break
    return first


@compiled
def first_minimum(values: FloatArray) -> int:
    """Index of the smallest value, first on ties, first NaN wins (``numpy.argmin``)."""
    best = 0
    for j in range(values.size):
        if np.isnan(values[j]):
            return j
        if values[j] < values[best]:
            best = j
    return best


@compiled
def start_state(
    rows: FloatArray, season_init: FloatArray, first: IntArray, stop: int, n_grid: int
) -> tuple[FloatArray, FloatArray]:
    """Initial (level (n_entries,), season (m, n_entries)) of ``seasonal_lanes``' entries:
    s = the origin's initial season, l_0 = first observed y - s at its position (NaN when
    the lane has no observation before ``stop``)."""
    n_lanes, n_origins, m = season_init.shape
    width = n_origins * n_grid
    level, season = np.empty(n_lanes * width), np.empty((m, n_lanes * width))
    for e in range(level.size):
        s, w = e // width, (e % width) // n_grid
        for p in range(m):
            season[p, e] = season_init[s, w, p]
        start = rows[s, first[s]] if first[s] < stop else np.nan
        level[e] = start - season_init[s, w, first[s] % m]
    return level, season


@compiled
def seasonal_lanes(
    rows: FloatArray,
    table: FloatArray,
    season_init: FloatArray,
    cuts: IntArray,
    out: FloatArray,
) -> None:
    """ETS(A,N,A) of each lane for each of its entries; lane s owns the entries
    s * width .. (s + 1) * width - 1, in n_origins blocks of n_grid: block w starts
    from ``season_init[s, w]`` and is recorded at cut w.

    Args:
        rows: (n_lanes, >= cuts[-1]) units per period, NaN = unobserved.
        table: (2, n_lanes * n_origins * n_grid) alpha and gamma.
        season_init: (n_lanes, n_origins, m) initial season by position.
        out: (n_lanes, n_origins, n_grid, 2 + m) filled with the SSE, l_c (NaN when the
            lane has no observation before c) and the season at each cut.
    """
    n_lanes, n_origins, m = season_init.shape
    n_grid, n_entries = out.shape[2], table.shape[1]
    width = n_origins * n_grid
    first = first_observed(rows, cuts[-1])
    level, season = start_state(rows, season_init, first, cuts[-1], n_grid)
    sse, values = np.zeros(n_entries), np.empty(n_entries)
    begin = 0
    for w in range(n_origins):
        for t in range(begin, cuts[w]):
            for s in range(n_lanes):
                value = rows[s, t]
                for j in range(width):
                    values[s * width + j] = value
            position = t % m
            for e in range(n_entries):
                value, previous = values[e], season[position, e]
                error = 0.0 if np.isnan(value) else (value - level[e]) - previous
                sse[e] += error * error
                level[e] += table[0, e] * error
                season[position, e] = previous + table[1, e] * error
        begin = cuts[w]
        for s in range(n_lanes):
            for j in range(n_grid):
                e = s * width + w * n_grid + j
                out[s, w, j, 0] = sse[e]
                out[s, w, j, 1] = level[e] if first[s] < cuts[w] else np.nan
                for p in range(m):
                    out[s, w, j, 2 + p] = season[p, e]


@compiled
def seasonal_search_lanes(
    rows: FloatArray,
    grids: tuple[FloatArray, FloatArray],
    start_gamma: float,
    season_init: FloatArray,
    cuts: IntArray,
    result: tuple[FloatArray, FloatArray],
) -> None:
    """Alpha then gamma search of each lane at every cut.

    Args:
        grids: (alphas, gammas). season_init: (n_lanes, n_origins, m).
        result: (params (n_lanes, n_origins, 2) alpha and gamma chosen, state
            (n_lanes, n_origins, 1 + m) level and season of the chosen pair), filled.
    """
    params, state = result
    n_lanes, n_origins = season_init.shape[0], cuts.size
    for s in range(n_lanes):
        for w in range(n_origins):
            params[s, w, 1] = start_gamma
    for stage in range(2):
        grid = grids[stage]
        table = np.empty((2, n_lanes * n_origins * grid.size))
        for e in range(table.shape[1]):
            s, w, j = e // (n_origins * grid.size), (e // grid.size) % n_origins, e % grid.size
            table[0, e], table[1, e] = params[s, w, 0], params[s, w, 1]
            table[stage, e] = grid[j]
        out = np.empty((n_lanes, n_origins, grid.size, 2 + season_init.shape[2]))
        seasonal_lanes(rows, table, season_init, cuts, out)
        for s in range(n_lanes):
            for w in range(n_origins):
                best = first_minimum(out[s, w, :, 0].copy())
                params[s, w, stage] = grid[best]
                for p in range(state.shape[2]):
                    state[s, w, p] = out[s, w, best, 1 + p]


@compiled
def seasonal_search_blocks(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray],
    start_gamma: float,
    season_init: FloatArray,
    cuts: IntArray,
    settings: tuple[IntArray, FloatArray, FloatArray],
) -> None:
    """``seasonal_search_lanes`` of the lane blocks ``blocks[0] .. blocks[1] - 1``, with
    ``settings`` = (blocks, params, state) and the outputs as in ``seasonal_search``."""
    blocks, params, state = settings
    for b in range(blocks[0], blocks[1]):
        low, high = b * LANES, min((b + 1) * LANES, y.shape[0])
        seasonal_search_lanes(y[low:high], grids, start_gamma, season_init[low:high], cuts,
                              (params[low:high], state[low:high]))  # fmt: skip


def seasonal_search(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray],
    start_gamma: float,
    season_init: FloatArray,
    cuts: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """``seasonal_search_lanes`` for every series; ``season_init`` (n_series, n_origins,
    m). Returns params (n_series, n_origins, 2) = (alpha, gamma) and state (n_series,
    n_origins, 1 + m) = (level, season by position), units per period."""
    params = np.empty((y.shape[0], cuts.size, 2))
    state = np.empty((y.shape[0], cuts.size, 1 + season_init.shape[2]))

    def kernel(first: int, stop: int) -> None:
        settings = (np.array([first, stop]), params, state)
        seasonal_search_blocks(y, grids, start_gamma, season_init, cuts, settings)

    run_blocks(kernel, -(-y.shape[0] // LANES))
    return params, state
