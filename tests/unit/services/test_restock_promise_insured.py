"""Predictive records that keep an insurance (ADR 0039): ``PREDICTIVE_INSURED`` mixes
``PREDICTIVE_HALVES``'s law of a supplier with 19 receipts or more with the wide default
at ``HIERARCHICAL``'s share of it, ``d_s = 20 / (n + 20) * 20 / (S + 20)``;
``PREDICTIVE_SHOP`` (the product's method) gives the same share to the shop's law;
shorter records and the shop's law stay ADR 0029's."""

from __future__ import annotations

import pytest

from stockguard.services.storefront import promise, records
from stockguard.services.storefront.ports import Pmf
from unit.services.promise_records import TODAY, promised_on, shares

# 10 suppliers 30 days late on one receipt in four, and the suppliers under test
LATE_SHOP = {f"L{i}": [0, 0, 0, 30] * 25 for i in range(10)}


def _late_days(found: records.SupplierRecords, supplier: str) -> int:
    """Days from a PO due today to its 95% promise (1: the handling day only)."""
    promised = promised_on(found, supplier, TODAY)
    assert promised is not None
    return (promised - TODAY).days


def _mixed(first: Pmf | None, second: Pmf | None, share: float) -> dict[float, float]:
    """``(1 - share) first + share second`` as days -> probability."""
    mixed: dict[float, float] = {}
    for days, p in shares(first).items():
        mixed[days] = mixed.get(days, 0.0) + (1.0 - share) * p
    for days, p in shares(second).items():
        mixed[days] = mixed.get(days, 0.0) + share * p
    return mixed


def _by_method(shop: dict[str, list[int]]) -> dict[str, records.SupplierRecords]:
    methods = (
        records.HIERARCHICAL,
        records.PREDICTIVE_HALVES,
        records.PREDICTIVE_INSURED,
        records.PREDICTIVE_SHOP,
    )
    return {method: records.supplier_records(shop, method=method) for method in methods}


def test_the_product_method_is_the_shop_insured_one() -> None:
    shop = LATE_SHOP | {"P": [0] * 30}
    assert records.PRODUCT_METHOD == records.PREDICTIVE_SHOP
    assert records.supplier_records(shop) == records.supplier_records(
        shop, method=records.PREDICTIVE_SHOP
    )


def test_insured_share_is_the_hierarchical_laws_wide_default_share() -> None:
    assert records.insured_share(40, 22) == pytest.approx(20 / 60 * 20 / 42)
    assert records.insured_share(40, 22) == pytest.approx(0.1587, abs=1e-4)
    assert records.insured_share(400, 22) < records.insured_share(40, 22)
    assert records.insured_share(40, 100) < records.insured_share(40, 22)


def test_a_long_record_keeps_the_wide_default_at_its_share() -> None:
    shop = LATE_SHOP | {"P": [0] * 30}
    found = _by_method(shop)
    share = records.insured_share(30, 11)

    insured = shares(found[records.PREDICTIVE_INSURED].delay_pmf("P"))
    expected = _mixed(
        found[records.PREDICTIVE_HALVES].delay_pmf("P"), promise.DEFAULT_DELAY_PMF, share
    )
    assert insured == pytest.approx(expected)
    # the shop's law is late on 40% of its mass: ADR 0029 promises 14 days late, B on
    # time; the wide default's share alone (0.22, 11% late by 3 days) promises 7 days
    assert _late_days(found[records.HIERARCHICAL], "P") == 15
    assert _late_days(found[records.PREDICTIVE_HALVES], "P") == 1
    assert _late_days(found[records.PREDICTIVE_INSURED], "P") == 8


def test_the_shop_variant_gives_the_share_to_the_shops_law() -> None:
    shop = LATE_SHOP | {"P": [0] * 80}
    found = _by_method(shop)
    share = records.insured_share(80, 11)

    mixed = shares(found[records.PREDICTIVE_SHOP].delay_pmf("P"))
    expected = _mixed(
        found[records.PREDICTIVE_HALVES].delay_pmf("P"), found[records.HIERARCHICAL].pooled, share
    )
    assert mixed == pytest.approx(expected)
    assert _late_days(found[records.HIERARCHICAL], "P") == 8
    assert _late_days(found[records.PREDICTIVE_SHOP], "P") == 4
    assert _late_days(found[records.PREDICTIVE_INSURED], "P") == 4


def test_short_records_and_the_shops_law_stay_adr_0029s_and_long_ones_b_s() -> None:
    shop = LATE_SHOP | {"P18": [0] * 18, "BIG": [0] * 2000}
    found = _by_method(shop)
    before = found[records.HIERARCHICAL]

    for method in (records.PREDICTIVE_INSURED, records.PREDICTIVE_SHOP):
        assert shares(found[method].delay_pmf("P18")) == shares(before.delay_pmf("P18"))
        assert shares(found[method].delay_pmf("NEW")) == shares(before.delay_pmf("NEW"))
        assert _late_days(found[method], "BIG") == 1
    assert records.insured_share(2000, 12) < 0.01


def test_without_a_wide_default_the_insured_method_is_the_halves_one() -> None:
    shop = LATE_SHOP | {"S": [0] * 50 + [5] * 10}
    insured = records.supplier_records(shop, method=records.PREDICTIVE_INSURED, default=[])
    halves = records.supplier_records(shop, method=records.PREDICTIVE_HALVES, default=[])
    assert shares(insured.delay_pmf("S")) == shares(halves.delay_pmf("S"))
    assert records.PREDICTIVE_INSURED in records.METHODS
    assert records.PREDICTIVE_SHOP in records.DESCRIPTIONS
