"""Lead-time fits, delivery KPIs and the risk score against plain-Python references."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from stockguard.planning.suppliers import kpis, leadtime, risk


def _fit(
    values: list[float] | np.ndarray, groups: list[int] | np.ndarray, n: int
) -> leadtime.LeadTimeFits:
    return leadtime.fit_lead_times(
        lead_time_days=np.asarray(values, dtype=np.float64),
        group=np.asarray(groups, dtype=np.int64),
        n_groups=n,
    )


def test_worked_example_of_the_docstring_gives_mean_sd_and_interpolated_quantiles() -> None:
    fits = _fit([14, 10, 12], [0, 0, 0], 1)
    assert fits.mean[0] == 12
    assert fits.std[0] == 2
    np.testing.assert_allclose(fits.empirical_quantiles[0], [12, 13.6, 13.8])
    assert fits.family[0] == leadtime.Family.EMPIRICAL  # 3 < min_observations


def test_empirical_quantiles_match_numpy_per_group_whatever_the_order() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(1, 90, size=400).astype(np.float64)
    groups = rng.integers(0, 7, size=400)
    fits = _fit(values, groups, 8)
    for g in range(7):
        expected = np.quantile(values[groups == g], [0.5, 0.9, 0.95])
        np.testing.assert_allclose(fits.empirical_quantiles[g], expected, rtol=1e-12)
    assert fits.count[7] == 0
    assert np.isnan(fits.mean[7])
    assert np.isnan(fits.std[7])


def test_picks_gamma_for_gamma_data_and_lognormal_for_lognormal_data() -> None:
    rng = np.random.default_rng(11)
    gamma = np.round(rng.gamma(6.0, 5.0, size=2000))
    lognormal = np.round(rng.lognormal(3.5, 0.8, size=2000))
    fits = _fit(np.r_[gamma, lognormal], np.r_[np.zeros(2000), np.ones(2000)].astype(int), 2)
    assert list(fits.family) == [leadtime.Family.GAMMA, leadtime.Family.LOGNORMAL]
    assert fits.gamma_shape[0] == pytest.approx(6.0, rel=0.1)
    assert fits.lognormal_mu[1] == pytest.approx(3.5, abs=0.05)
    assert fits.lognormal_sigma[1] == pytest.approx(0.8, rel=0.05)


def test_gamma_fit_matches_scipy_maximum_likelihood() -> None:
    from scipy import stats

    rng = np.random.default_rng(5)
    values = np.round(rng.gamma(3.0, 7.0, size=500)) + 1
    fits = _fit(values, np.zeros(500, dtype=int), 1)
    shape, _, scale = stats.gamma.fit(values, floc=0)
    assert fits.gamma_shape[0] == pytest.approx(shape, rel=1e-4)
    assert fits.gamma_scale[0] == pytest.approx(scale, rel=1e-4)


def test_bimodal_lead_times_fall_back_to_the_empirical_distribution() -> None:
    values = np.r_[np.full(100, 5.0), np.full(100, 60.0)]
    fits = _fit(values, np.zeros(200, dtype=int), 1)
    assert fits.family[0] == leadtime.Family.EMPIRICAL
    assert fits.ks_distance[0] > 1.36 / math.sqrt(200)
    np.testing.assert_allclose(fits.quantiles[0], fits.empirical_quantiles[0])


def test_zero_day_lead_times_are_fitted_as_half_a_day() -> None:
    rng = np.random.default_rng(2)
    values = np.r_[0.0, np.round(rng.gamma(2.0, 3.0, size=300))]
    fits = _fit(values, np.zeros(values.size, dtype=int), 1)
    assert fits.family[0] != leadtime.Family.EMPIRICAL
    assert np.isfinite(fits.gamma_shape[0])


def test_negative_lead_times_keep_the_empirical_distribution() -> None:
    values = np.r_[-1.0, np.arange(1.0, 40.0)]
    fits = _fit(values, np.zeros(values.size, dtype=int), 1)
    assert fits.family[0] == leadtime.Family.EMPIRICAL
    assert np.isnan(fits.gamma_shape[0])


def test_pmf_counts_whole_days_from_the_shortest() -> None:
    first, pmf = leadtime.lead_time_pmf(np.array([3, 5, 5, 4]))
    assert first == 3
    np.testing.assert_allclose(pmf, [0.25, 0.25, 0.5])


def test_delivery_kpis_follow_the_worked_example() -> None:
    found = kpis.delivery_kpis(
        group=np.array([0, 0, 1]),
        n_groups=2,
        delay_days=np.array([2.0, 0.0, np.nan]),
        ordered=np.array([10.0, 10.0, 5.0]),
        received=np.array([10.0, 10.0, 0.0]),
        rejected=np.array([1.0, 0.0, 0.0]),
        unit_price=np.array([11.0, 9.0, 3.0]),
        reference_price=np.array([10.0, 10.0, np.nan]),
    )
    assert found.on_time_rate[0] == 0.5
    assert found.delay_mean[0] == 1.0
    assert found.fill_rate[0] == 1.0
    assert found.rejected_share[0] == 0.05
    assert found.price_variance[0] == pytest.approx(0.0)
    assert np.isnan(found.on_time_rate[1])
    assert found.fill_rate[1] == 0.0
    assert np.isnan(found.rejected_share[1])
    assert np.isnan(found.price_variance[1])
    assert list(found.spend) == [200.0, 15.0]


def test_risk_score_is_the_weighted_mean_with_defaults_for_unknowns() -> None:
    scores = risk.risk_scores(
        components=np.array([[0.5, np.nan], [1.0, 1.0]]),
        weights=np.array([3.0, 1.0]),
        unknown_value=np.array([0.0, 0.2]),
    )
    np.testing.assert_allclose(scores.score, [0.425, 1.0])
    np.testing.assert_allclose(scores.contributions.sum(axis=1), scores.score)
    assert scores.known.tolist() == [[True, False], [True, True]]


def test_capacity_risk_is_zero_below_the_knee_and_one_at_full_capacity() -> None:
    found = risk.capacity_risk(np.array([0.5, 0.85, 1.0, 1.2, np.nan]), knee=0.7)
    np.testing.assert_allclose(found[:4], [0.0, 0.5, 1.0, 1.0])
    assert np.isnan(found[4])


def test_on_time_rate_matches_a_scalar_reference() -> None:
    rng = np.random.default_rng(9)
    delay = rng.integers(-5, 6, size=300).astype(float)
    group = rng.integers(0, 4, size=300)
    ones = np.ones(300)
    found = kpis.delivery_kpis(
        group=group, n_groups=4, delay_days=delay, ordered=ones, received=ones,
        rejected=0 * ones, unit_price=ones, reference_price=ones,
    )  # fmt: skip
    for g in range(4):
        mine = [d for d, h in zip(delay, group, strict=True) if h == g]
        assert found.on_time_rate[g] == pytest.approx(sum(d <= 0 for d in mine) / len(mine))
        assert found.delay_mean[g] == pytest.approx(statistics.fmean(mine))
