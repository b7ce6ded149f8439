"""Compiled Monte Carlo kernel (numba, ADR 0008): one row and ``LANES`` paths at a time,
every plan stepped on the same draws each day.

Layout ("lanes", as ADR 0008 does for series): a row's demand is drawn for 64 paths at
once (``draw_lanes``, (H, 64) per block) and each plan steps the 64 paths together
(``run_plan_lanes``): the loop over days is outside, the loops over paths inside, and
their branch-free parts (SplitMix64, the table search, receipts, sales, accounting, the
policy's need) are vectorised by the compiler. ``draw_demand`` and ``run_plan`` are the
one-path references they are tested against, bit for bit.

Random numbers (``uniform``): a counter-based SplitMix64 stream per row and path. The
state of row ``i`` on path ``j`` starts at ``key[i] + j * PATH_STRIDE`` (mod 2**64) and
advances by the golden-ratio increment per draw; ``key[i]`` is derived from the run's
seed and the row's index (``engine.row_keys``). So the numbers a row sees depend only on
(seed, row, path, day), never on how rows are split into blocks or threads: a chunked
run equals an unchunked one bit for bit. Each day draws two uniforms: the demand and
the lead-time delay of an order placed that day (used by every plan: common random
numbers).

Demand by inversion (``draw_demand``) with the Panjer recursion
``P(k) = P(k - 1) * (a + b / k)``: Poisson(mu) has ``a = 0, b = mu, P(0) = exp(-mu)``;
the negative binomial with mean ``mu`` and variance ``d * mu`` (``d > 1``) has
``p = 1 / d``, ``r = mu / (d - 1)``, ``a = 1 - p``, ``b = (r - 1)(1 - p)``,
``P(0) = p ** r``. Means above ``NORMAL_ABOVE`` draw ``round(mu + sigma * z)``, floored
at 0, with ``z = Phi^-1(u)`` (Acklam's rational approximation, relative error < 1.2e-9).

The step of a day for each plan (module ``engine`` gives the accounting): receipts,
sales with lost sales, the policy's order (``needed_units``, rounded like
``inventory.rounding``), its lead time and arrival through the supply calendar, and
transfers.
"""

from __future__ import annotations

import math
from typing import Any, ParamSpec, TypeVar

import numba
import numpy as np

from stockguard.planning.forecasting._jit import compiled

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")


def inlined(function: Any) -> Any:
    """``compiled`` for small helpers, inlined into their callers by numba."""
    return numba.njit(cache=True, error_model="numpy", nogil=True, inline="always")(function)


GOLDEN = np.uint64(0x9E3779B97F4A7C15)
PATH_STRIDE = np.uint64((0x9E3779B97F4A7C15 << 20) & 0xFFFFFFFFFFFFFFFF)
"""2**20 draws reserved per path: no two paths of a row share a state."""
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
TO_UNIT = 2.0**-53
TOLERANCE = 1e-9
RECIPROCALS = np.r_[0.0, 1.0 / np.arange(1, 4096)]
"""``1 / k``: the Panjer recursion multiplies instead of dividing (draws stop at 4095)."""
NO_CAP = 2**62
CDF_SIZE = 16
"""Entries of the per-day CDF table searched without branches."""
LANES = 64
"""Paths whose demand is drawn at once (``draw_lanes``)."""

# Columns of the packed per-row arrays.
F_S, F_BIG_S, F_Q, F_SS, F_PRICE, F_COST, F_PREMIUM, F_DISPERSION = range(8)
I_ON_HAND, I_KIND, I_REVIEW, I_MOQ, I_PACK, I_SUP, I_LEAD, I_ALT, I_ALT_LEAD, I_LOC = range(10)
# Metrics accumulated per plan and path.
M_DEMAND, M_SERVED, M_STOCKOUT_DAYS, M_LOST, M_EXTRA = range(5)
N_METRICS = 5


@inlined
def mix(state: np.uint64) -> float:
    """SplitMix64 output of ``state`` as a uniform in [0, 1)."""
    z = state
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    z = z ^ (z >> np.uint64(31))
    return float(z >> np.uint64(11)) * TO_UNIT


@compiled
def inverse_normal(u: float) -> float:
    """Phi^-1(u) for u in (0, 1) (Acklam's approximation)."""
    u = min(max(u, 1e-300), 1.0 - 1e-16)
    if u < 0.02425:
        q = math.sqrt(-2.0 * math.log(u))
        return (
            (
                (
                    ((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838)
                    * q
                    - 2.549732539343734
                )
                * q
                + 4.374664141464968
            )
            * q
            + 2.938163982698783
        ) / (
            (
                ((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996) * q
                + 3.754408661907416
            )
            * q
            + 1.0
        )
    if u > 1.0 - 0.02425:
        return -inverse_normal(1.0 - u)
    q = u - 0.5
    r = q * q
    return (
        (
            (
                (
                    ((-3.969683028665376e01 * r + 2.209460984245205e02) * r - 2.759285104469687e02)
                    * r
                    + 1.383577518672690e02
                )
                * r
                - 3.066479806614716e01
            )
            * r
            + 2.506628277459239
        )
        * q
    ) / (
        (
            (
                ((-5.447609879822406e01 * r + 1.615858368580409e02) * r - 1.556989798598866e02) * r
                + 6.680131188771972e01
            )
            * r
            - 1.328068155211329e01
        )
        * r
        + 1.0
    )


@compiled
def demand_terms(
    mean: np.ndarray,
    dispersion: float,
    normal_above: float,
    terms: np.ndarray,
    cdf: np.ndarray,
) -> None:
    """Per day ``t``: ``cdf[t, k] = P(D <= k)`` for ``k < K`` (Panjer, accumulated in
    order), ``terms[0, t] = P(D = K - 1)``, ``terms[1, t] = a``, ``terms[2, t] = b``,
    ``terms[3, t]`` = mode (0 none, 1 Panjer, 2 normal), ``terms[4, t]`` = std."""
    for t in range(mean.shape[0]):
        mu = mean[t]
        terms[4, t] = math.sqrt(dispersion * mu)
        if mu <= 0.0:
            terms[3, t] = 0.0
            continue
        if mu > normal_above:
            terms[3, t] = 2.0
            continue
        if dispersion <= 1.0 + 1e-12:
            pmf, a, b = math.exp(-mu), 0.0, mu
        else:
            p = 1.0 / dispersion
            r = mu / (dispersion - 1.0)
            pmf, a, b = math.exp(r * math.log(p)), 1.0 - p, (r - 1.0) * (1.0 - p)
        total = pmf
        cdf[t, 0] = total
        for k in range(1, cdf.shape[1]):
            pmf *= a + b * RECIPROCALS[k]
            total += pmf
            cdf[t, k] = total
        terms[0, t], terms[1, t], terms[2, t], terms[3, t] = pmf, a, b, 1.0


@inlined
def demand_tail(u: float, mean: float, terms: np.ndarray, cdf: np.ndarray, t: int) -> Any:
    """The draw of ``u`` when ``u >= P(D <= K - 1)``: on from ``K - 1`` by the recursion."""
    table = cdf[t]
    k = table.shape[0] - 1
    pmf, total, a, b = terms[0, t], table[k], terms[1, t], terms[2, t]
    limit = min(int(10.0 * mean + 10.0 * terms[4, t]) + 50, RECIPROCALS.shape[0] - 1)
    while u >= total and k < limit:
        k += 1
        pmf *= a + b * RECIPROCALS[k]
        total += pmf
    return k


@inlined
def draw_demand(u: float, mean: float, terms: np.ndarray, cdf: np.ndarray, t: int) -> Any:
    """Units demanded on day ``t`` from the uniform ``u``: the smallest ``k`` with
    ``u < P(D <= k)``, counted without branches over the table, then by the recursion.
    (The scalar reference of ``draw_lanes``.)"""
    mode = terms[3, t]
    if mode == 0.0:
        return 0
    if mode == 2.0:
        return max(int(np.floor(mean + terms[4, t] * inverse_normal(u) + 0.5)), 0)
    table = cdf[t]
    size = table.shape[0]
    k = 0
    for j in range(size):
        k += u >= table[j]
    if k < size:
        return k
    return demand_tail(u, mean, terms, cdf, t)


@inlined
def table_lanes(
    t: Any, lanes: Any, mean: Any, terms: Any, cdf: Any, uniforms: Any, counts: Any, draws: Any
) -> None:
    """``draws[t, l]`` for the first ``lanes`` uniforms by the day's table (Panjer mode):
    ``counts[l] = #{j : uniforms[l] >= cdf[t, j]}``, then the recursion past the table."""
    size = cdf.shape[1]
    for lane in range(lanes):
        counts[lane] = 0
    for j in range(size):
        level = cdf[t, j]
        for lane in range(lanes):
            counts[lane] += uniforms[lane] >= level
    for lane in range(lanes):
        if counts[lane] < size:
            draws[t, lane] = counts[lane]
        else:
            draws[t, lane] = demand_tail(uniforms[lane], mean, terms, cdf, t)


@compiled
def draw_lanes(
    states: np.ndarray,
    mean: np.ndarray,
    terms: np.ndarray,
    cdf: np.ndarray,
    uniforms: np.ndarray,
    counts: np.ndarray,
    draws: np.ndarray,
) -> None:
    """Every day's demand of ``L = states.shape[0]`` paths of one row at once ("lanes",
    ADR 0008): ``draws[t, l] = draw_demand(mix(states[l] + (2t + 1) * GOLDEN), ...)``,
    the same numbers as the scalar reference, bit for bit. The inner loops run over the
    lanes with the day's table entries held fixed, so the compiler vectorises them
    (SplitMix64, the conversion to [0, 1) and the ``CDF_SIZE`` comparisons); only draws
    past the table (``demand_tail``) and the normal branch are taken one at a time.
    ``uniforms`` (L,) float64 and ``counts`` (L,) int64 are scratch; ``draws`` (H, >= L)."""
    lanes = states.shape[0]
    for t in range(mean.shape[0]):
        mode = terms[3, t]
        if mode == 0.0:
            for lane in range(lanes):
                draws[t, lane] = 0
            continue
        step = np.uint64(2 * t + 1) * GOLDEN
        for lane in range(lanes):
            uniforms[lane] = mix(states[lane] + step)
        if mode == 2.0:
            for lane in range(lanes):
                draws[t, lane] = draw_demand(uniforms[lane], mean[t], terms, cdf, t)
            continue
        table_lanes(t, lanes, mean[t], terms, cdf, uniforms, counts, draws)


@inlined
def needed_units(
    kind: int, s: float, big_s: float, lot: float, position: float, review: bool
) -> Any:
    """Units the policy orders before rounding (``simulation.policy.units_needed``)."""
    if kind <= 1:
        if position <= s:
            return (np.floor((s - position) / lot) + 1.0) * lot
        return 0.0
    if kind == 2:
        return max(big_s - position, 0.0) if position <= s else 0.0
    if kind in (4, 6):  # a tuple: numba builds a set literal on every call
        return max(big_s - position, 0.0) if position < s else 0.0
    if kind == 3:
        return max(big_s - position, 0.0) if review else 0.0
    return max(-position, 0.0)


@inlined
def rounded_units(need: float, minimum: int, pack: int) -> int:
    """``need`` up to whole units, the minimum order quantity and whole packs; 0 if none."""
    if need <= 0.0:
        return 0
    units = max(math.ceil(need - TOLERANCE), minimum)
    return -(-units // pack) * pack


@inlined
def lead_time(
    supplier: int,
    stated: int,
    u: float,
    t: int,
    delay_indptr: np.ndarray,
    delays: np.ndarray,
    factor: np.ndarray,
) -> Any:
    """Days from order to due date: stated + a drawn delay, times the day's factor."""
    first = delay_indptr[supplier]
    count = delay_indptr[supplier + 1] - first
    days = stated
    if count > 0:
        days += delays[first + min(int(u * count), count - 1)]
    days = max(days, 1)
    if factor[supplier, t] != 1.0:
        days = max(math.ceil(days * factor[supplier, t] - TOLERANCE), 1)
    return days


@inlined
def arrival_day(
    supplier: int, location: int, due: int, sup_release: np.ndarray, loc_release: np.ndarray
) -> Any:
    """The day an order due on ``due`` is received (``H`` = beyond the horizon)."""
    horizon = sup_release.shape[1]
    if due >= horizon:
        return horizon
    day = sup_release[supplier, due]
    if day >= horizon:
        return horizon
    return loc_release[location, day]


# Columns of the packed per-plan arrays.
PF_EXPEDITE_PER_UNIT, PF_EXPEDITE_SHARE, PF_TRANSFER_COST = range(3)
PI_EXPEDITE_SUPPLIER, PI_SWITCH_AFTER, PI_SWITCH_SUPPLIER, PI_TRANSFER_DAYS, PI_PREBUILD_DAY = (
    range(5)
)


@inlined
def purchase_cost(
    quantity: Any, cut: Any, per_unit: Any, share: Any, unit_cost: Any, premium: Any, switched: Any
) -> Any:
    """Extra money of an order: the expedite surcharge and the alternate's premium."""
    extra = 0.0
    if cut > 0:
        extra += quantity * (per_unit + share * unit_cost)
    if switched:
        extra += quantity * premium
    return extra


@inlined
def transfer_units(
    on_hand: Any, in_transit: Any, left: Any, s: Any, big_s: Any, supplier_out: Any
) -> Any:
    """Units a transfer brings at the end of a day (0 when not triggered)."""
    if left <= 0 or on_hand + in_transit > s or (not supplier_out and on_hand > 0):
        return 0
    return min(left, max(math.ceil(big_s - TOLERANCE) - on_hand - in_transit, 0))


@inlined
def receive(t: Any, pipes: Any, scheduled: Any, cancelled: Any) -> Any:
    """Units received at the start of day ``t`` per lane (emptying the pipes)."""
    usual, others, moving = pipes[0, t], pipes[1, t], pipes[2, t]
    pipes[0, t], pipes[1, t], pipes[2, t] = 0, 0, 0
    booked = 0 if cancelled else scheduled[t]
    return usual, others, moving, booked


@inlined
def cancel_usual(t: Any, pipes: Any) -> Any:
    """Drop the orders with the usual supplier due after day ``t``."""
    for d in range(t + 1, pipes.shape[1]):
        pipes[0, d] = 0


@compiled
def run_plan(  # noqa: C901, PLR0912, PLR0915 - one day's step, whole for the compiler
    p: Any,
    i: Any,
    draws: Any,
    path_state: Any,
    day_terms: Any,
    pipes: Any,
    row: Any,
    cal: Any,
    plan: Any,
    stock: Any,
) -> Any:
    """One path of row ``i`` under plan ``p`` (``engine`` module docstring); returns
    (demand, served, stock-out days, lost units, extra cost). ``pipes[0 | 1 | 2, d]``:
    units due on day ``d`` from the usual supplier, the alternate and transfers (all
    zero on entry and on exit); plan 0 writes its stock to ``base_stock``.
    ``day_terms = (cap_units (P, H), raised (P, H), base_stock (H,), open orders (1,))``;
    ``stock`` is a (H,) array to record the stock in, or a (1,) one not to."""
    rf, ri, scheduled = row[0][i], row[1][i], row[4][i]
    cap, raise_by, cut_by = day_terms[0][p], day_terms[1][p], plan[4][p]
    base_stock = day_terms[2]
    recording = stock.shape[0] == draws.shape[0]
    sup_release, sup_out, factor, delay_indptr, delays, loc_release = cal[:6]
    loc = ri[I_LOC]
    loc_open, loc_release_row = cal[6][loc], loc_release[loc]
    plan_f, plan_i = plan[0][p], plan[1][p]
    switch_after, switch_supplier = plan_i[PI_SWITCH_AFTER], plan_i[PI_SWITCH_SUPPLIER]
    sup, alt = ri[I_SUP], ri[I_ALT]
    sup_out_row = sup_out[sup]
    may_switch = (
        switch_after >= 0 and alt < sup_out.shape[0] - 1
        and (switch_supplier < 0 or switch_supplier == sup)
    )  # fmt: skip
    switch_days = max(switch_after, 1)
    transfers = plan_i[PI_TRANSFER_DAYS] >= 0
    transfer_days = max(plan_i[PI_TRANSFER_DAYS], 1)
    expedite_all = plan_i[PI_EXPEDITE_SUPPLIER] < 0
    kind, review_period, lot = ri[I_KIND], ri[I_REVIEW], rf[F_Q]
    # Loop invariants read once: the compiler cannot keep them in registers across the
    # stores into ``pipes`` (the arrays might alias).
    s_row, big_s_row, moq, pack = rf[F_S], rf[F_BIG_S], ri[I_MOQ], ri[I_PACK]
    lead, alt_lead, prebuild_day = ri[I_LEAD], ri[I_ALT_LEAD], plan_i[PI_PREBUILD_DAY]
    expedited = plan_i[PI_EXPEDITE_SUPPLIER]
    per_unit, share, transfer_cost = (
        plan_f[PF_EXPEDITE_PER_UNIT],
        plan_f[PF_EXPEDITE_SHARE],
        plan_f[PF_TRANSFER_COST],
    )
    unit_cost, premium = rf[F_COST], rf[F_PREMIUM]
    horizon = draws.shape[0]
    on_hand, usual, others, moving, open_orders = ri[I_ON_HAND], 0, 0, 0, day_terms[3][0]
    left, cancelled = plan[5][p, i], False
    holding = plan[7][p, i]
    demand_sum, served_sum, stockout_days, lost_sum, extra = 0, 0, 0, 0, 0.0
    for t in range(horizon):
        got_usual, got_others, got_moving, booked = receive(t, pipes, scheduled, cancelled)
        usual -= got_usual
        others -= got_others
        moving -= got_moving
        open_orders -= booked
        on_hand += got_usual + got_others + got_moving + booked
        if t == prebuild_day:
            on_hand += plan[6][p, i]
        wanted = min(draws[t], cap[t])
        served = min(on_hand, wanted) if loc_open[t] else 0
        on_hand -= served
        demand_sum += wanted
        served_sum += served
        stockout_days += wanted > served  # branch-free: stock-outs are unpredictable
        lost_sum += wanted - served
        if p == 0:
            base_stock[t] = on_hand
        elif on_hand > base_stock[t]:
            extra += (on_hand - base_stock[t]) * holding
        if recording:
            stock[t] = on_hand
        s, big_s = s_row + raise_by[t], big_s_row + raise_by[t]
        switched = may_switch and sup_out_row[t] >= switch_days
        if switched and (usual > 0 or not cancelled):
            cancel_usual(t, pipes)
            usual, open_orders, cancelled = 0, 0, True
        review = kind == 3 and t % review_period == 0
        position = on_hand + usual + others + moving + open_orders
        need = needed_units(kind, s, big_s, lot, position, review)
        quantity = rounded_units(need, moq, pack)
        if quantity > 0:
            source = alt if switched else sup
            days = lead_time(
                source, alt_lead if switched else lead,
                mix(path_state + np.uint64(2 * t + 2) * GOLDEN), t,
                delay_indptr, delays, factor,
            )  # fmt: skip
            cut = cut_by[t] if expedite_all or expedited == source else 0
            days = max(days - cut, 1)
            extra += purchase_cost(
                quantity, cut, per_unit, share, unit_cost, premium, switched,
            )  # fmt: skip
            day = arrival_day(source, loc, t + days, sup_release, loc_release)
            lane = 1 if switched else 0
            if switched:
                others += quantity
            else:
                usual += quantity
            if day < horizon:
                pipes[lane, day] += quantity
        moved = 0
        if transfers:
            moved = transfer_units(on_hand, moving, left, s, big_s, sup_out_row[t] > 0)
        if moved > 0:
            left -= moved
            moving += moved
            extra += moved * transfer_cost
            day = t + transfer_days
            if day < horizon:
                day = loc_release_row[day]
            if day < horizon:
                pipes[2, day] += moved
    return (float(demand_sum), float(served_sum), float(stockout_days), float(lost_sum), extra)


@compiled
def run_plan_lanes(  # noqa: C901, PLR0912, PLR0915 - one day's step, whole for the compiler
    p: Any,
    i: Any,
    draws: Any,
    states: Any,
    day_terms: Any,
    pipes: Any,
    row: Any,
    cal: Any,
    plan: Any,
    stock: Any,
    lane_state: Any,
    lane_money: Any,
    metrics: Any,
) -> None:
    """``run_plan`` on ``L = states.shape[0]`` paths of row ``i`` at once ("lanes", ADR
    0008), the same numbers bit for bit: each path's sums are added in the same order.

    The day's receipts, sales, accounting and the policy's need run as loops over the
    lanes without branches (vectorised); orders, cancellations and transfers, which
    happen on few days, lane by lane. Open orders and ``cancelled`` are the same on every
    path (they change on days alone), so they are scalars. Shapes: ``draws`` (H, >= L),
    ``pipes`` (3, H, >= L) zero on entry and on exit, ``day_terms[2]`` (H, >= L) the
    baseline's stock (written by plan 0), ``stock`` (L, H) to record or (1, 0) not to,
    ``lane_state`` (9, >= L) int64 and ``lane_money`` (2, >= L) scratch, ``metrics``
    (>= L, 5) out."""
    lanes = states.shape[0]
    rf, ri, scheduled = row[0][i], row[1][i], row[4][i]
    cap, raise_by, cut_by = day_terms[0][p], day_terms[1][p], plan[4][p]
    base_stock = day_terms[2]
    recording = stock.shape[1] == draws.shape[0]
    sup_release, sup_out, factor, delay_indptr, delays, loc_release = cal[:6]
    loc = ri[I_LOC]
    loc_open, loc_release_row = cal[6][loc], loc_release[loc]
    plan_f, plan_i = plan[0][p], plan[1][p]
    switch_after, switch_supplier = plan_i[PI_SWITCH_AFTER], plan_i[PI_SWITCH_SUPPLIER]
    sup, alt = ri[I_SUP], ri[I_ALT]
    sup_out_row = sup_out[sup]
    may_switch = (
        switch_after >= 0 and alt < sup_out.shape[0] - 1
        and (switch_supplier < 0 or switch_supplier == sup)
    )  # fmt: skip
    switch_days = max(switch_after, 1)
    transfers = plan_i[PI_TRANSFER_DAYS] >= 0
    transfer_days = max(plan_i[PI_TRANSFER_DAYS], 1)
    expedite_all = plan_i[PI_EXPEDITE_SUPPLIER] < 0
    kind, review_period, lot = ri[I_KIND], ri[I_REVIEW], rf[F_Q]
    s_row, big_s_row, moq, pack = rf[F_S], rf[F_BIG_S], ri[I_MOQ], ri[I_PACK]
    lead, alt_lead, prebuild_day = ri[I_LEAD], ri[I_ALT_LEAD], plan_i[PI_PREBUILD_DAY]
    expedited, prebuild_units = plan_i[PI_EXPEDITE_SUPPLIER], plan[6][p, i]
    per_unit, share, transfer_cost = (
        plan_f[PF_EXPEDITE_PER_UNIT],
        plan_f[PF_EXPEDITE_SHARE],
        plan_f[PF_TRANSFER_COST],
    )
    unit_cost, premium, holding = rf[F_COST], rf[F_PREMIUM], plan[7][p, i]
    horizon = draws.shape[0]
    on_hand, usual, others, moving = lane_state[0], lane_state[1], lane_state[2], lane_state[3]
    left, demand_sum, served_sum = lane_state[4], lane_state[5], lane_state[6]
    stockout_days, lost_sum = lane_state[7], lane_state[8]
    extra, need = lane_money[0], lane_money[1]
    for lane in range(lanes):
        on_hand[lane], usual[lane], others[lane], moving[lane] = ri[I_ON_HAND], 0, 0, 0
        left[lane], demand_sum[lane], served_sum[lane] = plan[5][p, i], 0, 0
        stockout_days[lane], lost_sum[lane], extra[lane] = 0, 0, 0.0
    open_orders, cancelled = day_terms[3][0], False
    for t in range(horizon):
        booked = 0 if cancelled else scheduled[t]
        open_orders -= booked
        if t == prebuild_day:
            booked += prebuild_units
        wanted_cap, sells = cap[t], loc_open[t]
        for lane in range(lanes):
            got_usual, got_others, got_moving = (
                pipes[0, t, lane],
                pipes[1, t, lane],
                pipes[2, t, lane],
            )
            pipes[0, t, lane], pipes[1, t, lane], pipes[2, t, lane] = 0, 0, 0
            usual[lane] -= got_usual
            others[lane] -= got_others
            moving[lane] -= got_moving
            units = on_hand[lane] + got_usual + got_others + got_moving + booked
            wanted = min(draws[t, lane], wanted_cap)
            served = min(units, wanted) if sells else 0
            on_hand[lane] = units - served
            demand_sum[lane] += wanted
            served_sum[lane] += served
            stockout_days[lane] += wanted > served
            lost_sum[lane] += wanted - served
        if p == 0:
            for lane in range(lanes):
                base_stock[t, lane] = on_hand[lane]
        elif holding != 0.0:
            for lane in range(lanes):
                if on_hand[lane] > base_stock[t, lane]:
                    extra[lane] += (on_hand[lane] - base_stock[t, lane]) * holding
        if recording:
            for lane in range(lanes):
                stock[lane, t] = on_hand[lane]
        s, big_s = s_row + raise_by[t], big_s_row + raise_by[t]
        switched = may_switch and sup_out_row[t] >= switch_days
        if switched:
            for lane in range(lanes):
                if usual[lane] > 0 or not cancelled:
                    for d in range(t + 1, horizon):
                        pipes[0, d, lane] = 0
                    usual[lane] = 0
            open_orders, cancelled = 0, True
        review = kind == 3 and t % review_period == 0
        for lane in range(lanes):
            position = on_hand[lane] + usual[lane] + others[lane] + moving[lane] + open_orders
            need[lane] = needed_units(kind, s, big_s, lot, position, review)
        for lane in range(lanes):
            if need[lane] <= 0.0:
                continue
            quantity = rounded_units(need[lane], moq, pack)
            if quantity <= 0:
                continue
            source = alt if switched else sup
            days = lead_time(
                source, alt_lead if switched else lead,
                mix(states[lane] + np.uint64(2 * t + 2) * GOLDEN), t,
                delay_indptr, delays, factor,
            )  # fmt: skip
            cut = cut_by[t] if expedite_all or expedited == source else 0
            days = max(days - cut, 1)
            extra[lane] += purchase_cost(
                quantity, cut, per_unit, share, unit_cost, premium, switched
            )
            day = arrival_day(source, loc, t + days, sup_release, loc_release)
            lane_kind = 1 if switched else 0
            if switched:
                others[lane] += quantity
            else:
                usual[lane] += quantity
            if day < horizon:
                pipes[lane_kind, day, lane] += quantity
        if transfers:
            for lane in range(lanes):
                moved = transfer_units(
                    on_hand[lane], moving[lane], left[lane], s, big_s, sup_out_row[t] > 0
                )
                if moved > 0:
                    left[lane] -= moved
                    moving[lane] += moved
                    extra[lane] += moved * transfer_cost
                    day = t + transfer_days
                    if day < horizon:
                        day = loc_release_row[day]
                    if day < horizon:
                        pipes[2, day, lane] += moved
    for lane in range(lanes):
        metrics[lane, M_EXTRA] = extra[lane]
        metrics[lane, M_DEMAND] = float(demand_sum[lane])
        metrics[lane, M_SERVED] = float(served_sum[lane])
        metrics[lane, M_STOCKOUT_DAYS] = float(stockout_days[lane])
        metrics[lane, M_LOST] = float(lost_sum[lane])


@inlined
def row_day_terms(i: Any, row: Any, plan: Any, day_terms: Any) -> Any:
    """Fill the row's per-plan day arrays: demand cap in units, safety stock added."""
    base_mean, safety_stock = row[3][i], row[0][i, F_SS]
    cap_units, raised = day_terms[0], day_terms[1]
    day_terms[3][0] = row[4][i].sum()
    for p in range(cap_units.shape[0]):
        for t in range(cap_units.shape[1]):
            factor = plan[2][p, t]
            cap_units[p, t] = (
                np.ceil(factor * base_mean[t] - TOLERANCE) if factor < np.inf else NO_CAP
            )
            raised[p, t] = plan[3][p, t] * safety_stock


@inlined
def acts_alone(q: Any, i: Any, row: Any, cal: Any, plan: Any) -> Any:
    """True when plan ``q`` may act on row ``i`` by itself: it can switch suppliers (the
    usual one is out long enough), transfer, pre-build or expedite there."""
    ri, sup_out, plan_i = row[1][i], cal[1], plan[1][q]
    after = plan_i[PI_SWITCH_AFTER]
    if after >= 0 and ri[I_ALT] < sup_out.shape[0] - 1:
        which = plan_i[PI_SWITCH_SUPPLIER]
        if (which < 0 or which == ri[I_SUP]) and sup_out[ri[I_SUP]].max() >= max(after, 1):
            return True
    if plan_i[PI_TRANSFER_DAYS] >= 0 and plan[5][q, i] > 0:
        return True
    return plan[6][q, i] > 0 or plan[4][q].max() > 0


@inlined
def same_as_baseline(p: Any, i: Any, row: Any, cal: Any, plan: Any, day_terms: Any) -> Any:
    """True when plan ``p`` cannot differ from plan 0 on row ``i`` (same caps and safety
    stock every day, and neither acts alone there): its figures are plan 0's, exactly."""
    cap_units, raised = day_terms[0], day_terms[1]
    for t in range(cap_units.shape[1]):
        if cap_units[p, t] != cap_units[0, t] or raised[p, t] != raised[0, t]:
            return False
    return not acts_alone(p, i, row, cal, plan) and not acts_alone(0, i, row, cal, plan)


@compiled
def simulate_rows(
    first: Any,
    stop: Any,
    n_paths: Any,
    group_rows: Any,
    keys: Any,
    row: Any,
    cal: Any,
    plan: Any,
    normal_above: Any,
    out: Any,
) -> Any:
    """Simulate rows ``first .. stop - 1`` on every path under every plan.

    ``out = (group_totals, row_totals, record_slot, record)``: each path's metrics
    (``M_*``, lost as revenue) are added to ``group_totals[row // group_rows, plan,
    path]``, each row's sums over paths (lost in units) to ``row_totals[row, plan]``;
    rows with ``record_slot >= 0`` write their end-of-day stock to
    ``record[slot, plan, path]``. A plan that cannot act on a row (``same_as_baseline``)
    is not stepped there: it takes plan 0's figures, which it would reproduce exactly.
    """
    rf, demand_mean = row[0], row[2]
    group_totals, row_totals, record_slot, record = out
    horizon = demand_mean.shape[1]
    n_plans = plan[2].shape[0]
    terms = np.zeros((5, horizon))
    cdf = np.ones((horizon, CDF_SIZE))
    block = np.zeros((horizon, LANES), dtype=np.int64)
    states = np.zeros(LANES, dtype=np.uint64)
    uniforms = np.zeros(LANES)
    counts = np.zeros(LANES, dtype=np.int64)
    pipes = np.zeros((3, horizon, LANES), dtype=np.int64)
    lane_state = np.zeros((9, LANES), dtype=np.int64)
    lane_money = np.zeros((2, LANES))
    metrics = np.zeros((n_plans, LANES, N_METRICS))
    no_stock = np.zeros((1, 0), dtype=np.int32)
    shared = np.zeros(n_plans, dtype=np.bool_)
    cap_units = np.zeros((n_plans, horizon), dtype=np.int64)
    day_terms = (
        cap_units,
        np.zeros((n_plans, horizon)),
        np.zeros((horizon, LANES), dtype=np.int64),
        np.zeros(1, dtype=np.int64),
    )
    for i in range(first, stop):
        demand_terms(demand_mean[i], rf[i, F_DISPERSION], normal_above, terms, cdf)
        row_day_terms(i, row, plan, day_terms)
        group, slot = i // group_rows, record_slot[i]
        for p in range(n_plans):
            shared[p] = p > 0 and slot < 0 and same_as_baseline(p, i, row, cal, plan, day_terms)
        for start in range(0, n_paths, LANES):
            # Draw 2t + 1 of a path: demand, LANES paths at once; 2t + 2: lead time.
            lanes = min(LANES, n_paths - start)
            for j in range(lanes):
                states[j] = keys[i] + np.uint64(start + j) * PATH_STRIDE
            draw_lanes(states[:lanes], demand_mean[i], terms, cdf, uniforms, counts, block)
            for p in range(n_plans):
                if shared[p]:
                    metrics[p] = metrics[0]
                else:
                    stock = record[slot, p, start : start + lanes] if slot >= 0 else no_stock
                    run_plan_lanes(
                        p, i, block, states[:lanes], day_terms, pipes, row, cal, plan, stock,
                        lane_state, lane_money, metrics[p],
                    )  # fmt: skip
                for lane in range(lanes):
                    totals = group_totals[group, p, start + lane]
                    for m in range(N_METRICS):
                        value = metrics[p, lane, m]
                        totals[m] += value * (rf[i, F_PRICE] if m == M_LOST else 1.0)
                        row_totals[i, p, m] += value
