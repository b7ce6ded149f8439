"""Delay records weighted by recency (``records.RECENT``, ADR 0032): each receipt weighs
``2^(-age / 365 days)``, a supplier's effective count ``(sum w)^2 / sum w^2`` replaces its
receipts in the shrinkage towards the shop's law; without ages the laws are the
hierarchical ones (ADR 0029). Not the product's method (it failed ADR 0032's rule)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from stockguard.services.storefront import records
from unit.services.promise_records import TODAY, promised_on, shares

DUE = TODAY + timedelta(days=5)
# 10 punctual suppliers, 100 receipts each a week apart; DRIFT: 140 weekly receipts,
# the 6 newest (the last 6 weeks) 30 days late, the 134 before on time
WEEKS = [7.0 * i for i in range(100)]
SHOP = {f"P{i}": [0] * 100 for i in range(10)} | {"DRIFT": [30] * 6 + [0] * 134}
AGES = {f"P{i}": WEEKS for i in range(10)} | {"DRIFT": [7.0 * i for i in range(140)]}


def _promised(found: records.SupplierRecords, supplier: str) -> date:
    promised = promised_on(found, supplier, DUE)
    assert promised is not None
    return promised


def test_recency_is_an_option_not_the_product_method() -> None:
    assert records.PRODUCT_METHOD != records.RECENT
    assert records.RECENT in records.METHODS
    assert records.RECENT in records.DESCRIPTIONS


def test_without_ages_recent_records_are_the_hierarchical_ones() -> None:
    recent = records.supplier_records(SHOP, method=records.RECENT)
    hierarchical = records.supplier_records(SHOP, method=records.HIERARCHICAL)
    for supplier in SHOP:
        got, want = shares(recent.delay_pmf(supplier)), shares(hierarchical.delay_pmf(supplier))
        assert got.keys() == want.keys()
        assert all(got[d] == pytest.approx(want[d]) for d in want)


def test_a_supplier_that_drifted_later_is_promised_from_its_recent_receipts() -> None:
    recent = records.supplier_records(SHOP, ages=AGES, method=records.RECENT)
    hierarchical = records.supplier_records(SHOP, ages=AGES, method=records.HIERARCHICAL)

    # 6 of 140 receipts (4.3%) 30 days late counted alike: 3.8% once shrunk, below the
    # 5% the promise may miss; weighted, the 6 newest weeks hold
    # (1 - 2^(-42/365)) / (1 - 2^(-980/365)) = 9.1% of the weight (7.7% once shrunk)
    assert shares(hierarchical.delay_pmf("DRIFT"))[30.0] < 0.04
    assert shares(recent.delay_pmf("DRIFT"))[30.0] > 0.07
    assert _promised(hierarchical, "DRIFT") < DUE + timedelta(days=30)
    assert _promised(recent, "DRIFT") == DUE + timedelta(days=31)  # 30 late + handling
    # a punctual supplier's promise does not move (its record is the same every week)
    assert _promised(recent, "P0") == _promised(hierarchical, "P0") < DUE + timedelta(days=7)


def test_old_receipts_count_less_so_a_supplier_is_shrunk_more_towards_the_shop() -> None:
    # one supplier whose 100 punctual receipts are 0-3 years old, the shop's others
    # 30 days late on one receipt in two: the old record leans more on the shop's law
    shop = {"OLD": [0] * 100} | {f"L{i}": [0, 30] * 50 for i in range(5)}
    spread = {"OLD": [11.0 * i for i in range(100)]} | {f"L{i}": WEEKS for i in range(5)}
    recent = records.supplier_records(shop, ages=spread, method=records.RECENT)
    hierarchical = records.supplier_records(shop, method=records.HIERARCHICAL)

    assert shares(recent.delay_pmf("OLD"))[30.0] > shares(hierarchical.delay_pmf("OLD"))[30.0]


def test_effective_count_and_weighted_pmf_follow_their_equations() -> None:
    assert records.effective_count([1.0] * 7) == pytest.approx(7.0)
    assert records.effective_count([1.0, 0.5]) == pytest.approx(1.8)
    assert records.weighted_pmf([0, 10, 0], [1.0, 1.0, 0.5]) == [
        [0.0, pytest.approx(0.6)],
        [10.0, pytest.approx(0.4)],
    ]
    weights = records.recency_weights({"A": [0, 5], "B": [2]}, {"A": [400.0, 35.0], "B": [-3]})
    # the youngest age (the negative one counted 0) weighs 1; a year older weighs half
    assert weights["B"] == [1.0]
    assert weights["A"] == [pytest.approx(0.5 ** (400 / 365)), pytest.approx(0.5 ** (35 / 365))]


def test_ages_that_do_not_match_the_receipts_are_refused() -> None:
    with pytest.raises(ValueError, match="supplier 'A': 2 receipt delays but 1 ages"):
        records.supplier_records({"A": [0, 1]}, ages={"A": [3.0]}, method=records.RECENT)
    with pytest.raises(ValueError, match="half-life"):
        records.recency_weights({"A": [0]}, {"A": [0.0]}, half_life_days=0)
