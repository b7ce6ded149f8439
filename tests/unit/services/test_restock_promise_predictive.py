"""Delay records read as a predictive bound (``records.PREDICTIVE``, ADR 0037): a supplier
with 19 receipts or more is shrunk towards the shop's law by one pseudo-receipt (the one
unseen rank of ``n + 1``), a shorter one by ADR 0029's 20; ``PREDICTIVE_HALVES`` also
promises a supplier from the upper envelope of its whole record and its newer half."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stockguard.services.storefront import predictive, records
from unit.services.promise_records import TODAY, promised_on, shares

DUE = TODAY + timedelta(days=5)
# 10 suppliers 30 days late on one receipt in four, and the suppliers under test
LATE_SHOP = {f"L{i}": [0, 0, 0, 30] * 25 for i in range(10)}


def _promised(found: records.SupplierRecords, supplier: str) -> date:
    promised = promised_on(found, supplier, DUE)
    assert promised is not None
    return promised


def test_a_record_of_19_punctual_receipts_is_promised_on_time() -> None:
    shop = LATE_SHOP | {"P19": [0] * 19, "P18": [0] * 18}
    found = records.supplier_records(shop, method=records.PREDICTIVE)
    before = records.supplier_records(shop, method=records.HIERARCHICAL)

    # the shop's law is late on 40% of its mass: with 20 pseudo-receipts (ADR 0029) a
    # 19-receipt record is promised 28 days late (the wide default's tail), with one on time
    assert _promised(before, "P19") == DUE + timedelta(days=29)
    assert _promised(found, "P19") == DUE + timedelta(days=1)  # handling only
    # 18 receipts cannot bound their own 95% quantile: ADR 0029's law, unchanged
    assert shares(found.delay_pmf("P18")) == shares(before.delay_pmf("P18"))
    assert _promised(found, "P18") == DUE + timedelta(days=29)


def test_one_pseudo_receipt_gives_the_order_statistic_bound() -> None:
    # 39 receipts: ceil(0.95 x 40) = 38th smallest is the bound; with 37 on time and 2
    # ten days late it is 10 days (the 38th), not 0
    shop = LATE_SHOP | {"S": [0] * 37 + [10, 10]}
    found = records.supplier_records(shop, method=records.PREDICTIVE)

    assert _promised(found, "S") == DUE + timedelta(days=11)
    assert shares(found.delay_pmf("S"))[0.0] == pytest.approx((37 + shares(found.pooled)[0.0]) / 40)


def test_a_supplier_getting_later_is_promised_from_its_newer_half() -> None:
    # 80 receipts a week apart: WORSE's newest 40 hold 3 at 20 days late (7.5%), its
    # oldest 40 none (3.75% over the whole record: inside the promise's 5%); BETTER the
    # other way round
    ages = [7.0 * i for i in range(80)]  # youngest first
    shop = LATE_SHOP | {"WORSE": [20] * 3 + [0] * 77, "BETTER": [0] * 77 + [20] * 3}
    every_age = {name: [7.0 * i for i in range(len(v))] for name, v in shop.items()}
    every_age |= {"WORSE": ages, "BETTER": ages}
    halves = records.supplier_records(shop, ages=every_age, method=records.PREDICTIVE_HALVES)
    whole = records.supplier_records(shop, ages=every_age, method=records.PREDICTIVE)

    assert _promised(whole, "WORSE") == _promised(whole, "BETTER") == DUE + timedelta(days=1)
    assert _promised(halves, "WORSE") == DUE + timedelta(days=21)
    assert _promised(halves, "BETTER") == DUE + timedelta(days=1)


def test_without_ages_the_halves_method_is_the_predictive_one() -> None:
    shop = LATE_SHOP | {"S": [0] * 50 + [5] * 10}
    halves = records.supplier_records(shop, method=records.PREDICTIVE_HALVES)
    whole = records.supplier_records(shop, method=records.PREDICTIVE)
    assert shares(halves.delay_pmf("S")) == shares(whole.delay_pmf("S"))


def test_upper_envelope_and_newer_half_follow_their_definitions() -> None:
    envelope = predictive.upper_envelope([[0.0, 0.7], [10.0, 0.3]], [[0.0, 0.9], [20.0, 0.1]])
    assert envelope == [
        [0.0, pytest.approx(0.7)],
        [10.0, pytest.approx(0.2)],
        [20.0, pytest.approx(0.1)],
    ]
    assert predictive.newer_half([1, 2, 3, 4, 5], [50.0, 10.0, 40.0, 0.0, 20.0]) == [4, 2]
    with pytest.raises(ValueError, match="3 receipt delays but 2 ages"):
        predictive.newer_half([1, 2, 3], [0.0, 1.0])
    assert records.PREDICTIVE in records.METHODS
    assert records.PREDICTIVE_HALVES in records.DESCRIPTIONS
