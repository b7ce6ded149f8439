"""Supplier reliability, offer scores, the best offer and the split across suppliers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stockguard.planning.inventory import sourcing


def _offers(indptr: list[int], **overrides: object) -> sourcing.OfferTable:
    size = indptr[-1]
    values: dict[str, object] = {
        "indptr": np.asarray(indptr, dtype=np.int64),
        "unit_cost": np.full(size, 10.0),
        "minimum_order_quantity": np.zeros(size, dtype=np.int64),
        "pack_size": np.ones(size, dtype=np.int64),
        "lead_time_mean": np.full(size, 7.0),
        "lead_time_std": np.zeros(size),
        "on_time_rate": np.ones(size),
        "risk": np.zeros(size),
    }
    values.update({k: np.asarray(v) for k, v in overrides.items()})
    return sourcing.OfferTable(**values)  # type: ignore[arg-type]


def test_reliability_shrinks_a_short_record_towards_the_priors() -> None:
    result = sourcing.supplier_reliability(
        supplier=np.array([0, 0, 0]), delay_days=[3.0, 0.0, -1.0], n_suppliers=2
    )
    assert result.deliveries.tolist() == [3, 0]
    np.testing.assert_allclose(result.on_time_rate, [(2 + 3 * 0.9) / 6, 0.9])
    np.testing.assert_allclose(result.delay_mean, [2 / 6, 0.0])
    sample_squares = sum((x - 2 / 3) ** 2 for x in (3.0, 0.0, -1.0))
    np.testing.assert_allclose(result.delay_std, [math.sqrt((sample_squares + 12) / 6), 2.0])


def test_a_long_record_outweighs_the_priors() -> None:
    delays = np.r_[np.full(900, 5.0), np.full(100, -1.0)]
    result = sourcing.supplier_reliability(
        supplier=np.zeros(1000, dtype=np.int64), delay_days=delays, n_suppliers=1
    )
    assert result.on_time_rate[0] == pytest.approx(0.1, abs=0.005)
    assert result.delay_mean[0] == pytest.approx(4.4, abs=0.02)
    assert result.delay_std[0] == pytest.approx(1.8, abs=0.01)


def test_the_documented_example_prefers_the_cheaper_slower_supplier_by_five_cents() -> None:
    offers = _offers(
        [0, 2],
        unit_cost=[10.0, 9.5],
        lead_time_mean=[7.0, 21.0],
        on_time_rate=[0.95, 0.6],
    )
    scores = sourcing.score_offers(
        offers=offers,
        demand_mean=[4.0],
        demand_std=[2.0],
        safety_factor=[1.645],
        order_quantity=[100.0],
        lateness_cost=1.0,
    )
    rate = 0.25 / 365
    first = 10 * rate * (7 + 1.645 * math.sqrt(7 * 4) / 4)
    second = 9.5 * rate * (21 + 1.645 * math.sqrt(21 * 4) / 4)
    np.testing.assert_allclose(scores.lead_time, [first, second], rtol=1e-12)
    np.testing.assert_allclose(scores.total, [10 + first + 0.05, 9.5 + second + 0.4])
    assert scores.total[0] - scores.total[1] == pytest.approx(0.0517, abs=1e-4)
    assert sourcing.best_offer(scores.total, offers.indptr).tolist() == [1]


def test_lead_time_spread_and_rounding_excess_make_an_offer_dearer() -> None:
    offers = _offers(
        [0, 3],
        lead_time_std=[0.0, 3.0, 0.0],
        minimum_order_quantity=np.array([0, 0, 500]),
    )
    scores = sourcing.score_offers(
        offers=offers,
        demand_mean=[5.0],
        demand_std=[1.0],
        safety_factor=[2.0],
        order_quantity=[50.0],
    )
    assert scores.lead_time[1] > scores.lead_time[0]
    assert scores.overbuy[2] == pytest.approx(10 * (0.25 / 365) * 450 * (450 / 10) / 50)
    assert sourcing.best_offer(scores.total, offers.indptr).tolist() == [0]


def test_a_line_without_offers_has_no_best_offer() -> None:
    offers = _offers([0, 0, 2], unit_cost=[3.0, 2.0])
    assert sourcing.best_offer(offers.unit_cost, offers.indptr).tolist() == [-1, 1]
    none = _offers([0, 0, 0])
    assert sourcing.best_offer(none.unit_cost, none.indptr).tolist() == [-1, -1]


@given(
    st.lists(st.lists(st.integers(0, 50), max_size=5), min_size=1, max_size=6),
)
def test_ranking_matches_a_sort_of_each_lines_offers(lines: list[list[int]]) -> None:
    indptr = np.r_[0, np.cumsum([len(x) for x in lines])].astype(np.int64)
    scores = np.array([float(v) for line in lines for v in line])
    expected: list[int] = []
    for i, line in enumerate(lines):
        start = int(indptr[i])
        expected += sorted(range(start, start + len(line)), key=lambda j: (scores[j], j))
    assert sourcing.rank_offers(scores, indptr).tolist() == expected


def test_split_gives_each_supplier_at_most_its_share_in_score_order() -> None:
    offers = _offers([0, 3, 4])
    result = sourcing.allocate(
        need=[100.0, 10.0], offers=offers, order=np.array([2, 0, 1, 3]), max_share=[0.4, 1.0]
    )
    assert result.offer.tolist() == [2, 0, 1, 3]
    assert result.need.tolist() == [40.0, 40.0, 20.0, 10.0]
    assert result.quantity.tolist() == [40, 40, 20, 10]
    assert result.diversified.tolist() == [True, True]


def test_too_few_offers_for_the_share_gives_the_rest_to_the_best_and_says_so() -> None:
    offers = _offers([0, 2], pack_size=np.array([1, 6]))
    result = sourcing.allocate(need=[50.0], offers=offers, order=np.array([0, 1]), max_share=0.3)
    assert result.need.tolist() == [35.0, 15.0]
    assert result.quantity.tolist() == [35, 18]
    assert result.added_by_pack.tolist() == [0, 3]
    assert result.diversified.tolist() == [False]


@given(
    need=st.floats(0.0, 1e5),
    share=st.floats(0.05, 1.0),
    n_offers=st.integers(1, 6),
)
@example(need=1.71267467e-09, share=0.5, n_offers=1)  # a tiny need, one offer: not split
def test_split_covers_the_need_and_respects_the_share_when_diversified(
    need: float, share: float, n_offers: int
) -> None:
    offers = _offers([0, n_offers])
    result = sourcing.allocate(
        need=[need], offers=offers, order=np.arange(n_offers, dtype=np.int64), max_share=share
    )
    assert result.need.sum() == pytest.approx(need, rel=1e-9, abs=1e-6)
    assert np.all(result.quantity >= np.ceil(result.need - 1e-9))
    if result.diversified[0]:
        assert np.all(result.need <= share * need * (1 + 1e-12) + 1e-12)
    else:
        assert n_offers * share < 1.0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unit_cost": [0.0]}, r"unit_cost: row 0 is 0.0, expected a value in \(0.0"),
        ({"on_time_rate": [1.5]}, "on_time_rate: row 0 is 1.5"),
        ({"pack_size": np.array([0])}, "pack_size: row 0 is 0.0"),
        ({"lead_time_mean": [np.nan]}, "lead_time_mean: row 0 is NaN"),
    ],
)
def test_invalid_offers_are_refused_naming_the_field_and_row(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _offers([0, 1], **overrides)


def test_a_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"max_share: row 0 is 0\.0"):
        sourcing.allocate(need=[5.0], offers=_offers([0, 1]), order=np.array([0]), max_share=0.0)


def test_a_delivery_of_an_unknown_supplier_is_refused() -> None:
    with pytest.raises(ValueError, match=r"supplier: row 1 is 4, not in \[0, 2\)"):
        sourcing.supplier_reliability(supplier=np.array([0, 4]), delay_days=[0, 1], n_suppliers=2)
