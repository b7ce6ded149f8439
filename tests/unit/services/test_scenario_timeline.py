"""Scenario events as day arrays: held deliveries, outage streaks, demand shapes."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from stockguard.services.scenarios import schema, timeline

START = date(2026, 12, 1)


def _scenario(*events: dict[str, object], horizon: int = 10) -> schema.ScenarioSpec:
    return schema.ScenarioSpec.model_validate(
        {"name": "t", "start": START, "horizon_days": horizon, "events": list(events)}
    )


def _day(n: int) -> date:
    return START + timedelta(days=n)


def test_deliveries_due_during_an_outage_wait_for_the_first_day_back() -> None:
    out = np.array([[False, True, True, False, False, True]])
    release = timeline.next_open(out, np.zeros_like(out, dtype=np.int64))
    assert release.tolist() == [[0, 3, 3, 3, 4, 6]]  # 6 = not within the horizon
    assert timeline.out_streak(out).tolist() == [[0, 1, 2, 0, 0, 1]]


def test_a_strike_with_a_delay_pushes_deliveries_due_in_its_window() -> None:
    suppliers = [timeline.SupplierFacts("A", carrier="DHL"), timeline.SupplierFacts("B")]
    scenario = _scenario(
        {"type": "carrier_strike", "carrier": "DHL", "from": _day(2), "to": _day(3),
         "delay_days": 4},
        {"type": "country_closure", "country": "pt", "from": _day(0), "to": _day(0)},
    )  # fmt: skip
    days = timeline.supply_days(scenario, 10, suppliers, ["PAR"])
    release = timeline.next_open(days.out, days.delay)
    assert release[0].tolist() == [0, 1, 6, 7, 4, 5, 6, 7, 8, 9]
    assert release[1].tolist() == list(range(10))  # B ships otherwise, is not in PT
    assert not days.out.any()


def test_a_country_closure_stops_the_suppliers_based_there() -> None:
    suppliers = [timeline.SupplierFacts("A", country="PT"), timeline.SupplierFacts("B", "FR")]
    scenario = _scenario({"type": "port_closure", "country": "pt", "from": _day(1), "to": _day(2)})
    days = timeline.supply_days(scenario, 5, suppliers, ["PAR"])
    assert days.out[:, :4].tolist() == [
        [False, True, True, False],
        [False, False, False, False],
        [False, False, False, False],  # the "no supplier" row
    ]


def test_a_viral_spike_rises_to_its_peak_then_halves_its_excess_every_decay_period() -> None:
    scenario = _scenario(
        {"type": "demand_shock", "shape": "viral", "skus": ["MUG"], "from": _day(1),
         "to": _day(8), "peak_day": _day(2), "peak_multiplier": 5, "decay_days": 2},
    )  # fmt: skip
    factor = timeline.demand_multiplier(scenario, 10, ["MUG", "TEE"], ["Mugs", "Shirts"])
    np.testing.assert_allclose(
        factor[0], [1.0, 3.0, 5.0, 1 + 4 * 0.5**0.5, 3.0, 1 + 4 * 0.5**1.5, 2.0,
                    1 + 4 * 0.5**2.5, 1.5, 1.0], rtol=1e-12,
    )  # fmt: skip
    assert factor[1].tolist() == [1.0] * 10


def test_flat_shocks_on_a_category_multiply_where_they_overlap() -> None:
    scenario = _scenario(
        {"type": "demand_shock", "category": "Toys", "change_percent": 50, "from": _day(0),
         "to": _day(3)},
        {"type": "demand_shock", "change_percent": -50, "from": _day(2), "to": _day(5)},
    )  # fmt: skip
    factor = timeline.demand_multiplier(scenario, 6, ["A", "B"], ["Toys", None])
    assert factor.tolist() == [[1.5, 1.5, 0.75, 0.75, 0.5, 0.5], [1, 1, 0.5, 0.5, 0.5, 0.5]]
