"""Compiled simple exponential smoothing: filter, alpha search, temporal aggregation.

Layout (ADR 0008): series are taken ``LANES`` at a time (blocks of lanes run on several
threads, ``_jit.run_blocks``); each lane (series) carries ``width`` *entries*, the
parameter values evaluated side by side, and one flat loop over the lanes' entries runs
per period, which the compiler vectorises. A NaN period gives a
zero error (no update). Every entry point takes ``cuts``, increasing origins: the result
at origin ``c`` is the one of the series ``y[:, :c]``, so one pass serves a
rolling-origin backtest (``cuts = [n_periods]`` is the plain fit).

Equations (Hyndman & Athanasopoulos, FPP3 section 8.1), NaN periods skipped:
    e_t = y_t - l_{t-1};  l_t = l_{t-1} + alpha e_t;  SSE = sum_t e_t**2;  l_0 = first y.

Shapes: ``y`` (n_series, n_periods) float64 units per period, NaN = unobserved;
``cuts`` (n_origins,) int64 in [0, n_periods].
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled, run_blocks
from stockguard.planning.forecasting.base import FloatArray, IntArray

LANES = 8
"""Series filtered together; their entries form one vectorised loop per period."""
BLOCK = 64
"""Series per task of the temporal-aggregation kernel (their running totals are kept)."""


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
    """Index of the smallest value, the first one on ties; the first NaN wins
    (``numpy.argmin`` semantics)."""
    best = 0
    for j in range(values.size):
        if np.isnan(values[j]):
            return j
        if values[j] < values[best]:
            best = j
    return best


@compiled
def ses_lanes(
    rows: FloatArray,
    alpha: FloatArray,
    cuts: IntArray,
    blocks: int | np.int64,
    level_out: FloatArray,
    sse_out: FloatArray,
) -> None:
    """SES of each lane (row) for each of its entries, recorded at every cut.

    Args:
        rows: (n_lanes, >= cuts[-1]) units per period, NaN = unobserved.
        alpha: (n_lanes * width,) lane s's entries are alpha[s * width : (s + 1) * width].
        cuts: (n_origins,) increasing origins.
        blocks: 1: every entry is recorded at every cut (width = n_grid); n_origins: a
            lane's entries form one block of n_grid per origin (width = n_origins n_grid)
            and block w is recorded at cut w (the others run on, unused).
        level_out, sse_out: (n_lanes, n_origins, n_grid) filled with l_c (units; NaN when
            the lane has no observation before c) and the SSE (units squared) at cut c.
    """
    n_lanes, n_grid = rows.shape[0], level_out.shape[2]
    width = alpha.size // max(n_lanes, 1)
    first = first_observed(rows, cuts[-1])
    level, sse, values = np.empty(alpha.size), np.zeros(alpha.size), np.empty(alpha.size)
    for e in range(alpha.size):
        s = e // width
        level[e] = rows[s, first[s]] if first[s] < cuts[-1] else np.nan
    begin = 0
    for w in range(cuts.size):
        for t in range(begin, cuts[w]):
            for s in range(n_lanes):  # each lane's observation for all its entries
                value = rows[s, t]
                for j in range(width):
                    values[s * width + j] = value
            for e in range(alpha.size):
                error = 0.0 if np.isnan(values[e]) else values[e] - level[e]
                sse[e] += error * error
                level[e] += alpha[e] * error
        begin = cuts[w]
        offset = 0 if blocks == 1 else w * n_grid
        for s in range(n_lanes):
            for j in range(n_grid):
                e = s * width + offset + j
                level_out[s, w, j] = level[e] if first[s] < cuts[w] else np.nan
                sse_out[s, w, j] = sse[e]


@compiled
def ses_search_lanes(
    rows: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    cuts: IntArray,
    alpha_out: FloatArray,
    level_out: FloatArray,
) -> None:
    """SSE-optimal alpha of each lane at each cut, with its final level.

    ``grids`` = (coarse, offsets, bounds): the shared grid ``coarse`` is evaluated (one
    pass for all cuts), then, when ``offsets`` is not empty, per lane and cut the grid
    clip(best + offsets, bounds[0], bounds[1]); each stage keeps the first value with
    the lowest SSE.

    Args:
        rows: (n_lanes, >= cuts[-1]). alpha_out, level_out: (n_lanes, n_origins).
    """
    coarse, offsets, bounds = grids
    n_lanes, n_origins, n_fine = rows.shape[0], cuts.size, offsets.size
    table = np.empty(n_lanes * coarse.size)
    for e in range(table.size):
        table[e] = coarse[e % coarse.size]
    level = np.empty((n_lanes, n_origins, coarse.size))
    sse = np.empty((n_lanes, n_origins, coarse.size))
    ses_lanes(rows, table, cuts, np.int64(1), level, sse)  # not a literal 1: one compile
    fine = np.empty(n_lanes * n_origins * n_fine)
    for s in range(n_lanes):
        for w in range(n_origins):
            best = first_minimum(sse[s, w])
            alpha_out[s, w], level_out[s, w] = coarse[best], level[s, w, best]
            for j in range(n_fine):
                value = min(max(coarse[best] + offsets[j], bounds[0]), bounds[1])
                fine[(s * n_origins + w) * n_fine + j] = value
    if n_fine == 0:
        return
    level = np.empty((n_lanes, n_origins, n_fine))
    sse = np.empty((n_lanes, n_origins, n_fine))
    ses_lanes(rows, fine, cuts, n_origins, level, sse)
    for s in range(n_lanes):
        for w in range(n_origins):
            best = first_minimum(sse[s, w])
            alpha_out[s, w] = fine[(s * n_origins + w) * n_fine + best]
            level_out[s, w] = level[s, w, best]


@compiled
def ses_search_blocks(
    y: FloatArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    cuts: IntArray,
    blocks: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """``ses_search_lanes`` of the lane blocks ``blocks[0] .. blocks[1] - 1`` (block b =
    series b * LANES ..), into ``out`` = (alpha, level), each (n_series, n_origins)."""
    alpha, level = out
    for b in range(blocks[0], blocks[1]):
        low, high = b * LANES, min((b + 1) * LANES, y.shape[0])
        ses_search_lanes(y[low:high], grids, cuts, alpha[low:high], level[low:high])


def ses_search(
    y: FloatArray, grids: tuple[FloatArray, FloatArray, FloatArray], cuts: IntArray
) -> tuple[FloatArray, FloatArray]:
    """``ses_search_lanes`` for every series: (alpha, level), each (n_series, n_origins)."""
    alpha, level = np.empty((y.shape[0], cuts.size)), np.empty((y.shape[0], cuts.size))

    def kernel(first: int, stop: int) -> None:
        ses_search_blocks(y, grids, cuts, np.array([first, stop]), (alpha, level))

    run_blocks(kernel, -(-y.shape[0] // LANES))
    return alpha, level


@compiled
def ses_states_blocks(
    y: FloatArray,
    alpha: FloatArray,
    cuts: IntArray,
    blocks: IntArray,
    out: tuple[FloatArray, FloatArray],
) -> None:
    """SES at given weights of the lane blocks ``blocks[0] .. blocks[1] - 1`` of
    ``blocks[2]`` series each, into ``out`` = (level, sse) (see ``ses_states``)."""
    level, sse = out
    lanes = blocks[2]
    for b in range(blocks[0], blocks[1]):
        low, high = b * lanes, min((b + 1) * lanes, y.shape[0])
        table = alpha[low:high].copy().reshape(-1)
        ses_lanes(y[low:high], table, cuts, np.int64(1), level[low:high], sse[low:high])


def ses_states(y: FloatArray, alpha: FloatArray, cuts: IntArray) -> tuple[FloatArray, FloatArray]:
    """SES of every series at given weights: (level, sse), each (n_series, n_origins,
    n_entries), for ``alpha`` of shape (n_series, n_entries)."""
    n_series, n_entries = alpha.shape
    level = np.empty((n_series, cuts.size, n_entries))
    sse = np.empty((n_series, cuts.size, n_entries))
    lanes = LANES * max(1, 4 // max(n_entries, 1))  # few entries per lane: more lanes

    def kernel(first: int, stop: int) -> None:
        ses_states_blocks(y, alpha, cuts, np.array([first, stop, lanes]), (level, sse))

    run_blocks(kernel, -(-n_series // lanes))
    return level, sse


@compiled
def exact_running_totals(row: FloatArray, total: FloatArray, count: FloatArray) -> bool:
    """Fill total[t] (units) and count[t] with the sum and number of observations of
    ``row[:t]``, t = 0..n_periods; True when every partial sum is exact in float64
    (integer values, sum of |y| below 2**53), so bucket sums from differences of
    totals equal direct sums bit for bit."""
    exact, magnitude, running, observed = True, 0.0, 0.0, 0.0  # sums kept in registers
    total[0] = count[0] = 0.0
    for t in range(row.size):
        value = row[t]
        if not np.isnan(value):
            running += value
            observed += 1.0
            magnitude += abs(value)
            exact = exact and value == np.floor(value)
        total[t + 1], count[t + 1] = running, observed
    return exact and magnitude < 2.0**53


@compiled
def bucket_row(
    row: FloatArray,
    totals: FloatArray,
    count: FloatArray,
    exact: bool,
    cut: int,
    level: int,
    out: FloatArray,
) -> None:
    """Fill ``out`` (cut // k,) with the NaN-aware means of buckets of k = ``level``
    periods of ``row[:cut]``, aligned to end at ``cut`` (the oldest cut mod k periods
    are dropped; Nikolopoulos et al. 2011); NaN for a bucket without observation. Sums
    come from the running totals when ``exact``, else directly in period order."""
    start = cut - out.size * level
    for b in range(out.size):
        low, high = start + b * level, start + (b + 1) * level
        if exact:
            total, observed = totals[high] - totals[low], count[high] - count[low]
        else:
            total, observed = 0.0, 0.0
            for t in range(low, high):
                if not np.isnan(row[t]):
                    total += row[t]
                    observed += 1.0
        out[b] = total / observed if observed > 0 else np.nan


@compiled
def aggregated_lanes(
    y: FloatArray,
    rows: IntArray,
    running: tuple[FloatArray, FloatArray, FloatArray],
    lanes: IntArray,
    cuts: IntArray,
    level: int,
    grids: tuple[FloatArray, FloatArray, FloatArray],
) -> FloatArray:
    """(len(lanes), len(cuts)) SSE-optimal SES level (units per period) of the k-period
    bucket means of ``y[rows[lanes[s]], :c]``, k = ``level``, for each cut c; NaN when
    no bucket is observed. The cuts must differ by multiples of k: the buckets of every
    cut are then a prefix of the last cut's (same alignment), so one pass serves all.
    ``running`` = (totals, counts, exact) of ``rows`` (``exact_running_totals``; not
    read when k = 1, whose buckets are the periods themselves)."""
    totals, counts, exact = running
    last = cuts[-1]
    buckets = np.empty((lanes.size, last // level))
    for s in range(lanes.size):
        i = lanes[s]
        if level == 1:
            for t in range(last):
                buckets[s, t] = y[rows[i], t]
        else:
            bucket_row(y[rows[i]], totals[i], counts[i], exact[i] > 0, last, level, buckets[s])
    ends = np.empty(cuts.size, dtype=np.int64)
    for w in range(cuts.size):
        ends[w] = cuts[w] // level
    alpha, smoothed = np.empty((lanes.size, cuts.size)), np.empty((lanes.size, cuts.size))
    ses_search_lanes(buckets, grids, ends, alpha, smoothed)
    return smoothed


@compiled
def applies(level: int, k: int, all_levels: bool) -> bool:
    """Whether aggregation level k enters a series whose level is ``level``: every k up
    to it for IMAPA (``all_levels``), k = level only for ADIDA."""
    return level >= k if all_levels else level == k


@compiled
def level_pass(
    y: FloatArray,
    rows: IntArray,
    levels: IntArray,
    window: IntArray,
    context: tuple[
        tuple[FloatArray, FloatArray, FloatArray],
        bool,
        tuple[FloatArray, FloatArray, FloatArray],
        IntArray,
    ],
    out: FloatArray,
) -> None:
    """Aggregation level k = ``window[2]`` at the cuts ``window[0] .. window[1] - 1`` (one
    pass for them) for the series of ``rows`` it enters; IMAPA adds the level to
    ``out[w, i]`` (NaN as 0), ADIDA sets it. ``context`` = (grids, all_levels, running
    totals, cuts)."""
    grids, all_levels, running, cuts = context
    first, stop, k = window[0], window[1], window[2]
    used = np.zeros(rows.size, dtype=np.bool_)
    for w in range(first, stop):
        for i in range(rows.size):
            used[i] = used[i] or applies(levels[w, i], k, all_levels)
    members = np.flatnonzero(used)
    for g in range(0, members.size, LANES):
        lanes = members[g : g + LANES]
        smoothed = aggregated_lanes(y, rows, running, lanes, cuts[first:stop], k, grids)
        for s in range(lanes.size):
            for j in range(stop - first):
                w, i, value = first + j, lanes[s], smoothed[s, j]
                if applies(levels[w, i], k, all_levels):
                    if all_levels:
                        out[w, i] += 0.0 if np.isnan(value) else value
                    else:
                        out[w, i] = value


@compiled
def common_step(cuts: IntArray) -> int:
    """Greatest common divisor of the gaps between consecutive cuts; 0 for one cut."""
    step = 0
    for w in range(1, cuts.size):
        a, b = step, cuts[w] - cuts[w - 1]
        while b:
            a, b = b, a % b
        step = a
    return step


@compiled
def running_totals(
    y: FloatArray, rows: IntArray, running: tuple[FloatArray, FloatArray, FloatArray]
) -> None:
    """``exact_running_totals`` of ``y[rows]`` into ``running`` = (totals, counts, exact):
    the first len(rows) rows of (>= len(rows), n_periods + 1) buffers, and the
    exactness flags as 1.0 / 0.0. The buffers are reused from block to block (fresh
    megabyte-sized arrays would cost a page fault per 4 KiB each time)."""
    totals, counts, exact = running
    for s in range(rows.size):
        exact[s] = 1.0 if exact_running_totals(y[rows[s]], totals[s], counts[s]) else 0.0


@compiled
def aggregated_block(
    y: FloatArray,
    rows: IntArray,
    cuts: IntArray,
    levels: IntArray,
    settings: tuple[
        tuple[FloatArray, FloatArray, FloatArray], bool, tuple[FloatArray, FloatArray, FloatArray]
    ],
    out: FloatArray,
) -> None:
    """ADIDA or IMAPA levels (see ``aggregated_levels``) of the series ``rows``.

    Series that use the same aggregation level k at the same cut have buckets of equal
    length; they are filtered ``LANES`` at a time, and all cuts in one pass when k divides
    the gaps between cuts (k = 1 always). IMAPA sums the levels in increasing k.
    ``levels``, ``out``: (n_origins, len(rows)); ``settings`` = (grids, all_levels,
    running-total buffers of ``running_totals``).
    """
    grids, all_levels, running = settings
    if levels.max() > 1:
        running_totals(y, rows, running)
    context = (grids, all_levels, running, cuts)
    step = common_step(cuts)
    for k in range(1, levels.max() + 1):
        if step % k == 0:  # every cut's buckets are a prefix of the last one's
            level_pass(y, rows, levels, np.array([0, cuts.size, k]), context, out)
            continue
        for w in range(cuts.size):
            level_pass(y, rows, levels, np.array([w, w + 1, k]), context, out)
    if all_levels:
        for w in range(cuts.size):
            for i in range(rows.size):
                if levels[w, i] > 0:
                    out[w, i] /= levels[w, i]


@compiled
def aggregated_blocks(
    y: FloatArray,
    cuts: IntArray,
    levels: IntArray,
    order: IntArray,
    settings: tuple[tuple[FloatArray, FloatArray, FloatArray], bool, IntArray],
    out: FloatArray,
) -> None:
    """``aggregated_block`` of the blocks ``settings[2][0] .. settings[2][1] - 1`` of
    ``BLOCK`` series taken in ``order``; ``settings`` = (grids, all_levels, blocks)."""
    grids, all_levels, blocks = settings
    buffers = (np.empty((BLOCK, y.shape[1] + 1)), np.empty((BLOCK, y.shape[1] + 1)),
               np.empty(BLOCK))  # fmt: skip
    for b in range(blocks[0], blocks[1]):
        rows = order[b * BLOCK : (b + 1) * BLOCK]
        part = np.zeros((cuts.size, rows.size))
        block_levels = np.empty((cuts.size, rows.size), dtype=np.int64)
        for w in range(cuts.size):
            for i in range(rows.size):
                block_levels[w, i] = levels[w, rows[i]]
        aggregated_block(y, rows, cuts, block_levels, (grids, all_levels, buffers), part)
        for w in range(cuts.size):
            for i in range(rows.size):
                out[w, rows[i]] = part[w, i]


def aggregated_levels(
    y: FloatArray,
    cuts: IntArray,
    levels: IntArray,
    grids: tuple[FloatArray, FloatArray, FloatArray],
    all_levels: bool,
) -> FloatArray:
    """ADIDA (``all_levels`` False) or IMAPA (True) level of every series at every cut.

    ADIDA (Nikolopoulos et al. 2011): the optimised-SES level (``ses_search_lanes``) of
    the means of buckets of k = ``levels[w, i]`` periods. IMAPA (Petropoulos &
    Kourentzes 2015): the mean over k = 1..levels[w, i] of those levels (NaN counted as
    0). 0 where the level is 0. Series are taken ``BLOCK`` at a time in order of their
    last level, so that a block holds series of equal k, which fill the lanes.

    Args:
        y: (n_series, n_periods). cuts: (n_origins,). levels: (n_origins, n_series) int64.
        grids: (coarse, offsets, bounds) of the alpha search.

    Returns:
        (n_origins, n_series) units per period.
    """
    order = np.argsort(levels[-1], kind="stable")
    out = np.zeros((cuts.size, y.shape[0]))

    def kernel(first: int, stop: int) -> None:
        settings = (grids, all_levels, np.array([first, stop]))
        aggregated_blocks(y, cuts, levels, order, settings, out)

    run_blocks(kernel, -(-y.shape[0] // BLOCK))
    return out
