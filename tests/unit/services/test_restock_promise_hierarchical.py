"""The product's two-level delay records (``records.HIERARCHICAL``, ADR 0029): every
supplier's receipts shrunk towards the shop's law, the shop's law (the pooled record)
shrunk towards the wide default counted in suppliers; against the records the product
used before (``records.DEFAULT_PRIOR``: every record shrunk towards the wide default)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from stockguard.services.storefront import promise, records
from unit.services.promise_records import TODAY, promised_on, shares

DUE = TODAY + timedelta(days=5)
H = records.HIERARCHICAL
# 30 punctual suppliers with 100 receipts each, one with one receipt in five 20 days late
SHOP = {f"P{i:02d}": [0] * 100 for i in range(30)} | {"SLOW": [0] * 80 + [20] * 20}


def test_the_wide_default_is_the_default_prior_and_unknown_methods_are_refused() -> None:
    # the product's method since ADR 0039 is records.PREDICTIVE_SHOP (its own tests)
    assert records.supplier_records(SHOP, method=H) == records.supplier_records(
        SHOP, method=H, default=promise.DEFAULT_DELAY_PMF
    )
    with pytest.raises(ValueError, match="unknown delay record method"):
        records.supplier_records(SHOP, method="newest")


def test_the_shop_law_is_the_pooled_record_shrunk_towards_the_default_by_suppliers() -> None:
    found = records.supplier_records(SHOP, method=H)
    shop, default = shares(found.pooled), shares(promise.DEFAULT_DELAY_PMF)
    # 3,100 receipts, 20 of them 20 days late, from S = 31 suppliers (not 3,100)
    assert shop[0.0] == pytest.approx((31 * 3080 / 3100 + 20 * default[0.0]) / 51)
    assert shop[20.0] == pytest.approx(31 * 20 / 3100 / 51)
    assert shop[28.0] == pytest.approx(20 * default[28.0] / 51)
    assert sum(shop.values()) == pytest.approx(1.0)


def test_the_worked_example_of_the_docstring() -> None:
    # five suppliers, A with 80 punctual receipts; pooled record and default as given
    found = records.hierarchical_records(
        {"A": [0] * 80, "B": [0], "C": [0], "D": [0], "E": [0]},
        {"A": 80, "B": 1, "C": 1, "D": 1, "E": 1},
        [[0.0, 0.9], [20.0, 0.1]], [[0.0, 0.5], [28.0, 0.5]],
    )  # fmt: skip
    assert [[d, round(p, 12)] for d, p in found.pooled or []] == [
        [0.0, 0.58], [20.0, 0.02], [28.0, 0.4]
    ]  # fmt: skip
    assert [[d, round(p, 12)] for d, p in found.delay_pmf("A") or []] == [
        [0.0, 0.916], [20.0, 0.004], [28.0, 0.08]
    ]  # fmt: skip


def test_each_supplier_is_shrunk_towards_the_shop_law_and_not_shrunk_again() -> None:
    found = records.supplier_records(SHOP, method=H)
    shop, punctual = shares(found.pooled), shares(found.delay_pmf("P00"))

    assert punctual[0.0] == pytest.approx((100 + 20 * shop[0.0]) / 120)
    assert punctual[28.0] == pytest.approx(20 * shop[28.0] / 120)
    assert found.delay_count("P00") is None  # complete: the promise takes it as it is
    assert found.delay_pmf("NEW SUPPLIER") == found.pooled


def test_a_punctual_supplier_is_promised_earlier_and_a_slow_one_no_earlier() -> None:
    hierarchical = records.supplier_records(SHOP, method=H)
    before = records.supplier_records(SHOP, method=records.DEFAULT_PRIOR)

    # before: 100 punctual receipts kept 20 / 120 of the wide default (3 days late at
    # 95%); the shop's suppliers are punctual, so its law now is mostly on time
    assert promised_on(hierarchical, "P00", DUE) == DUE + timedelta(days=1)
    assert promised_on(before, "P00", DUE) == DUE + timedelta(days=3 + 1)
    # one receipt in five 20 days late: both promise 20 days late plus the handling day
    slow = promised_on(hierarchical, "SLOW", DUE)
    assert slow == promised_on(before, "SLOW", DUE) == DUE + timedelta(21)


def test_a_shop_with_few_suppliers_keeps_most_of_the_wide_default() -> None:
    few = {"P00": [0] * 100, "P01": [0] * 100, "P02": [0] * 100}
    found = records.supplier_records(few, method=H)

    # S = 3: the shop's law is 20 / 23 the default; P00 is promised as before
    assert shares(found.pooled)[28.0] == pytest.approx(20 * 0.05 / 23)
    before = records.supplier_records(few, method=records.DEFAULT_PRIOR)
    assert promised_on(found, "P00", DUE) == promised_on(before, "P00", DUE) == DUE + timedelta(4)
