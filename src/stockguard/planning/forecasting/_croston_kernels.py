"""Compiled Croston and TSB filters, the TSB alpha search and inter-demand intervals.

Croston runs one series at a time (no parameter grid); TSB uses the lanes layout of
``_ses_kernels`` (``LANES`` series, their parameter entries side by side in one
vectorised loop per period). Blocks of series run on several threads
(``_jit.run_blocks``). Results come at every origin of ``cuts`` (the series
``y[:, :c]``) from one pass. NaN periods count neither as a demand nor as a zero: they
do not advance the interval and update no state.

    Croston (1972), at each demand y_t > 0 with q_t observed periods since the previous
    one (the first counted from the first observed period):
        z <- z + alpha (y_t - z);  p <- p + alpha (q_t - p);  first demand: z = y_t, p = q_t
    TSB (Teunter, Syntetos & Babai 2011), every observed period, d_t = [y_t > 0]:
        e_t = y_t - p z  (0 before the first demand);  p <- p + alpha_p (d_t - p)
        at a demand z <- z + alpha_d (y_t - z);  p, z start at the first d_t, y_t > 0
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled, run_blocks
from stockguard.planning.forecasting.base import FloatArray, IntArray

LANES = 8
"""Series filtered together (see ``_ses_kernels``)."""
SERIES_BLOCK = 256
"""Series per block of the one-series-at-a-time kernels (a unit of ``run_blocks``)."""


@compiled
def croston_rows(
    y: FloatArray, alpha: FloatArray, cuts: IntArray, rows: IntArray, out: FloatArray
) -> None:
    """``croston_states`` of the series ``rows[0] .. rows[1] - 1``, into ``out``."""
    for i in range(rows[0], rows[1]):
        row, weight = y[i], alpha[i]
        size = interval = np.nan
        counter, begin = 0.0, 0
        for w in range(cuts.size):
            for t in range(begin, cuts[w]):  # branch-free: demand days come at random
                value = row[t]
                counter += 0.0 if np.isnan(value) else 1.0
                demand, started = value > 0, not np.isnan(size)
                grown = size + weight * (value - size) if started else value
                stretched = interval + weight * (counter - interval) if started else counter
                size = grown if demand else size
                interval = stretched if demand else interval
                counter = 0.0 if demand else counter
            begin = cuts[w]
            out[0, w, i], out[1, w, i] = size, interval


def croston_states(y: FloatArray, alpha: FloatArray, cuts: IntArray) -> FloatArray:
    """Croston's size z (units per demand) and interval p (observed periods per
    demand) of every series at every cut, NaN before the first demand.

    Args:
        y: (n_series, n_periods). alpha: (n_series,). cuts: (n_origins,) increasing.

    Returns:
        (2, n_origins, n_series): [0] = z, [1] = p.
    """
    out = np.empty((2, cuts.size, y.shape[0]))
    run_blocks(lambda first, stop: croston_rows(y, alpha, cuts, _rows(first, stop, y), out),
               -(-y.shape[0] // SERIES_BLOCK))  # fmt: skip
    return out


def _rows(first: int, stop: int, y: FloatArray) -> IntArray:
    """Series range [start, end) of the blocks ``first .. stop - 1`` of SERIES_BLOCK."""
    return np.array([first * SERIES_BLOCK, min(stop * SERIES_BLOCK, y.shape[0])])


@compiled
def first_index(rows: FloatArray, stop: int, demand: bool) -> IntArray:
    """(n_lanes,) index of each row's first observation (``demand`` False) or first
    demand y_t > 0 (True) before ``stop``; ``stop`` when there is none."""
    first = np.full(rows.shape[0], stop, dtype=np.int64)
    for s in range(rows.shape[0]):
        for t in range(stop):
            if (rows[s, t] > 0) if demand else not np.isnan(rows[s, t]):
                first[s] = t
                break
    return first


@compiled
def start_values(
    rows: FloatArray,
    t: int,
    firsts: tuple[IntArray, IntArray],
    state: tuple[FloatArray, FloatArray],
) -> None:
    """Set p = d_t at each lane's first observation and z = y_t at its first demand
    (``firsts`` = their indices), for all of the lane's entries of ``state`` = (p, z)."""
    seen, started = firsts
    prob, size = state
    width = prob.size // rows.shape[0]
    for s in range(rows.shape[0]):
        if t == seen[s]:
            for e in range(s * width, (s + 1) * width):
                prob[e] = 1.0 if rows[s, t] > 0 else 0.0
        if t == started[s]:
            for e in range(s * width, (s + 1) * width):
                size[e] = rows[s, t]


@compiled
def tsb_lanes(
    rows: FloatArray, table: FloatArray, cuts: IntArray, blocks: int, out: FloatArray
) -> None:
    """TSB of each lane (row) for each of its entries (``_ses_kernels`` layout).

    Args:
        rows: (n_lanes, >= cuts[-1]) units per period, NaN = unobserved.
        table: (2, n_lanes * width) rows alpha_d, alpha_p; lane s owns the entries
            s * width .. (s + 1) * width - 1.
        cuts: (n_origins,) increasing origins.
        blocks: 1: every entry is recorded at every cut (width = n_grid); n_origins:
            block w of a lane's entries (width = n_origins n_grid) is recorded at cut w.
        out: (3, n_lanes, n_origins, n_grid) filled with p (NaN before the first
            observation), z (NaN before the first demand) and the SSE at each cut.

    p and z start at 0 (p z = 0 until the first demand) and are set to d_t and y_t at
    the first observation and the first demand, as the recursions' start values.
    """
    n_lanes, n_grid, n_entries = rows.shape[0], out.shape[3], table.shape[1]
    width = n_entries // max(n_lanes, 1)
    alpha_d, alpha_p = table[0], table[1]
    seen, started = first_index(rows, cuts[-1], False), first_index(rows, cuts[-1], True)
    prob, size, sse = np.zeros(n_entries), np.zeros(n_entries), np.zeros(n_entries)
    values = np.empty(n_entries)
    begin = 0
    for w in range(cuts.size):
        for t in range(begin, cuts[w]):
            for s in range(n_lanes):
                value = rows[s, t]
                for j in range(width):
                    values[s * width + j] = value
            for e in range(n_entries):
                value = values[e]
                observed = not np.isnan(value)
                error = value - prob[e] * size[e] if observed else 0.0
                sse[e] += error * error
                indicator = 1.0 if value > 0 else 0.0
                updated = prob[e] + alpha_p[e] * (indicator - prob[e])
                prob[e] = updated if observed else prob[e]
                grown = size[e] + alpha_d[e] * (value - size[e])
                size[e] = grown if value > 0 else size[e]
            start_values(rows, t, (seen, started), (prob, size))
        begin = cuts[w]
        offset = 0 if blocks == 1 else w * n_grid
        for s in range(n_lanes):
            for j in range(n_grid):
                e = s * width + offset + j
                out[0, s, w, j] = prob[e] if seen[s] < cuts[w] else np.nan
                out[1, s, w, j] = size[e] if started[s] < cuts[w] else np.nan
                out[2, s, w, j] = sse[e]


# A copy of the helper of ``_ses_kernels`` on purpose: numba's cache follows only this
# file's source, so calling the other module's kernel could run stale code (ADR 0008).
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
def tsb_search_lanes(
    rows: FloatArray,
    grid: FloatArray,
    stages: IntArray,
    cuts: IntArray,
    params: FloatArray,
    state: FloatArray,
) -> None:
    """Coordinate search of TSB's alphas for each lane at every cut.

    Each stage searches ``grid`` for parameter ``stages[s]`` (0 = alpha_d, 1 = alpha_p),
    the other fixed; the first stage is shared by all cuts (same start values); with no
    stage the filter runs once at the start values.

    Args:
        rows: (n_lanes, >= cuts[-1]).
        params: (n_lanes, n_origins, 2) start values on entry (equal for all origins),
            chosen values on return.
        state: (n_lanes, n_origins, 2) filled with (p, z) of the chosen alphas.
    """
    n_lanes, n_origins = rows.shape[0], cuts.size
    n_stages = max(stages.size, 1)
    for stage in range(n_stages):
        values = grid if stages.size else params[0, 0, :1].copy()
        parameter = stages[stage] if stages.size else 0
        blocks = 1 if stage == 0 else n_origins
        width = blocks * values.size
        table = np.empty((2, n_lanes * width))
        for s in range(n_lanes):
            for w in range(blocks):
                for j in range(values.size):
                    e = s * width + w * values.size + j
                    table[0, e], table[1, e] = params[s, w, 0], params[s, w, 1]
                    table[parameter, e] = values[j]
        out = np.empty((3, n_lanes, n_origins, values.size))
        tsb_lanes(rows, table, cuts, blocks, out)
        for s in range(n_lanes):
            for w in range(n_origins):
                best = first_minimum(out[2, s, w])
                params[s, w, parameter] = values[best]
                state[s, w, 0], state[s, w, 1] = out[0, s, w, best], out[1, s, w, best]


@compiled
def tsb_search_blocks(
    y: FloatArray,
    grid: FloatArray,
    stages: IntArray,
    cuts: IntArray,
    blocks: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """``tsb_search_lanes`` of the lane blocks ``blocks[0] .. blocks[1] - 1`` of
    ``blocks[2]`` series each, into ``out`` = (params, state), ``params`` holding the
    start values on entry."""
    params, state = out
    lanes = blocks[2]
    for b in range(blocks[0], blocks[1]):
        low, high = b * lanes, min((b + 1) * lanes, y.shape[0])
        tsb_search_lanes(y[low:high], grid, stages, cuts, params[low:high], state[low:high])


def tsb_search(
    y: FloatArray, grid: FloatArray, stages: IntArray, start: FloatArray, cuts: IntArray
) -> tuple[FloatArray, FloatArray]:
    """``tsb_search_lanes`` for every series from ``start`` (alpha_d, alpha_p): params and
    state (p, z), each (n_series, n_origins, 2)."""
    params = np.empty((y.shape[0], cuts.size, 2))
    params[...] = start
    state = np.empty((y.shape[0], cuts.size, 2))
    lanes = LANES if stages.size else 4 * LANES  # one entry per lane: more lanes

    def kernel(first: int, stop: int) -> None:
        tsb_search_blocks(y, grid, stages, cuts, np.array([first, stop, lanes]), (params, state))

    run_blocks(kernel, -(-y.shape[0] // lanes))
    return params, state


@compiled
def interval_rows(y: FloatArray, cuts: IntArray, rows: IntArray, out: FloatArray) -> None:
    """``interval_counts`` of the series ``rows[0] .. rows[1] - 1``, into ``out``."""
    for i in range(rows[0], rows[1]):
        row = y[i]
        observed = last = count = 0.0
        begin = 0
        for w in range(cuts.size):
            for t in range(begin, cuts[w]):  # branch-free: demand days come at random
                observed += 0.0 if np.isnan(row[t]) else 1.0
                demand = row[t] > 0
                count += 1.0 if demand else 0.0
                last = observed if demand else last
            begin = cuts[w]
            out[0, w, i], out[1, w, i] = last, count


def interval_counts(y: FloatArray, cuts: IntArray) -> FloatArray:
    """Observed periods up to and including the last demand ([0]), and number of demands
    y_t > 0 ([1]), of ``y[:, :c]`` for every cut: (2, n_origins, n_series)."""
    out = np.zeros((2, cuts.size, y.shape[0]))
    run_blocks(lambda first, stop: interval_rows(y, cuts, _rows(first, stop, y), out),
               -(-y.shape[0] // SERIES_BLOCK))  # fmt: skip
    return out
