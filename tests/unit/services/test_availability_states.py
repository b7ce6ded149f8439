"""Availability states, colours, the fr/en messages and the combined row of a SKU."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from stockguard.services.storefront import messages, promise, view
from stockguard.services.storefront.model import Availability, AvailabilityState, state_of
from stockguard.services.storefront.ports import OpenOrder, PromiseBasis

S = AvailabilityState
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _row(location: str, available: int, promise_on: date | None = None) -> Availability:
    return Availability(
        sku="MUG",
        location=location,
        on_hand=max(available, 0),
        available=available,
        on_order=0,
        preorder_open=0,
        discontinued=False,
        low_stock_threshold=5,
        state=state_of(available, 0, discontinued=False, low_stock_threshold=5),
        promise_on=promise_on,
        promise_confidence=0.95 if promise_on else None,
        promise_basis="policy" if promise_on else None,
        updated_at=NOW,
    )


@pytest.mark.parametrize(
    ("available", "arriving", "discontinued", "expected"),
    [
        (20, 0, False, S.IN_STOCK),
        (5, 0, False, S.LOW_STOCK),
        (0, 0, False, S.OUT_OF_STOCK),
        (-2, 0, False, S.OUT_OF_STOCK),
        (0, 12, False, S.PREORDER),
        (0, 12, True, S.DISCONTINUED),
        (3, 0, True, S.LOW_STOCK),
    ],
)
def test_the_state_shown(
    available: int, arriving: int, discontinued: bool, expected: AvailabilityState
) -> None:
    found = state_of(available, arriving, discontinued=discontinued, low_stock_threshold=5)
    assert found is expected


@pytest.mark.parametrize(
    ("state", "count", "promise_on", "lang", "text"),
    [
        (S.LOW_STOCK, 3, None, "fr", "Plus que 3 en stock"),
        (S.LOW_STOCK, 3, None, "en", "Only 3 left in stock"),
        (S.OUT_OF_STOCK, None, date(2026, 12, 12), "en", "Back in stock by 12 Dec"),
        (S.OUT_OF_STOCK, None, date(2026, 12, 12), "fr", "De retour en stock d'ici le 12 déc."),
        (S.OUT_OF_STOCK, None, None, "fr", "En rupture de stock"),
        (S.PREORDER, None, date(2027, 2, 3), "fr", "En précommande, expédié d'ici le 3 févr."),
        (S.DISCONTINUED, None, None, "en", "No longer available"),
        (S.IN_STOCK, None, date(2026, 12, 12), "fr", "En stock"),
    ],
)
def test_messages_in_french_and_english(
    state: AvailabilityState, count: int | None, promise_on: date | None, lang: str, text: str
) -> None:
    assert messages.message(state, count, promise_on, lang) == text


def test_a_sku_over_several_locations_sums_units_and_keeps_the_earliest_promise() -> None:
    rows = [_row("PAR", 0, date(2026, 12, 20)), _row("LYO", 0, date(2026, 12, 9))]

    combined = view.combine("MUG", rows, discontinued=False)
    shown = view.show(combined, "en")

    assert (shown.location, shown.state, shown.colour) == ("*", "out_of_stock", "red")
    assert shown.promise_on == date(2026, 12, 9)
    assert shown.message == "Back in stock by 9 Dec"
    assert view.show(
        view.combine("MUG", [*rows, _row("LIL", 4)], discontinued=False), "en"
    ).state == ("low_stock")


def test_an_available_sku_shows_no_promise() -> None:
    shown = view.show(_row("PAR", 30, date(2026, 12, 20)), "fr")
    assert (shown.state, shown.promise_on, shown.message) == ("in_stock", None, "En stock")


def test_promises_from_an_open_order_and_from_the_policy() -> None:
    bases = [
        PromiseBasis(
            "A",
            "PAR",
            expected_on=date(2026, 12, 10),
            purchase_order="PO-1",
            delay_pmf=[[0.0, 0.7], [4.0, 0.25], [9.0, 0.05]],
        ),
        PromiseBasis("B", "PAR", lead_time_pmf=[[7.0, 0.5], [12.0, 0.45], [20.0, 0.05]]),
        PromiseBasis("C", "PAR"),
    ]

    made = promise.promise(bases, today=NOW.date(), confidence=0.95)

    assert made[0] == promise.Promise(date(2026, 12, 15), "purchase_order:PO-1")  # 10 + 4 + 1
    assert made[1] == promise.Promise(date(2026, 12, 21), "policy")  # today + 7 + 12 + 1
    assert made[2] == promise.Promise(None, None)  # nothing to rest a promise on


def test_a_second_open_order_and_a_known_next_order_date_tighten_the_promise() -> None:
    late_tail = [[0.0, 0.8], [20.0, 0.2]]
    alone = PromiseBasis(
        "A", "PAR", expected_on=date(2026, 12, 1), purchase_order="PO-1", delay_pmf=late_tail
    )
    with_second = PromiseBasis(
        "A",
        "PAR",
        expected_on=date(2026, 12, 1),
        purchase_order="PO-1",
        delay_pmf=late_tail,
        other_orders=(OpenOrder(date(2026, 12, 1), "PO-2"),),
    )
    ordered_today = PromiseBasis(
        "B", "PAR", next_order_on=NOW.date(), lead_time_pmf=[[7.0, 0.5], [12.0, 0.5]]
    )

    made = promise.promise([alone, with_second, ordered_today], today=NOW.date(), confidence=0.95)

    assert made[0].promise_on == date(2026, 12, 22)  # 1 Dec + 20 late + 1 handling
    assert made[1] == promise.Promise(date(2026, 12, 2), "purchase_order:PO-1")  # 1-.2^2=.96
    assert made[2].promise_on == NOW.date() + timedelta(days=13)  # ordered today: 12 + 1


def test_a_short_supplier_record_is_shrunk_towards_the_wide_default() -> None:
    on_time = [[0.0, 1.0]]  # every receipt so far on time
    short = PromiseBasis(
        "A", "PAR", expected_on=date(2026, 12, 5), purchase_order="PO-1",
        delay_pmf=on_time, delay_count=5,
    )  # fmt: skip
    long = PromiseBasis(
        "A", "PAR", expected_on=date(2026, 12, 5), purchase_order="PO-1",
        delay_pmf=on_time, delay_count=5000,
    )  # fmt: skip

    made = promise.promise([short, long], today=NOW.date(), confidence=0.95)

    # 5 receipts + 20 pseudo-receipts of the default: P(D <= 14) = (5 + 20 * .95) / 25
    # = .96, P(D <= 7) = .76 -> 14 days late; 5000 receipts keep their own shape
    assert made[0].promise_on == date(2026, 12, 5) + timedelta(days=15)
    assert made[1].promise_on == date(2026, 12, 6)
    assert promise.shrunk(on_time, 5, promise.DEFAULT_DELAY_PMF)[0] == [0.0, 0.6]
