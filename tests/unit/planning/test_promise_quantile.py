"""Restock promise numerics: quantiles of a delay pmf, conditioned on lateness so far."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.promise import quantile

SUPPORT = np.array([[0.0, 2.0, 5.0, 10.0]])
MASS = np.array([[0.5, 0.3, 0.15, 0.05]])


@pytest.mark.parametrize(
    ("confidence", "expected"), [(0.5, 0.0), (0.8, 2.0), (0.95, 5.0), (0.96, 10.0)]
)
def test_the_quantile_of_the_hand_example(confidence: float, expected: float) -> None:
    assert quantile.pmf_quantile(SUPPORT, MASS, confidence)[0] == expected


def test_the_95_percent_date_is_never_before_the_median_date() -> None:
    rng = np.random.default_rng(8)
    support = np.sort(rng.integers(0, 30, size=(200, 6)).astype(float), axis=1)
    mass = rng.dirichlet(np.ones(6), size=200)
    offsets = rng.integers(-5, 20, size=200).astype(float)
    elapsed = np.maximum(0.0, -offsets)

    median = quantile.restock_days(offsets, support, mass, 0.5, elapsed=elapsed)
    high = quantile.restock_days(offsets, support, mass, 0.95, elapsed=elapsed)

    assert np.all(high >= median)
    assert np.any(high > median)


def test_a_late_order_is_conditioned_on_the_days_already_late() -> None:
    # expected 3 days ago, not received: lateness >= 3, so 5 (p=.15) or 10 (p=.05)
    # -> P(D <= 5 | D >= 3) = 0.75 and the 95% promise is 10 days late: 7 days from
    # today, plus a day of handling
    days = quantile.restock_days(
        np.array([-3.0]), SUPPORT, MASS, 0.95, elapsed=np.array([3.0]), handling_days=1.0
    )
    assert days[0] == 8


def test_an_order_later_than_anything_seen_falls_back_to_the_full_quantile() -> None:
    found = quantile.pmf_quantile(SUPPORT, MASS, 0.95, at_least=np.array([12.0]))
    assert found[0] == 12.0 + 5.0


def test_padding_and_unnormalised_rows_are_handled_and_a_promise_is_never_today() -> None:
    support = np.array([[1.0, 3.0, np.nan], [0.0, np.nan, np.nan]])
    mass = np.array([[2.0, 2.0, 0.0], [1.0, 0.0, 0.0]])

    days = quantile.restock_days(np.array([0.0, 0.0]), support, mass, 0.5, handling_days=0.0)

    assert days.tolist() == [1, 1]  # median 1 day; 0 days becomes tomorrow


def test_a_confidence_outside_zero_one_is_refused() -> None:
    with pytest.raises(ValueError, match="confidence"):
        quantile.pmf_quantile(SUPPORT, MASS, 1.0)


def test_with_one_source_the_earliest_arrival_is_the_single_order_promise() -> None:
    rng = np.random.default_rng(9)
    support = np.sort(rng.integers(0, 30, size=(200, 6)).astype(float), axis=1)
    mass = rng.dirichlet(np.ones(6), size=200)
    offsets = rng.integers(-25, 20, size=200).astype(float)
    elapsed = np.maximum(0.0, -offsets)

    single = quantile.restock_days(offsets, support, mass, 0.95, elapsed=elapsed)
    earliest = quantile.earliest_restock_days(
        offsets[:, None], support[:, None, :], mass[:, None, :], 0.95, elapsed=elapsed[:, None]
    )

    assert earliest.tolist() == single.tolist()


def test_two_open_orders_promise_the_earliest_arrival_not_the_first_order_alone() -> None:
    # two orders both expected in 2 days, each on time (0) w.p. .8 and 20 days late
    # w.p. .2: alone the 95% quantile is 22 days; the earliest of two arrives in 2 days
    # w.p. 1 - .2 * .2 = .96 >= .95, so the promise is 2 days + 1 of handling
    support = np.array([[[0.0, 20.0], [0.0, 20.0]]])
    mass = np.array([[[0.8, 0.2], [0.8, 0.2]]])

    both = quantile.earliest_restock_days(np.array([[2.0, 2.0]]), support, mass, 0.95)
    one = quantile.earliest_restock_days(
        np.array([[2.0, np.nan]]), support, np.array([[[0.8, 0.2], [0.0, 0.0]]]), 0.95
    )

    assert both.tolist() == [3]
    assert one.tolist() == [23]
