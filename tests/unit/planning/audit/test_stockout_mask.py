"""The one stock-out mask: ledger where levels are known, inferred elsewhere; its periods.

Synthetic check (``planning.audit.synthetic``): 600 sales-only series over 365 days,
Poisson demand of 1 to 20 units/day (log-uniform) with a weekly profile, one off-sale
window (10-40 days, not priced) on 30% of series, and 1 to 3 stock-outs of 7 to 30 days
while priced. The inferred mask must reach day-level precision and recall >= 0.9.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from stockguard.planning.audit import stockouts, synthetic


def test_ledger_days_at_or_below_zero_are_the_mask_where_levels_are_known() -> None:
    sales = np.array([[3.0, 0, 0, 0, 2]])
    on_hand = np.array([[5.0, 0, 0, 4, 2]])
    result = stockouts.stockout_mask(
        sales=sales, end_of_day_on_hand=on_hand, levels_known=np.array([True])
    )
    assert result.mask.tolist() == [[False, True, True, False, False]]
    periods = stockouts.stockout_periods(stockouts=result, sales=sales)
    assert (periods.start.tolist(), periods.end.tolist(), periods.days.tolist()) == ([1], [2], [2])
    assert periods.source.tolist() == [stockouts.LEDGER]
    # trailing mean of in-stock days before the period: 3 units in 1 day -> 3/day x 2 days
    assert periods.lost_units.tolist() == [6.0]


def test_days_before_the_first_stock_are_censored_but_not_a_stockout() -> None:
    sales = np.array([[0.0, 0, 0, 2, 2, 0, 3]])
    on_hand = np.array([[0.0, 0, 0, 4, 2, 0, 5]])
    on_sale = np.array([[False, False, True, True, True, True, True]])  # received on day 2
    result = stockouts.stockout_mask(
        sales=sales, end_of_day_on_hand=on_hand, levels_known=np.array([True]), on_sale=on_sale
    )
    assert result.mask.tolist() == [[False, False, True, False, False, True, False]]
    assert result.censored.tolist() == [[True, True, True, False, False, True, False]]
    periods = stockouts.stockout_periods(stockouts=result, sales=sales)
    assert periods.start.tolist() == [2, 5]
    # no in-stock day before day 2: the series mean (7 units / 3 in-stock days) stands in
    assert periods.lost_units[0] == pytest.approx(7 / 3)
    assert periods.lost_units[1] == pytest.approx(2.0)


def test_series_without_levels_take_the_inferred_mask() -> None:
    sales = np.tile(np.array([4.0, 5.0]), (2, 100))
    sales[:, 120:150] = 0.0
    on_hand = np.full_like(sales, -1.0)  # sales-only history: levels meaningless
    result = stockouts.stockout_mask(
        sales=sales, end_of_day_on_hand=on_hand, levels_known=np.array([False, True])
    )
    assert result.mask[0, 120:150].all()
    assert result.mask[0].sum() == 30
    # the second row trusts its (all negative) levels: every day is out
    assert result.mask[1].all()
    assert result.inferred[1, 120:150].all()


def test_second_opinion_adds_inferred_runs_of_series_with_levels() -> None:
    sales = np.tile(np.array([4.0, 5.0]), (1, 100))
    sales[0, 50:80] = 0.0
    on_hand = np.full_like(sales, 10.0)  # ledger says in stock all along
    mask = stockouts.stockout_mask(
        sales=sales, end_of_day_on_hand=on_hand, levels_known=np.array([True])
    )
    assert len(stockouts.stockout_periods(stockouts=mask, sales=sales)) == 0
    second = stockouts.stockout_periods(stockouts=mask, sales=sales, second_opinion=True)
    assert (second.start.tolist(), second.days.tolist()) == ([50], [30])
    assert second.source.tolist() == [stockouts.INFERRED]
    assert second.lost_units[0] == pytest.approx(4.5 * 30)


def test_lost_units_use_the_trailing_window_only() -> None:
    sales = np.array([[100.0] * 5 + [2.0] * 28 + [0.0] * 3])
    known = np.array([True])
    on_hand = np.where(sales > 0, 1.0, 0.0)
    mask = stockouts.stockout_mask(sales=sales, end_of_day_on_hand=on_hand, levels_known=known)
    periods = stockouts.stockout_periods(stockouts=mask, sales=sales, trailing_days=28)
    assert periods.daily_rate.tolist() == [2.0]
    assert periods.lost_units.tolist() == [6.0]


def test_runs_finds_each_run_with_inclusive_ends() -> None:
    mask = np.array([[True, True, False, True], [False, False, False, False], [True] * 4])
    series, start, end = stockouts.runs(mask)
    assert series.tolist() == [0, 0, 2]
    assert start.tolist() == [0, 3, 0]
    assert end.tolist() == [1, 3, 3]


def test_mask_is_deterministic_and_checks_shapes() -> None:
    sales = np.zeros((2, 10))
    with pytest.raises(ValueError, match="same shape"):
        stockouts.stockout_mask(
            sales=sales, end_of_day_on_hand=np.zeros((2, 9)), levels_known=np.ones(2, bool)
        )
    with pytest.raises(ValueError, match="levels_known"):
        stockouts.stockout_mask(
            sales=sales, end_of_day_on_hand=sales, levels_known=np.ones(3, bool)
        )


def test_inferred_mask_has_precision_and_recall_of_at_least_0_9_on_known_stockouts() -> None:
    shop = synthetic.synthetic_shop(n_series=600, n_days=365, rng=np.random.default_rng(2026))
    result = stockouts.stockout_mask(
        sales=shop.sales,
        end_of_day_on_hand=np.zeros_like(shop.sales),
        levels_known=np.zeros(600, dtype=np.bool_),
        on_sale=shop.on_sale,
    )
    again = stockouts.stockout_mask(
        sales=shop.sales,
        end_of_day_on_hand=np.zeros_like(shop.sales),
        levels_known=np.zeros(600, dtype=np.bool_),
        on_sale=shop.on_sale,
    )
    precision, recall = stockouts.precision_recall(predicted=result.mask, truth=shop.truth)
    print(f"synthetic inferred mask: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9
    assert recall >= 0.9
    assert not (result.mask & ~shop.on_sale).any()  # off-sale windows are not stock-outs
    np.testing.assert_array_equal(result.mask, again.mask)


def test_precision_recall_of_empty_sets_is_one() -> None:
    empty = np.zeros((1, 3), dtype=np.bool_)
    assert stockouts.precision_recall(predicted=empty, truth=empty) == (1.0, 1.0)


def _scalar_runs(mask: np.ndarray) -> list[tuple[int, int, int]]:
    """Reference: one pass per row, the way a person would list the runs."""
    found = []
    for series, row in enumerate(mask.tolist()):
        start = None
        for day, out in enumerate([*row, False]):
            if out and start is None:
                start = day
            elif not out and start is not None:
                found.append((series, start, day - 1))
                start = None
    return found


@given(arrays(np.bool_, st.tuples(st.integers(1, 6), st.integers(1, 40))))
def test_vectorised_runs_equal_the_scalar_reference(mask: np.ndarray) -> None:
    series, start, end = stockouts.runs(mask)
    assert list(zip(series.tolist(), start.tolist(), end.tolist(), strict=True)) == (
        _scalar_runs(mask)
    )
