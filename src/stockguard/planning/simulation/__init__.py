"""Replay simulator: real daily demand replayed against a policy, lost sales, random lead times.

Modules (one reason to change each):
    scenario: ``Scenario`` (demand, lead-time draws, supply availability, open orders,
        unit costs) and ``draw_lead_times`` from observed delays.
    policy: ``ReplayPolicy`` (``PolicyKind`` rules with levels fixed, scheduled or
        replanned by a callback), ``OrderPlan`` (orders fixed in advance).
    replay: ``simulate``, the day loop (receipts, sales, orders) vectorised over SKUs.
    result: ``ReplayResult``: fill rate, cycle service level, stock-out days, average
        on hand in units and value, orders placed, per SKU and in total.
    oracle: ``perfect_foresight``, the least stock that serves all demand.
    calibration: ``calibrated_service_levels``, the nominal target whose replay on
        history achieved the wanted one.

Usage::

    scenario = Scenario.build(demand=demand, lead_time=draw_lead_times(
        stated_lead_time=7, delays=delays, shape=demand.shape, rng=rng))
    policy = ReplayPolicy(kind=kinds, levels=PolicyLevels(s, big_s, lot))
    result = simulate(scenario, policy, initial_on_hand=big_s)
    result.total_fill_rate, result.total_average_on_hand

Crisis scenarios (supplier outage, lead-time shock, demand spike) change the scenario,
not the simulator: see ``scenario``.
"""

from stockguard.planning.simulation.calibration import calibrated_service_levels
from stockguard.planning.simulation.oracle import PerfectForesight, perfect_foresight
from stockguard.planning.simulation.policy import (
    OrderPlan,
    PolicyLevels,
    Replanner,
    ReplayPolicy,
    ReplayState,
    units_needed,
)
from stockguard.planning.simulation.replay import simulate
from stockguard.planning.simulation.result import ReplayPaths, ReplayResult
from stockguard.planning.simulation.scenario import Scenario, draw_lead_times

__all__ = [
    "OrderPlan",
    "PerfectForesight",
    "PolicyLevels",
    "Replanner",
    "ReplayPaths",
    "ReplayPolicy",
    "ReplayResult",
    "ReplayState",
    "Scenario",
    "calibrated_service_levels",
    "draw_lead_times",
    "perfect_foresight",
    "simulate",
    "units_needed",
]
