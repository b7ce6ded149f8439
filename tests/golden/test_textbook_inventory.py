"""Textbook instances for the inventory kernels, matched to 1e-6.

Sources and how each expected value was obtained:

* Snyder & Shen, "Fundamentals of Supply Chain Theory", 2nd ed. (2019). The printed
  answers of its examples are rounded; the full-precision values quoted here are the
  doctest outputs of stockpyl (L. Snyder's companion library, github.com/LarrySnyder/
  stockpyl, modules ``eoq``, ``newsvendor`` and ``rq``), which solve the same examples.
  Each test also recomputes the value from the book's inputs with the closed form (and
  scipy.stats), so the tolerance check does not rest on a copied number alone.
* Silver, Pyke & Thomas, "Inventory and Production Management in Supply Chains", 4th ed.
  (2017), ch. 6: the fill-rate equation ``sigma_L G(k) = (1 - P2) Q`` and the periodic
  review order-up-to level. Their printed examples could not be checked here, so these
  cases use our own inputs and an independent scipy computation (brentq on
  ``stats.norm``), as stated in each test.
* Negative binomial and Poisson fill rates: no verified book figure; the expected values
  come from scipy.stats distribution functions and explicit sums, as stated.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from stockguard.planning.inventory import discrete, policies, safety_stock
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.safety_stock import ServiceMeasure

TOLERANCE = 1e-6

# Snyder & Shen's running (r,Q) instance (Examples 3.1, 5.2-5.6), time unit = one year.
FIXED_COST = 8.0  # K, $ per order
HOLDING_COST = 0.225  # h, $ per unit per year
STOCKOUT_COST = 7.5  # p, $ per unit backordered per year
DEMAND_RATE = 1300.0  # lambda, units per year
DEMAND_STD = 150.0  # tau, units per sqrt(year)
LEAD_TIME = 1.0 / 12.0  # L, years


def test_eoq_of_snyder_shen_example_3_1() -> None:
    # Example 3.1: K = 8, h = 0.225, lambda = 1300; Q* = sqrt(2 K lambda / h).
    # stockpyl eoq.economic_order_quantity(8, 0.225, 1300) -> 304.0467800264368.
    closed_form = math.sqrt(2 * FIXED_COST * DEMAND_RATE / HOLDING_COST)
    quantity = policies.economic_order_quantity(
        annual_demand=DEMAND_RATE, ordering_cost=FIXED_COST, holding_cost=HOLDING_COST
    )
    assert float(quantity) == pytest.approx(closed_form, abs=TOLERANCE)
    assert float(quantity) == pytest.approx(304.0467800264368, abs=TOLERANCE)


def test_newsvendor_critical_fractile_of_snyder_shen_example_4_3() -> None:
    # Example 4.3: h = 0.18, p = 0.70, D ~ N(50, 8^2); S* = mu + sigma Phi^-1(p / (p + h)).
    # stockpyl newsvendor.newsvendor_normal(0.18, 0.70, 50, 8) -> S* = 56.60395592743389.
    fractile = 0.70 / (0.70 + 0.18)
    closed_form = 50.0 + 8.0 * stats.norm.ppf(fractile)
    result = safety_stock.normal_safety_stock(
        service_level=[fractile], lead_time_demand_mean=[50.0], lead_time_demand_std=[8.0]
    )
    assert result.reorder_point[0] == pytest.approx(closed_form, abs=TOLERANCE)
    assert result.reorder_point[0] == pytest.approx(56.60395592743389, abs=TOLERANCE)


def test_reorder_point_and_eoq_of_snyder_shen_example_5_5() -> None:
    # Example 5.5 (EOQ + safety stock approximation of the (r,Q) policy): Q = EOQ and
    # r = mu_L + z_alpha sigma_L, alpha = p / (p + h), mu_L = lambda L,
    # sigma_L = tau sqrt(L). stockpyl rq.r_q_eoqss_approximation(0.225, 7.5, 8, 1300,
    # 150, 1/12) -> (190.3369965715624, 304.0467800264368).
    alpha = STOCKOUT_COST / (STOCKOUT_COST + HOLDING_COST)
    closed_form = DEMAND_RATE * LEAD_TIME + stats.norm.ppf(alpha) * DEMAND_STD * math.sqrt(
        LEAD_TIME
    )
    table = policies.compute_policies(
        kind=np.array([PolicyKind.REORDER_POINT_EOQ]),
        demand_mean=[DEMAND_RATE],
        demand_std=[DEMAND_STD],
        lead_time_mean=[LEAD_TIME],
        service_level=[alpha],
        ordering_cost=[FIXED_COST],
        holding_cost=[HOLDING_COST],
        days_per_year=1.0,  # the time unit of this instance is the year
    )
    assert table.reorder_point[0] == pytest.approx(closed_form, abs=TOLERANCE)
    assert table.reorder_point[0] == pytest.approx(190.3369965715624, abs=TOLERANCE)
    assert table.order_quantity[0] == pytest.approx(304.0467800264368, abs=TOLERANCE)
    assert table.order_up_to[0] == pytest.approx(190.3369965715624 + 304.0467800264368)


def test_loss_function_reorder_point_of_snyder_shen_example_5_6() -> None:
    # Example 5.6 (loss-function approximation): at its solution r solves
    # n(r) = sigma_L G((r - mu_L) / sigma_L) = h Q / (h + p), the fill-rate equation
    # with P2 = p / (h + p). stockpyl rq.r_q_loss_function_approximation(0.225, 7.5, 8,
    # 1300, 150, 1/12) -> (r, Q) = (126.8670634479628, 328.4491421980451); its iteration
    # stops at a 1e-6 tolerance, so r is matched to 1e-6 at that Q.
    order_quantity = 328.4491421980451
    mean, std = DEMAND_RATE * LEAD_TIME, DEMAND_STD * math.sqrt(LEAD_TIME)
    target = HOLDING_COST * order_quantity / (HOLDING_COST + STOCKOUT_COST)
    closed_form = optimize.brentq(
        lambda r: (
            std * stats.norm.pdf((r - mean) / std)
            - (r - mean) * stats.norm.sf((r - mean) / std)
            - target
        ),
        mean - 5 * std,
        mean + 5 * std,
        xtol=1e-12,
    )
    table = policies.compute_policies(
        kind=np.array([PolicyKind.REORDER_POINT_FIXED_QUANTITY]),
        demand_mean=[DEMAND_RATE],
        demand_std=[DEMAND_STD],
        lead_time_mean=[LEAD_TIME],
        service_level=[STOCKOUT_COST / (STOCKOUT_COST + HOLDING_COST)],
        service_measure=ServiceMeasure.FILL_RATE,
        fixed_order_quantity=[order_quantity],
        days_per_year=1.0,
    )
    assert table.reorder_point[0] == pytest.approx(closed_form, abs=TOLERANCE)
    assert table.reorder_point[0] == pytest.approx(126.8670634479628, abs=TOLERANCE)


def test_fill_rate_safety_factor_solves_the_normal_loss_equation() -> None:
    # SPT ch. 6 fill-rate (P2) rule: sigma_L G(k) = (1 - P2) Q. Our inputs (not a book
    # figure): d = 10/day, sigma_d = 3, L = 4 days, sigma_LT = 1 day, so
    # sigma_L = sqrt(4 * 9 + 100 * 1); Q = 200, P2 = 0.98. Expected k by brentq on
    # scipy's normal pdf and survival function.
    sigma = math.sqrt(4 * 9 + 100 * 1)
    target = (1 - 0.98) * 200.0 / sigma
    k = optimize.brentq(
        lambda x: stats.norm.pdf(x) - x * stats.norm.sf(x) - target, -5, 5, xtol=1e-14
    )
    table = policies.compute_policies(
        kind=np.array([PolicyKind.REORDER_POINT_FIXED_QUANTITY]),
        demand_mean=[10.0],
        demand_std=[3.0],
        lead_time_mean=[4.0],
        lead_time_std=[1.0],
        service_level=[0.98],
        service_measure=ServiceMeasure.FILL_RATE,
        fixed_order_quantity=[200.0],
    )
    assert table.safety_factor[0] == pytest.approx(k, abs=TOLERANCE)
    assert table.safety_stock[0] == pytest.approx(k * sigma, abs=TOLERANCE)
    assert table.reorder_point[0] == pytest.approx(40.0 + k * sigma, abs=TOLERANCE)


def test_periodic_review_order_up_to_level_covers_review_plus_lead_time() -> None:
    # SPT ch. 6 (R,S): S = d (R + L) + k sigma_{R+L}, sigma_{R+L}^2 = (R + L) sigma_d^2
    # + d^2 sigma_LT^2. Our inputs (not a book figure): d = 20/day, sigma_d = 6, R = 7,
    # L = 5, sigma_LT = 1.5, CSL 0.95; expected value from scipy's normal quantile.
    sigma = math.sqrt(12 * 36 + 400 * 1.5**2)
    expected = 20 * 12 + stats.norm.ppf(0.95) * sigma
    table = policies.compute_policies(
        kind=np.array([PolicyKind.PERIODIC_ORDER_UP_TO]),
        demand_mean=[20.0],
        demand_std=[6.0],
        lead_time_mean=[5.0],
        lead_time_std=[1.5],
        service_level=[0.95],
        review_period=[7.0],
    )
    assert table.order_up_to[0] == pytest.approx(expected, abs=TOLERANCE)


def test_poisson_newsvendor_on_snyder_shen_example_4_3_costs() -> None:
    # The costs of Example 4.3 (h = 0.18, p = 0.70) with Poisson(50) demand: S* is the
    # smallest S with F(S) >= p / (p + h). stockpyl newsvendor.newsvendor_poisson(0.18,
    # 0.70, 50) -> S* = 56.0. Recomputed by walking scipy's Poisson cdf.
    fractile = 0.70 / 0.88
    walked = next(s for s in range(200) if stats.poisson.cdf(s, 50.0) >= fractile)
    result = discrete.poisson_safety_stock(service_level=[fractile], lead_time_demand_mean=[50.0])
    assert result.reorder_point[0] == walked == 56


def test_negative_binomial_cycle_service_and_fill_rate_points() -> None:
    # No verified book figure: lead-time demand with mean 4 and variance 8 is NB(r = 4,
    # p = 0.5). CSL 0.9: smallest s with F(s) >= 0.9 from scipy's nbinom cdf. Fill rate
    # 0.95 with Q = 10: smallest s whose expected shortage sum_{x > s} (x - s) p(x) is at
    # most 0.5, summed explicitly over x < 200.
    distribution = stats.nbinom(4, 0.5)
    csl_point = next(s for s in range(100) if distribution.cdf(s) >= 0.9)
    x = np.arange(200)

    def shortage(s: int) -> float:
        return float(np.sum(np.maximum(x - s, 0) * distribution.pmf(x)))

    fill_point = next(s for s in range(100) if shortage(s) <= 0.05 * 10)
    result = discrete.negative_binomial_safety_stock(
        service_level=[0.9, 0.95],
        lead_time_demand_mean=[4.0, 4.0],
        lead_time_demand_std=[math.sqrt(8.0)] * 2,
        service_measure=[ServiceMeasure.CYCLE_SERVICE_LEVEL, ServiceMeasure.FILL_RATE],
        order_quantity=[10.0, 10.0],
    )
    np.testing.assert_allclose(result.reorder_point, [csl_point, fill_point], atol=TOLERANCE)
    shortages = discrete.negative_binomial_expected_shortage(
        successes=4.0, probability=0.5, reorder_point=np.arange(12.0)
    )
    np.testing.assert_allclose(shortages, [shortage(s) for s in range(12)], atol=1e-12)


def test_poisson_expected_shortage_closed_form_equals_the_explicit_sum() -> None:
    # (mu - s)(1 - F(s)) + mu p(s) against sum_{x > s} (x - s) p(x), mu = 2 and mu = 7.5.
    x = np.arange(300)
    for mean in (2.0, 7.5):
        explicit = [
            float(np.sum(np.maximum(x - s, 0) * stats.poisson.pmf(x, mean))) for s in range(15)
        ]
        closed = discrete.poisson_expected_shortage(mean=mean, reorder_point=np.arange(15.0))
        np.testing.assert_allclose(closed, explicit, atol=1e-12)
