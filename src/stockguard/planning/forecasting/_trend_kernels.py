"""Compiled Holt and additive Holt-Winters filters with their coordinate searches.

One series at a time (blocks of series on several threads, ``_jit.run_blocks``), one
loop over time and an inner, vectorised loop over *entries* (parameter combinations
evaluated side by side). These models are outside the default battery, so they keep this
simpler layout rather than the lanes of ``_ses_kernels`` (about twice as fast there).
Results are taken at every origin of ``cuts`` (the series ``y[:, :c]``) in one pass.

Equations (FPP3 sections 8.2 and 8.3, error-correction form), NaN periods skipped (the
state carries over unchanged, no trend step):

    Holt:  yhat_t = l_{t-1} + phi b_{t-1};  e_t = y_t - yhat_t
           l_t = yhat_t + alpha e_t;  b_t = phi b_{t-1} + alpha beta e_t
           l_0 = first observed y, b_0 = 0
    Holt-Winters (m = season length, s indexed by position t mod m):
           base = l_{t-1} + b_{t-1};  e_t = y_t - (base + s_{t-m})
           l_t = base + alpha e_t;  b_t = b_{t-1} + alpha beta e_t;  s_t = s_{t-m} + gamma e_t
           s = season_init, l_0 = first observed y - s at its position, b_0 = 0

Parameter search: coordinate stages, each a grid for one parameter with the others at
their current values; each series and origin keeps the first value of lowest in-sample
one-step SSE. The state returned is the last stage's winner.
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled, run_blocks
from stockguard.planning.forecasting.base import FloatArray, IntArray

SERIES_BLOCK = 64
"""Series per block (the unit of work ``run_blocks`` hands to a thread)."""
HOLT_PARAMETERS = 3
"""Rows of a Holt parameter table: alpha, beta, phi."""
WINTERS_PARAMETERS = 3
"""Rows of a Holt-Winters parameter table: alpha, beta, gamma."""


# A copy of the helper of ``_ses_kernels`` on purpose: numba's cache follows only this
# file's source, so calling the other module's kernel could run stale code (ADR 0008).
@compiled
def first_observed_index(row: FloatArray, stop: int) -> int:
    """Index of the first non-NaN value of ``row[:stop]``; ``stop`` when there is none."""
    for t in range(stop):
        if not np.isnan(row[t]):
            return t
    return stop


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
def stage_entries(
    grid: FloatArray, current: FloatArray, parameter: int, shared: bool
) -> FloatArray:
    """(n_parameters, n_entries) parameter table of one search stage.

    Entry w * n_grid + j takes ``grid[j]`` for ``parameter`` and ``current[w]`` for the
    others; with ``shared`` (all origins at the same values) only origin 0's block.
    ``current``: (n_origins, n_parameters).
    """
    blocks = 1 if shared else current.shape[0]
    table = np.empty((current.shape[1], blocks * grid.size))
    for w in range(blocks):
        for j in range(grid.size):
            for q in range(current.shape[1]):
                table[q, w * grid.size + j] = grid[j] if q == parameter else current[w, q]
    return table


@compiled
def holt_pass(
    row: FloatArray, table: FloatArray, cuts: IntArray, per_origin: bool, out: FloatArray
) -> None:
    """Holt's method of one series for every entry of ``table`` (rows alpha, beta, phi).

    Args:
        row: (n_periods,) units per period, NaN = unobserved.
        table: (3, n_entries) parameters. cuts: (n_origins,) increasing.
        per_origin: False: all entries run to the last cut, recorded at every cut; True:
            entry block w (of width n_entries / n_origins) runs to ``cuts[w]``.
        out: (3, n_origins, width) filled with l_c (NaN before the first observation),
            b_c (units per period) and the SSE (units squared) at each cut.
    """
    n_entries, width = table.shape[1], out.shape[2]
    alpha, phi = table[0], table[2]
    step = table[0] * table[1]
    first = first_observed_index(row, cuts[-1])
    level = np.full(n_entries, row[first] if first < cuts[-1] else np.nan)
    trend, sse = np.zeros(n_entries), np.zeros(n_entries)
    begin = 0
    for w in range(cuts.size):
        low = w * width if per_origin else 0
        for t in range(max(begin, first), cuts[w]):
            value = row[t]
            if np.isnan(value):
                continue
            for e in range(low, n_entries):
                damped = phi[e] * trend[e]
                fitted = level[e] + damped
                error = value - fitted
                sse[e] += error * error
                level[e] = fitted + alpha[e] * error
                trend[e] = damped + step[e] * error
        begin = cuts[w]
        for j in range(width):
            out[0, w, j] = level[low + j] if first < cuts[w] else np.nan
            out[1, w, j], out[2, w, j] = trend[low + j], sse[low + j]


@compiled
def holt_search_row(
    row: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    stages: IntArray,
    cuts: IntArray,
    params: FloatArray,
    state: FloatArray,
) -> None:
    """Coordinate search of Holt's parameters for one series at every cut.

    Args:
        grids: (alpha, beta, phi) grids. stages: parameter index searched by each stage.
        params: (n_origins, 3) start values on entry, chosen values on return.
        state: (n_origins, 2) filled with (l_c, b_c) of the chosen parameters.
    """
    n_origins = cuts.size
    for s in range(stages.size):
        grid = grids[stages[s]]
        shared = s == 0  # every origin starts from the same values
        table = stage_entries(grid, params, stages[s], shared)
        out = np.empty((3, n_origins, grid.size))
        holt_pass(row, table, cuts, not shared, out)
        for w in range(n_origins):
            best = first_minimum(out[2, w])
            params[w, stages[s]] = grid[best]
            state[w, 0], state[w, 1] = out[0, w, best], out[1, w, best]


@compiled
def holt_rows(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    stages: IntArray,
    cuts: IntArray,
    rows: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """``holt_search_row`` of the series ``rows[0] .. rows[1] - 1``; ``out`` = (params,
    state) holding the start values in ``params`` on entry."""
    params, state = out
    for i in range(rows[0], rows[1]):
        holt_search_row(y[i], grids, stages, cuts, params[i], state[i])


def holt_search(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    stages: IntArray,
    start: FloatArray,
    cuts: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """``holt_search_row`` for every series from ``start`` (3,): (params, state) of
    shapes (n_series, n_origins, 3) and (n_series, n_origins, 2)."""
    params = np.empty((y.shape[0], cuts.size, HOLT_PARAMETERS))
    params[...] = start
    state = np.empty((y.shape[0], cuts.size, 2))

    def kernel(first: int, stop: int) -> None:
        holt_rows(y, grids, stages, cuts, _rows(first, stop, y), (params, state))

    run_blocks(kernel, -(-y.shape[0] // SERIES_BLOCK))
    return params, state


def _rows(first: int, stop: int, y: FloatArray) -> IntArray:
    """Series range [start, end) of the blocks ``first .. stop - 1`` of SERIES_BLOCK."""
    return np.array([first * SERIES_BLOCK, min(stop * SERIES_BLOCK, y.shape[0])])


@compiled
def winters_pass(
    row: FloatArray,
    table: FloatArray,
    season_init: FloatArray,
    cuts: IntArray,
    level_out: FloatArray,
    season_out: FloatArray,
) -> None:
    """Additive Holt-Winters of one series; entry block w runs to ``cuts[w]``.

    Args:
        table: (3, n_origins * width) rows alpha, beta, gamma.
        season_init: (n_origins, m) initial season of each origin, by position t mod m.
        level_out: (3, n_origins, width) filled with l_c, b_c and the SSE at each cut.
        season_out: (n_origins, width, m) filled with the seasonal state at each cut.
    """
    n_entries, width, m = table.shape[1], level_out.shape[2], season_init.shape[1]
    alpha, gamma = table[0], table[2]
    step = table[0] * table[1]
    first = first_observed_index(row, cuts[-1])
    level, trend, sse = np.empty(n_entries), np.zeros(n_entries), np.zeros(n_entries)
    season = np.empty((m, n_entries))
    for e in range(n_entries):
        for j in range(m):
            season[j, e] = season_init[e // width, j]
        level[e] = row[first] - season[first % m, e] if first < cuts[-1] else np.nan
    begin = 0
    for w in range(cuts.size):
        for t in range(max(begin, first), cuts[w]):
            value = row[t]
            if np.isnan(value):
                continue
            position = season[t % m]
            for e in range(w * width, n_entries):
                base = level[e] + trend[e]
                previous = position[e]
                error = value - (base + previous)
                sse[e] += error * error
                level[e] = base + alpha[e] * error
                trend[e] = trend[e] + step[e] * error
                position[e] = previous + gamma[e] * error
        begin = cuts[w]
        for j in range(width):
            e = w * width + j
            level_out[0, w, j] = level[e] if first < cuts[w] else np.nan
            level_out[1, w, j], level_out[2, w, j] = trend[e], sse[e]
            for p in range(m):
                season_out[w, j, p] = season[p, e]


@compiled
def winters_search_row(
    row: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    season_init: FloatArray,
    cuts: IntArray,
    params: FloatArray,
    state: FloatArray,
) -> None:
    """Coordinate search (alpha, beta, gamma in turn) of one series at every cut.

    Args:
        season_init: (n_origins, m). params: (n_origins, 3) start values on entry,
            chosen ones on return. state: (n_origins, 2 + m) filled with l_c, b_c and
            the season (by position) of the chosen parameters.
    """
    n_origins, m = cuts.size, season_init.shape[1]
    for parameter in range(WINTERS_PARAMETERS):
        grid = grids[parameter]
        table = stage_entries(grid, params, parameter, False)
        out = np.empty((3, n_origins, grid.size))
        season = np.empty((n_origins, grid.size, m))
        winters_pass(row, table, season_init, cuts, out, season)
        for w in range(n_origins):
            best = first_minimum(out[2, w])
            params[w, parameter] = grid[best]
            state[w, 0], state[w, 1] = out[0, w, best], out[1, w, best]
            for p in range(m):
                state[w, 2 + p] = season[w, best, p]


@compiled
def winters_rows(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    season_init: FloatArray,
    cuts: IntArray,
    rows: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """``winters_search_row`` of the series ``rows[0] .. rows[1] - 1``; ``out`` =
    (params, state) holding the start values in ``params`` on entry."""
    params, state = out
    for i in range(rows[0], rows[1]):
        winters_search_row(y[i], grids, season_init[i], cuts, params[i], state[i])


def winters_search(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    season_init: FloatArray,
    start: FloatArray,
    cuts: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """``winters_search_row`` for every series; ``season_init`` (n_series, n_origins, m),
    ``start`` (3,). Returns params (n_series, n_origins, 3) and state (n_series,
    n_origins, 2 + m)."""
    params = np.empty((y.shape[0], cuts.size, WINTERS_PARAMETERS))
    params[...] = start
    state = np.empty((y.shape[0], cuts.size, 2 + season_init.shape[2]))

    def kernel(first: int, stop: int) -> None:
        winters_rows(y, grids, season_init, cuts, _rows(first, stop, y), (params, state))

    run_blocks(kernel, -(-y.shape[0] // SERIES_BLOCK))
    return params, state


@compiled
def seasonal_rows(
    y: FloatArray, cuts: IntArray, rows: IntArray, out: tuple[FloatArray, FloatArray]
) -> None:
    """``seasonal_sums`` of the series ``rows[0] .. rows[1] - 1``, into ``out``."""
    total, count = out
    m = total.shape[2]
    for i in range(rows[0], rows[1]):
        row, running, seen = y[i], np.zeros(m), np.zeros(m)
        begin = 0
        for w in range(cuts.size):
            for t in range(begin, cuts[w]):
                if not np.isnan(row[t]):
                    running[t % m] += row[t]
                    seen[t % m] += 1.0
            begin = cuts[w]
            for j in range(m):
                total[i, w, j], count[i, w, j] = running[j], seen[j]


def seasonal_sums(y: FloatArray, cuts: IntArray, m: int) -> tuple[FloatArray, FloatArray]:
    """Sum (units) and number of the observations at each position t mod m of
    ``y[:, :c]`` for every cut: two arrays (n_series, n_origins, m)."""
    total, count = np.zeros((y.shape[0], cuts.size, m)), np.zeros((y.shape[0], cuts.size, m))
    run_blocks(lambda first, stop: seasonal_rows(y, cuts, _rows(first, stop, y), (total, count)),
               -(-y.shape[0] // SERIES_BLOCK))  # fmt: skip
    return total, count
