"""Shipments: tracking status moves forward, delays are reported as events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from stockguard.domain import errors, events, shipping

S = shipping.ShipmentStatus
BOOKED = datetime(2026, 5, 1, 9, tzinfo=UTC)


def a_shipment() -> shipping.Shipment:
    return shipping.Shipment(
        reference="TRK-1",
        carrier="DHL",
        origin="CN",
        destination="PAR",
        promised_on=date(2026, 5, 10),
        booked_at=BOOKED,
        purchase_order="PO-1",
    )


def at(day: int) -> datetime:
    return datetime(2026, 5, day, 12, tzinfo=UTC)


def test_a_shipment_on_time_reports_status_changes_and_no_delay() -> None:
    shipment = a_shipment()
    shipment.update(S.PICKED_UP, at(2))
    shipment.update(S.IN_TRANSIT, at(3))
    shipment.update(S.DELIVERED, at(9))
    assert shipment.delay_days == 0
    assert [type(e).__name__ for e in shipment.events] == ["ShipmentStatusChanged"] * 3
    assert [t.status for t in shipment.tracking] == [S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED]


def test_a_delay_report_records_shipment_delayed_with_the_new_estimate() -> None:
    shipment = a_shipment()
    shipment.update(S.DELAYED, at(8), expected_on=date(2026, 5, 13), note="port congestion")
    delayed = [e for e in shipment.events if isinstance(e, events.ShipmentDelayed)]
    assert delayed == [
        events.ShipmentDelayed("TRK-1", "DHL", "delayed", "2026-05-10", "2026-05-13", 3, "PO-1")
    ]
    shipment.update(S.DELIVERED, at(14))
    assert shipment.delay_days == 4
    assert isinstance(shipment.events[-1], events.ShipmentDelayed)


def test_a_delivered_shipment_cannot_move_back() -> None:
    shipment = a_shipment()
    shipment.update(S.DELIVERED, at(9))
    with pytest.raises(errors.InvalidTransition, match="is delivered and cannot become"):
        shipment.update(S.IN_TRANSIT, at(10))


def test_a_report_older_than_the_last_one_is_refused() -> None:
    shipment = a_shipment()
    shipment.update(S.IN_TRANSIT, at(5))
    with pytest.raises(errors.InvalidParameter, match="before the shipment's last"):
        shipment.update(S.DELAYED, at(4))


def test_a_promise_before_the_booking_is_refused() -> None:
    with pytest.raises(errors.InvalidParameter, match="promised_on"):
        shipping.Shipment("TRK-2", "DHL", "CN", "PAR", date(2026, 4, 30), BOOKED)
