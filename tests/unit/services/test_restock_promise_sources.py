"""Restock promises from each purchase order's supplier record (blended with the pooled
record below 20 receipts) and, without a purchase order, from the policy's next order
date."""

from __future__ import annotations

from datetime import date, timedelta

from stockguard.domain import replenishment as r
from stockguard.services.storefront import policy, promise, records
from stockguard.services.storefront.ports import OpenOrder, PromiseBasis
from unit.services.promise_records import promised_on

TODAY = date(2026, 11, 25)


def _records(method: str = records.PRODUCT_METHOD) -> records.SupplierRecords:
    # PUNCTUAL: 100 receipts all on time; SLOW: 100 receipts, one in five 20 days late;
    # NEW: 5 receipts on time (below the 20 needed for its own record)
    return records.supplier_records(
        {"PUNCTUAL": [0] * 100, "SLOW": [0] * 80 + [20] * 20, "NEW": [0] * 5}, method=method
    )


def test_the_empirical_pmf_counts_shares_of_each_value() -> None:
    assert records.empirical_pmf([3, 0, 3, 1]) == [[0.0, 0.25], [1.0, 0.25], [3.0, 0.5]]
    assert records.empirical_pmf([]) == []


def test_a_supplier_below_the_minimum_is_blended_with_the_pooled_record() -> None:
    found = _records(records.DEFAULT_PRIOR)  # the rule before ADR 0029

    assert found.source("PUNCTUAL") == found.source("SLOW") == "supplier"
    assert (found.source("NEW"), found.source("UNKNOWN")) == ("blended", "pooled")
    # pooled: 185 of 205 receipts on time, 20 at 20 days; NEW's 5 on time weigh beside
    # it as 20 pseudo-receipts: (5 + 20 x 185/205) / 25 on time
    on_time = (5 + 20 * 185 / 205) / 25
    pmf = found.delay_pmf("NEW")
    assert pmf is not None
    assert [days for days, _ in pmf] == [0.0, 20.0]
    assert abs(pmf[0][1] - on_time) < 1e-12
    assert abs(pmf[1][1] - (1 - on_time)) < 1e-12
    assert found.delay_pmf("UNKNOWN") == found.pooled
    assert records.MIN_SUPPLIER_RECEIPTS == records.POOLED_WEIGHT == 20


def test_the_worked_example_of_a_short_record() -> None:
    short = records.blended([[0.0, 1.0]], 5, [[0.0, 0.9], [20.0, 0.1]], 20)

    assert [[d, round(p, 12)] for d, p in short] == [[0.0, 0.92], [20.0, 0.08]]


def test_each_record_comes_with_its_receipt_count_for_the_promise_to_shrink() -> None:
    found = _records(records.DEFAULT_PRIOR)  # the rule before ADR 0029

    assert found.delay_pmf("SLOW") == [[0.0, 0.8], [20.0, 0.2]]
    assert found.delay_count("SLOW") == 100
    # in NEW's blend the pooled record is evidence on the shop's suppliers, not on this
    # one: it counts as 20; a supplier without receipts gets the pooled total
    assert (found.delay_count("NEW"), found.delay_count("UNKNOWN")) == (25, 205)
    assert found.delay_count(None) == 205


def test_without_any_receipt_the_promise_keeps_its_default() -> None:
    empty = records.supplier_records({})

    assert (empty.delay_pmf("ANY"), empty.delay_count("ANY")) == (None, None)
    assert empty.source("ANY") == "default"


def test_each_order_is_promised_from_its_own_supplier() -> None:
    found = _records()
    due = TODAY + timedelta(days=5)

    punctual, slow = promised_on(found, "PUNCTUAL", due), promised_on(found, "SLOW", due)

    # each record shrunk towards the wide default by 20 pseudo-receipts:
    # p = (100 x record + 20 x default) / 120; PUNCTUAL: P(D <= 0) = 110/120, P(D <= 3)
    # = 114/120 = 0.95, so 3 days; SLOW: P(D <= 14) = 99/120, P(D <= 20) = 119/120
    assert punctual == due + timedelta(days=4)  # plus a day of handling
    assert slow == due + timedelta(days=21)


def test_a_late_order_is_conditioned_on_not_having_arrived_yet() -> None:
    # 4 days past the due date without a receipt, SLOW's mass left is 7 (3/120), 14
    # (2/120), 20 (20/120) and 28 (1/120) days late: P(D <= 20 | D >= 4) = 25/26
    found = _records()
    due = TODAY - timedelta(days=4)

    assert promised_on(found, "SLOW", due) == due + timedelta(days=21)
    assert promised_on(found, "SLOW", TODAY - timedelta(days=21)) == TODAY + timedelta(days=8)


def test_two_orders_from_two_suppliers_take_the_earliest_arrival() -> None:
    found = _records()
    slow_due, punctual_due = TODAY + timedelta(days=2), TODAY + timedelta(days=10)
    basis = PromiseBasis(
        "SKU", "LOC", expected_on=slow_due, purchase_order="PO-SLOW",
        delay_pmf=found.delay_pmf("SLOW"), delay_count=100,
        other_orders=(OpenOrder(punctual_due, "PO-PUNCTUAL", found.delay_pmf("PUNCTUAL"), 100),),
    )  # fmt: skip

    made = promise.promise([basis], today=TODAY, confidence=0.95)[0]

    # the slow order alone: day 23; the punctual one alone: day 14; by day 10 the
    # punctual one is there with 110/120, the slow one with 0.808: 1 - 0.083 x 0.192
    assert made.promise_on == punctual_due + timedelta(days=1)
    assert made.basis == "purchase_order:PO-SLOW"


def _facts(**changes: object) -> policy.PolicyFacts:
    values: dict[str, object] = {
        "sku": "MUG", "location": "PAR", "category": "Mugs", "position": 0.0,
        "reorder_point": 10.0, "demand_mean": 2.0, "unit_price": 10.0,
    }  # fmt: skip
    values.update(changes)
    return policy.PolicyFacts(**values)  # type: ignore[arg-type]


def _rule(name: r.PolicyName, review: int | None = None) -> r.ReplenishmentRule:
    return r.ReplenishmentRule(scope=r.RuleScope.DEFAULT, policy=name, review_period_days=review)


def test_a_continuous_policy_orders_when_the_position_crosses_the_reorder_point() -> None:
    rules = [_rule(r.PolicyName.ORDER_UP_TO)]
    rows = [_facts(), _facts(position=15.0), _facts(position=15.0, demand_mean=0.0)]

    dates = policy.next_order_dates(rows, rules, today=TODAY)

    # below s: today; 5 units above s at 2/day: ceil(2.5) = 3 days; no demand: never
    assert dates == [TODAY, TODAY + timedelta(days=3), None]


def test_a_crossing_beyond_the_horizon_is_no_foreseen_order() -> None:
    rules = [_rule(r.PolicyName.ORDER_UP_TO)]
    # 5 units above s: 1e-300 units/day would be an overflowing date, 0.002/day 2,500 days
    rows = [_facts(position=15.0, demand_mean=1e-300), _facts(position=15.0, demand_mean=0.002)]

    dates = policy.next_order_dates(rows, rules, today=TODAY)

    assert dates == [None, TODAY + timedelta(days=2500)]


def test_a_periodic_policy_orders_on_the_next_review_day() -> None:
    rules = [_rule(r.PolicyName.PERIODIC, review=14)]
    rows = [
        _facts(last_ordered_on=TODAY - timedelta(days=20)),
        _facts(last_ordered_on=TODAY - timedelta(days=28)),
        _facts(),
    ]

    dates = policy.next_order_dates(rows, rules, today=TODAY)

    # reviews every 14 days from the last order: 20 days ago -> in 8 days; 28 -> today;
    # never ordered: a whole period away (the later end)
    assert dates == [TODAY + timedelta(days=8), TODAY, TODAY + timedelta(days=14)]


def test_without_a_purchase_order_the_promise_waits_for_the_next_order_date() -> None:
    lead = [[7.0, 0.9], [12.0, 0.1]]
    soon = PromiseBasis("A", "L", next_order_on=TODAY, lead_time_pmf=lead, lead_time_mean=7.0)
    later = PromiseBasis(
        "A", "L", next_order_on=TODAY + timedelta(days=8), lead_time_pmf=lead, lead_time_mean=7.0
    )

    made = promise.promise([soon, later], today=TODAY, confidence=0.95)

    assert made[0].promise_on == TODAY + timedelta(days=13)  # 95% lead 12 + handling 1
    assert made[1].promise_on == TODAY + timedelta(days=21)
    assert made[0].basis == made[1].basis == "policy"
