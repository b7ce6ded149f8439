"""Carrier on-time KPIs on a hand-made set of shipments, and the suggested alternate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stockguard.services.carriers.kpis import (
    DeliveredShipment,
    carrier_kpis,
    kpi,
    percentile,
    suggest_alternate,
)

PROMISED = date(2026, 5, 1)


def shipped(carrier: str, delay: int, lane: tuple[str, str] = ("CN", "PAR")) -> DeliveredShipment:
    """A shipment delivered ``delay`` days after its promise (negative: early)."""
    return DeliveredShipment(carrier, *lane, PROMISED, PROMISED + timedelta(days=delay))


def test_kpis_of_a_hand_made_set_match_the_worked_example() -> None:
    # delays (early counts as 0): 0, 0, 2, 5 -> on time 2/4, mean 7/4, p90 at 2.7 -> 4.1
    found = kpi(
        "DHL", None, [shipped("DHL", -1), shipped("DHL", 0), shipped("DHL", 2), shipped("DHL", 5)]
    )
    assert (found.delivered, found.on_time, found.on_time_rate) == (4, 2, 0.5)
    assert found.mean_delay_days == pytest.approx(1.75)
    assert found.p90_delay_days == pytest.approx(4.1)


def test_kpis_group_per_carrier_and_per_lane() -> None:
    shipments = [
        shipped("DHL", 0),
        shipped("DHL", 3, ("CN", "LYS")),
        shipped("UPS", 1),
        shipped("UPS", 1),
    ]
    per_carrier = {k.carrier: (k.delivered, k.on_time_rate) for k in carrier_kpis(shipments)}
    assert per_carrier == {"DHL": (2, 0.5), "UPS": (2, 0.0)}
    per_lane = {
        (k.carrier, k.lane): k.mean_delay_days for k in carrier_kpis(shipments, by_lane=True)
    }
    assert per_lane == {("DHL", "CN->LYS"): 3.0, ("DHL", "CN->PAR"): 0.0, ("UPS", "CN->PAR"): 1.0}


def test_percentile_interpolates_like_numpy_and_is_zero_when_empty() -> None:
    assert percentile([], 0.9) == 0.0
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 10.0], 0.9) == pytest.approx(7.6)


def test_the_suggested_alternate_is_the_most_punctual_other_carrier_on_the_lane() -> None:
    shipments = [shipped("DHL", 4)] * 5 + [shipped("UPS", 1)] * 2 + [shipped("GLS", 0)] * 2
    lane_kpis = carrier_kpis(shipments, by_lane=True)
    assert suggest_alternate(lane_kpis, primary="DHL") == "GLS"
    assert suggest_alternate(lane_kpis, primary="GLS") == "UPS"
    assert suggest_alternate([k for k in lane_kpis if k.carrier == "DHL"], primary="DHL") is None
