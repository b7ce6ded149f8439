"""The (s,S) cycle's shortage net of what the cycle before already counted (ADR 0031, 0035).

``lost_sales`` charges each order cycle the shortage ``ES(s) = E[(X - s)^+]`` of its
protection demand ``X`` from the position ``s - U`` at the order. With period review and
an order-up-to level ``S``, the position just after the previous order was ``S`` (the
lot ``Q + U`` tops it up), and the part of ``X`` beyond ``S`` is demand the previous
cycle's window already ran short of: counted once there, once here. The exact
per-cycle shortage of an (s,S) policy under backorders (Hadley & Whitin 1963, ch. 4;
Silver, Pyke & Thomas 2017, the (s,S) P2 with the carried backlog) subtracts it:

    ES_net(s) = ES(s) - ES(s + Q + E[U])                   (units per cycle)
    ES(y)     = E[(X - y)^+],  X with mean E[X] and std sigma_X (``lost_sales``)

and the fill-rate equation of ``lost_sales`` item 3 becomes

    ES_net(s) <= (1 - beta') (Q + E[U])

The dropped term grows with ``sigma_X / (Q + E[U])``: a long, spread lead time against a
short lot (M5's fast SKUs, ADR 0028 part 2: about 8% of the shortage at 90%, 3.5% at
98%). Under lost sales nothing is carried in a single-lot cycle, so the term is exact
only where consecutive windows overlap (several lots out, crossing orders); applied to
every row it over-corrects short lead times. It is a candidate, off by default
(``lost_sales_rows(carried_shortage=Carried.ALL)``), judged by ADR 0028's rule (ADR
0031): it brought M5's development gap from 1.84 to 0.81 and took car parts' from 1.72
to 2.54 and Online Retail's from 1.00 to 2.02, where ``sigma_X`` is mostly the demand's
and the undershoot's lumps.

The second candidate (``Carried.LEAD_TIME``) keeps the lost-sales reading: a single
lot's cycle carries nothing, so the only shortage counted twice is what the lots still
out from earlier orders cause, the lead-time term of ``Var[X]``. With ``X_0`` the same
protection demand without that term (``Var[X_0] = Var[X] - d^2 sigma_LT,eff^2``, same
mean), the carried part is attributed to it as

    C(y)      = ES_X(y) - ES_X0(y)                   (the lead-time term's part of ES_X)
    ES_net(s) = ES_X(s) - C(s + Q + E[U])

(a first-order attribution: ``ES`` is not additive in variance terms). Where the
lead-time term is 0 (a fixed lead time, or car parts' undershoot-only ``X``) it equals
``ES(s)``. Its slope ``-(1 - F_X(s)) + (1 - F_X(s + Q + E[U])) - (1 - F_X0(s + Q +
E[U]))`` is <= 0, so the same bisection applies. Built after the first candidate's
figures; development window: M5's gap 1.84 -> 0.37, car parts' 1.72 -> 1.73, Online
Retail's 1.00 -> 1.44 (+0.44, over ADR 0028's 0.3 tolerance): refused too, an option.

The third candidate (``Carried.LATE_LOTS``, ADR 0035) keeps (b)'s lost-sales reading
and drops its attribution through ``X``'s tail: a demand lost in its own period does
not lower the stock the next lot tops up, so what the next window counts again is only
what its position wrongly counts as coming, the lots ordered earlier and still out.
Their deviation from the mean is the lead-time term alone, read as normal, ``Z ~ N(0,
d^2 sigma_LT,eff^2)``; the demand's lumps and the undershoot, which make a lumpy row's
tail (Online Retail's), are not carried:

    C_LT(y)   = min( sigma_Z G((y - E[X]) / sigma_Z),  ES_X(y) ),   sigma_Z = d sigma_LT,eff
    ES_net(s) = ES_X(s) - C_LT(s + Q + E[U])
    G(k)      = phi(k) - k (1 - Phi(k))      (standard normal loss function)

capped at ``ES_X(y)``: what is carried is part of ``X``'s own tail beyond ``y``. Where
``sigma_Z = 0`` it equals ``ES(s)``. Development window (ADR 0035): M5's gap 1.84 ->
1.44, car parts' and Online Retail's unchanged (1.72, 1.00); adopted, a replenishment
run's default (``services.replenishment.compute.Parameters.carried_shortage``).
Example: ``sigma_Z = 100``, ``y - E[X] = 100``: ``G(1) = 0.0833``, ``C_LT = 8.33``
units (if ``ES_X(y)`` is larger). Uncapped, its slope in ``s`` is ``-(1 - F_X(s)) + (1 -
Phi((s + Q + E[U] - E[X]) / sigma_Z))``, <= 0 wherever ``P(X > s) >= P(Z > s + Q + E[U] -
E[X])`` (the normal term's threshold lies a lot higher); not proved for every row, so
the bisection below is only certain to return an ``s`` that meets the equation.

``ES_net`` is non-increasing in ``s`` (its slope is ``-(F(s + Q + E[U]) - F(s))``), so
the smallest whole ``s`` meeting it comes from the same bisection as ``ES`` alone
(``discrete.smallest_whole_with_shortage_at_most``), on the negative binomial matched to
``E[X]`` and ``Var[X]`` (Poisson where ``Var[X] <= E[X]``), as ``discrete``'s kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import BoolArray, FloatArray, IntArray
from stockguard.planning.inventory.discrete import (
    negative_binomial_expected_shortage,
    poisson_expected_shortage,
    smallest_whole_with_shortage_at_most,
    with_tie_tolerance,
)
from stockguard.planning.inventory.safety_stock import normal_loss

_POISSON_TOLERANCE = 1e-9
"""Relative excess of the variance over the mean below which ``X`` is read as Poisson."""


class Carried(IntEnum):
    """Which shortage a lost-sales cycle nets out (module docstring)."""

    NONE = 0
    """``ES(s)``: nothing carried (the product's)."""
    ALL = 1
    """``ES(s) - ES(s + Q + E[U])``: Hadley & Whitin's carried backlog."""
    LEAD_TIME = 2
    """``ES(s) - C(s + Q + E[U])``: only the lead-time term's part is carried."""
    LATE_LOTS = 3
    """``ES(s) - C_LT(s + Q + E[U])``: the late lots' own shortfall (ADR 0035)."""


def net_shortage_reorder_point(
    *,
    mean: Any,
    std: Any,
    lot: Any,
    target: Any,
    floor_at_mean: bool = True,
    base_std: Any = None,
    late_lots_std: Any = None,
    plain: Any = None,
) -> FloatArray:
    """Smallest whole ``s`` with ``ES(s) - ES(s + lot) <= (1 - target) lot`` per row.

    With ``base_std`` (``Carried.LEAD_TIME``) the carried part is ``C(s + lot) =
    ES_X(s + lot) - ES_X0(s + lot)`` instead of ``ES_X(s + lot)``, ``X_0`` with the same
    mean and std ``base_std``. With ``late_lots_std`` (``Carried.LATE_LOTS``) it is
    ``C_LT(s + lot) = min(sigma_Z G((s + lot - E[X]) / sigma_Z), ES_X(s + lot))``.

    Args:
        mean: (n,) ``E[X]``, units >= 0.
        std: (n,) ``sigma_X``, units >= 0 (0: ``s = E[X]``).
        lot: (n,) ``Q + E[U]``, units > 0.
        target: (n,) the lost-sales target ``beta'`` in (0, 1).
        floor_at_mean: keep ``s >= E[X]`` (``lost_sales`` item 5).
        base_std: (n,) ``sigma_X0`` <= ``std``, units; None: all of ``ES_X`` is carried.
        late_lots_std: (n,) ``sigma_Z = d sigma_LT,eff`` >= 0, units; not with
            ``base_std``.
        plain: (n,) the reorder point of ``ES_X`` alone (the product's before netting,
            with the same ``floor_at_mean``), for speed, with ``late_lots_std`` only.
            ``C_LT >= 0``, so the net equation's whole ``s`` is at most the plain
            one's: a row is settled without a search where ``ES_net`` at the whole part
            of ``plain`` meets the target and (``plain`` above ``E[X]``) one unit below
            it does not (then ``s`` is ``plain``), or where ``plain`` is the floor
            ``E[X]`` and ``ES_net(floor(E[X]))`` meets it (then ``s`` is ``E[X]``);
            the others, and rows whose ``ES_net`` meets the target at
            ``floor(E[X])`` below an ``s`` that does not (not non-increasing), are
            searched. The same ``s`` as without it wherever ``ES_net`` is
            non-increasing.

    Returns: (n,) ``s``, units.

    Example: X Poisson(10), lot 10, target 0.8 (so 2 units): ES(9) - ES(19) = 1.793 -
    0.006 = 1.787 <= 2, ES(8) - ES(18) = 2.460 - 0.013 = 2.447 > 2: s = 9 (10 with the
    floor at the mean). ES alone gives the same here; the term counts where sigma_X is
    large against the lot.
    """
    mu = np.asarray(mean, dtype=np.float64).reshape(-1)
    sigma = np.asarray(std, dtype=np.float64).reshape(-1)
    size = np.asarray(lot, dtype=np.float64).reshape(-1)
    level = np.asarray(target, dtype=np.float64).reshape(-1)
    if not (mu.shape == sigma.shape == size.shape == level.shape):
        raise ValueError("mean, std, lot, target: expected one value per row each")
    if np.any(~(mu >= 0)) or np.any(~(sigma >= 0)) or np.any(~(size > 0)):
        raise ValueError("mean, std: expected >= 0; lot: expected > 0")
    net = _net_shortage(mu, sigma, size, base_std, late_lots_std)
    over = (sigma**2 > mu * (1.0 + _POISSON_TOLERANCE)) & (mu > 0.0)
    spread = np.where(over, sigma, np.sqrt(mu)) * (sigma > 0)
    allowed = (1.0 - level) * size
    s = np.array(mu)
    search = np.flatnonzero(spread > 0)
    if plain is not None and late_lots_std is not None:
        parts = _late_lots_net(_shortage(mu, sigma), mu, size, late_lots_std)
        known = _settled_by_plain(parts, allowed, plain, floor_at_mean, search)
        s[search[known[0]]] = known[1]
        search = search[~known[0]]
    if search.size:

        def net_of_search(rows: Any, y: FloatArray) -> FloatArray:
            return net(search[rows], y)

        s[search] = smallest_whole_with_shortage_at_most(
            net_of_search, mean=mu[search], std=spread[search], target=allowed[search]
        )
    if floor_at_mean:
        s = np.maximum(s, mu)
    return np.asarray(np.maximum(s, 0.0), dtype=np.float64)


def _net_shortage(
    mu: FloatArray, sigma: FloatArray, size: FloatArray, base_std: Any, late_lots_std: Any
) -> Callable[[Any, FloatArray], FloatArray]:
    """``(rows, s) -> ES_net(s)`` of the candidate the arguments name (module docstring):
    ``late_lots_std`` LATE_LOTS, ``base_std`` LEAD_TIME, neither ALL."""
    es = _shortage(mu, sigma)
    if late_lots_std is not None:
        if base_std is not None:
            raise ValueError("base_std, late_lots_std: give one of them, not both")
        return _late_lots_net(es, mu, size, late_lots_std).net
    if base_std is None:

        def net(rows: Any, s: FloatArray) -> FloatArray:
            return es(rows, s) - es(rows, s + size[rows])

        return net
    base = np.asarray(base_std, dtype=np.float64).reshape(-1)
    if base.shape != mu.shape or np.any(~(base >= 0)):
        raise ValueError("base_std: expected one value >= 0 per row")
    es_base = _shortage(mu, np.minimum(base, sigma))

    def net_lead_time(rows: Any, s: FloatArray) -> FloatArray:
        top = s + size[rows]
        return es(rows, s) - es(rows, top) + es_base(rows, top)

    return net_lead_time


def _settled_by_plain(
    late_lots: _LateLots,
    allowed: FloatArray,
    plain: Any,
    floor_at_mean: bool,
    rows: IntArray,
) -> tuple[BoolArray, FloatArray]:
    """Which of ``rows`` the plain reorder point settles and their ``s``
    (``net_shortage_reorder_point``'s ``plain``); the tie tolerance is the search's.

    For speed ``ES_net`` is evaluated in full only where its bounds do not decide:
    ``ES_net(y) <= ES_X(y)`` and ``ES_net(y) >= ES_X(y) - c(y + lot)`` with ``c`` the
    uncapped normal part (cheap), and ``ES_X(floor(E[X])) >= ES_X(plain - 1)``."""
    mu = late_lots.mu
    given = np.asarray(plain, dtype=np.float64).reshape(-1)[rows]
    limit = with_tie_tolerance(allowed[rows])
    lowest = np.floor(mu[rows])
    on_floor = floor_at_mean & (given <= mu[rows])
    whole = np.where(on_floor, lowest, np.floor(given + 1e-9))
    meets = late_lots.es(rows, whole) <= limit
    late_lots.decide(meets, rows, whole, limit, below=False)
    # rows above the floor: s = plain when one unit less does not meet the target
    # and ES_net does not meet it at floor(E[X]) either (else: not non-increasing)
    pick = np.flatnonzero(~on_floor & meets)
    lower = whole[pick] - 1.0
    es_lower = late_lots.es(rows[pick], lower)
    below = es_lower - late_lots.bound(rows[pick], lower) > limit[pick]
    late_lots.decide(below, rows[pick], lower, limit[pick], below=True)
    clear = below & ~(lower > lowest[pick])
    far = below & (lower > lowest[pick])
    clear[far] = (
        es_lower[far] - late_lots.bound(rows[pick][far], lowest[pick][far]) > limit[pick][far]
    )
    unsure = np.flatnonzero(far & ~clear)
    clear[unsure] = late_lots.net(rows[pick][unsure], lowest[pick][unsure]) > limit[pick][unsure]
    settled = on_floor & meets
    settled[pick] = clear
    return settled, np.where(on_floor, mu[rows], whole)[settled]


@dataclass(frozen=True, slots=True)
class _LateLots:
    """``ES_X``, the uncapped normal part ``c`` and ``ES_net`` of ``LATE_LOTS`` (module
    docstring), each ``(rows, s) -> (len(rows),)`` units; arrays (n,)."""

    es: Callable[[Any, FloatArray], FloatArray]
    mu: FloatArray
    size: FloatArray
    sigma_z: FloatArray

    def bound(self, rows: Any, s: FloatArray) -> FloatArray:
        """``c(s + lot) = sigma_Z G((s + lot - E[X]) / sigma_Z)`` (0 where ``sigma_Z = 0``)."""
        top = s + self.size[rows]
        spread = self.sigma_z[rows]
        safe = np.where(spread > 0, spread, 1.0)
        return np.asarray(
            np.where(spread > 0, spread * normal_loss((top - self.mu[rows]) / safe), 0.0),
            dtype=np.float64,
        )

    def net(self, rows: Any, s: FloatArray) -> FloatArray:
        """``ES_X(s) - min(c(s + lot), ES_X(s + lot))``."""
        tail = self.es(rows, s + self.size[rows])
        return np.asarray(
            self.es(rows, s) - np.minimum(self.bound(rows, s), tail), dtype=np.float64
        )

    def decide(
        self, found: BoolArray, rows: Any, s: FloatArray, limit: FloatArray, *, below: bool
    ) -> None:
        """Where ``found`` (meets, or with ``below`` is over the target, from a bound) is
        False, settle it from ``ES_net`` itself, in place."""
        unsure = np.flatnonzero(~found)
        if unsure.size:
            value = self.net(rows[unsure], s[unsure])
            found[unsure] = value > limit[unsure] if below else value <= limit[unsure]


def _late_lots_net(
    es: Callable[[Any, FloatArray], FloatArray], mu: FloatArray, size: FloatArray, late: Any
) -> _LateLots:
    """``LATE_LOTS``'s parts (module docstring); ``late`` (n,) ``sigma_Z`` >= 0."""
    sigma_z = np.asarray(late, dtype=np.float64).reshape(-1)
    if sigma_z.shape != mu.shape or np.any(~(sigma_z >= 0)):
        raise ValueError("late_lots_std: expected one value >= 0 per row")
    return _LateLots(es=es, mu=mu, size=size, sigma_z=sigma_z)


def _shortage(mu: FloatArray, sigma: FloatArray) -> Callable[[Any, FloatArray], FloatArray]:
    """``(rows, s) -> ES(s)`` of the negative binomial matched to ``mu``, ``sigma``
    (Poisson where ``sigma^2 <= mu``), as ``discrete``'s kernel."""
    variance = sigma**2
    over = (variance > mu * (1.0 + _POISSON_TOLERANCE)) & (mu > 0.0)
    p = np.where(over, mu / np.where(over, variance, 1.0), 1.0)
    r = np.where(over, mu**2 / np.where(over, variance - mu, 1.0), 1.0)

    def es(rows: Any, s: FloatArray) -> FloatArray:
        index = np.arange(mu.size)[rows]
        point = np.broadcast_to(np.asarray(s, dtype=np.float64), index.shape)
        value = np.empty(index.shape)
        nb = over[index]  # each kernel on its own rows only (the same values)
        value[nb] = negative_binomial_expected_shortage(
            successes=r[index[nb]], probability=p[index[nb]], reorder_point=point[nb]
        )
        value[~nb] = poisson_expected_shortage(mean=mu[index[~nb]], reorder_point=point[~nb])
        return value

    return es
