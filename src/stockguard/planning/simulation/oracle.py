"""The perfect-foresight oracle: the least stock that serves every unit of demand.

The oracle knows the whole demand and the day every order would really arrive. An order
placed at the end of day ``t`` is received on ``a_t``, the first day on or after
``t + L[i, t]`` where supply is available. Each day's demand ``D_u`` is ordered on the
day whose order arrives last without arriving after ``u``:

    t*(u) = argmax { a_t : a_t <= u },   q_t = sum over {u : t*(u) = t} of D_u

(ties go to the latest order day). Demand on days that no order can reach in time is
held as starting stock, ``I_0 = sum { D_u : no a_t <= u }``. Every unit is then bought
once and arrives as late as the lead times allow, so no plan serves all demand with
less stock on any day; the fill rate is 1 and nothing is left at the end. Scheduled
receipts of the scenario are not counted on (they would only add stock).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.simulation.policy import OrderPlan
from stockguard.planning.simulation.scenario import FloatArray, IntArray, Scenario


@dataclass(frozen=True, slots=True)
class PerfectForesight:
    """The oracle's plan: replay ``plan`` from ``initial_on_hand`` (module docstring).

    Attributes:
        initial_on_hand: (n_sku,) units, the demand no order can reach in time.
        plan: orders (n_sku, n_days) units per order day.
    """

    initial_on_hand: FloatArray
    plan: OrderPlan


def arrival_days(scenario: Scenario) -> IntArray:
    """(n_sku, n_days) day an order placed at the end of each day is received.

    ``a[i, t]`` is the first day ``>= t + L[i, t]`` with supply available, or ``n_days``
    when that is after the replay.
    """
    n_sku, n_days = scenario.demand.shape
    days = np.arange(n_days)
    open_day = np.where(scenario.supply_available, days[None, :], n_days)
    next_open = np.minimum.accumulate(open_day[:, ::-1], axis=1)[:, ::-1]
    next_open = np.concatenate([next_open, np.full((n_sku, 1), n_days)], axis=1)
    due = np.minimum(days[None, :] + scenario.lead_time, n_days)
    return np.asarray(np.take_along_axis(next_open, due, axis=1), dtype=np.int64)


def perfect_foresight(scenario: Scenario) -> PerfectForesight:
    """Orders and starting stock of the oracle (module docstring), vectorised over SKUs.

    Example: demand [2, 0, 5, 1], lead time 2 every day: orders placed on days 0 and 1
    arrive on days 2 and 3, so the oracle starts with 2 units (day 0's demand) and
    orders 5 on day 0 and 1 on day 1.
    """
    n_sku, n_days = scenario.demand.shape
    arrival = arrival_days(scenario)
    rows = np.repeat(np.arange(n_sku), n_days)
    order_days = np.tile(np.arange(n_days), n_sku)
    reached = arrival.reshape(-1) < n_days
    # source[i, a]: an order day whose order arrives on day a (the latest such day).
    source = np.full((n_sku, n_days), -1, dtype=np.int64)
    np.maximum.at(source, (rows[reached], arrival.reshape(-1)[reached]), order_days[reached])
    landing = np.where(source >= 0, np.arange(n_days)[None, :], -1)
    latest = np.maximum.accumulate(landing, axis=1)
    covered = latest >= 0
    order_day = np.take_along_axis(source, np.maximum(latest, 0), axis=1)
    orders = np.zeros((n_sku, n_days))
    sku_of = np.repeat(np.arange(n_sku), n_days).reshape(n_sku, n_days)
    np.add.at(orders, (sku_of[covered], order_day[covered]), scenario.demand[covered])
    initial = np.where(covered, 0.0, scenario.demand).sum(axis=1)
    return PerfectForesight(initial_on_hand=initial, plan=OrderPlan(orders))
