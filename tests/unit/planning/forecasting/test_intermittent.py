from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from stockguard.planning.forecasting.intermittent import (
    ADIDA,
    IMAPA,
    TSB,
    TSB_ALPHAS,
    Croston,
    CrostonSBA,
    CumulativeDemand,
    aggregate_means,
)
from unit.planning.forecasting._panels import assert_valid, panels
from unit.planning.forecasting.test_smoothing import ref_ses, ref_ses_alpha

H = 5


def ref_croston(row: list[float], alpha: float) -> tuple[float, float]:
    size = interval = math.nan
    counter = 0.0
    for v in row:
        if math.isnan(v):
            continue
        counter += 1
        if v > 0:
            if math.isnan(size):
                size, interval = v, counter
            else:
                size = size + alpha * (v - size)
                interval = interval + alpha * (counter - interval)
            counter = 0.0
    return size, interval


def ref_tsb(row: list[float], alpha_d: float, alpha_p: float) -> tuple[float, float]:
    prob = size = math.nan
    sse = 0.0
    for v in row:
        if math.isnan(v):
            continue
        fc = prob * size
        err = v - (0.0 if math.isnan(fc) else fc)
        sse += err * err
        d = 1.0 if v > 0 else 0.0
        prob = d if math.isnan(prob) else prob + alpha_p * (d - prob)
        if v > 0:
            size = v if math.isnan(size) else size + alpha_d * (v - size)
    return prob * size, sse


def ref_tsb_optimised(row: list[float]) -> float:
    p = {"alpha_d": 0.1, "alpha_p": 0.1}
    for name in ("alpha_p", "alpha_d"):
        values = TSB_ALPHAS.tolist()
        sse = [ref_tsb(row, **{**p, name: v})[1] for v in values]
        p[name] = values[min(range(len(sse)), key=sse.__getitem__)]
    return ref_tsb(row, **p)[0]


def ref_level(row: list[float]) -> int:
    observed = [v for v in row if not math.isnan(v)]
    intervals, gap = [], 0
    for v in observed:
        gap += 1
        if v > 0:
            intervals.append(gap)
            gap = 0
    return max(round(sum(intervals) / len(intervals)), 1) if intervals else 0


def ref_aggregated_ses(row: list[float], k: int) -> float:
    cut = row[len(row) % k :]
    buckets = []
    for i in range(0, len(cut), k):
        obs = [v for v in cut[i : i + k] if not math.isnan(v)]
        buckets.append(sum(obs) / len(obs) if obs else math.nan)
    return ref_ses(buckets, ref_ses_alpha(buckets))[0]


def ref_adida(row: list[float]) -> float:
    k = ref_level(row)
    return 0.0 if k == 0 else ref_aggregated_ses(row, k)


def ref_imapa(row: list[float]) -> float:
    k_max = ref_level(row)
    if k_max == 0:
        return 0.0
    levels = [ref_aggregated_ses(row, k) for k in range(1, k_max + 1)]
    return sum(0.0 if math.isnan(v) else v for v in levels) / k_max


def clean(value: float) -> float:
    return 0.0 if math.isnan(value) else max(value, 0.0)


@settings(max_examples=60, deadline=None)
@given(panels())
def test_croston_family_equals_scalar_reference(y: np.ndarray) -> None:
    rows = y.tolist()
    croston = [ref_croston(r, 0.2) for r in rows]
    cases = [
        (Croston(alpha=0.2), [clean(z / p) for z, p in croston]),
        (CrostonSBA(alpha=0.2), [clean(0.9 * z / p) for z, p in croston]),
        (TSB(alpha_d=0.2, alpha_p=0.3), [clean(ref_tsb(r, 0.2, 0.3)[0]) for r in rows]),
        (TSB(alpha_d=None, alpha_p=None), [clean(ref_tsb_optimised(r)) for r in rows]),
    ]
    for model, expected in cases:
        out = model.forecast(y, H)
        assert_valid(out, y.shape[0], H)
        np.testing.assert_allclose(out, np.repeat(np.array(expected)[:, None], H, 1), rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(panels(max_periods=30))
def test_adida_and_imapa_equal_scalar_reference(y: np.ndarray) -> None:
    rows = y.tolist()
    for model, ref in ((ADIDA(), ref_adida), (IMAPA(), ref_imapa)):
        out = model.forecast(y, H)
        assert_valid(out, y.shape[0], H)
        expected = [clean(ref(r)) for r in rows]
        np.testing.assert_allclose(out[:, 0], expected, rtol=1e-9, atol=1e-12)


def test_croston_hand_computed_example_ignores_nan() -> None:
    # demands 3 (q=2), 5 (q=3), 2 (q=2); NaN counts neither as demand nor zero.
    # z: 3 -> 3.2 -> 3.08; p: 2 -> 2.1 -> 2.09
    y = np.array([[0.0, 3.0, 0.0, np.nan, 0.0, 5.0, 0.0, 2.0]])
    np.testing.assert_allclose(Croston().forecast(y, 2), [[3.08 / 2.09] * 2], rtol=1e-12)
    np.testing.assert_allclose(CrostonSBA().forecast(y, 1), [[0.95 * 3.08 / 2.09]], rtol=1e-12)


def test_tsb_hand_computed_example() -> None:
    y = np.array([[0.0, 4.0, np.nan, 0.0]])
    # p: 0 -> 0.1 -> 0.09; z: 4
    np.testing.assert_allclose(TSB().forecast(y, 1), [[0.36]], rtol=1e-12)


def test_aggregate_means_aligns_buckets_to_the_end() -> None:
    y = np.array([[9.0, 1.0, 3.0, np.nan, np.nan, np.nan, np.nan]])
    np.testing.assert_allclose(aggregate_means(y=y, level=3), [[2.0, np.nan]])


@settings(max_examples=40, deadline=None)
@given(panels(max_periods=30))
def test_running_totals_give_the_same_bucket_means_for_integer_demand(y: np.ndarray) -> None:
    counts = np.floor(y)
    cumulative = CumulativeDemand.exact(counts)
    assert cumulative is not None
    rows = np.arange(counts.shape[0])
    for level in range(1, counts.shape[1] + 1):
        np.testing.assert_array_equal(
            cumulative.bucket_means(rows=rows, level=level),
            aggregate_means(y=counts, level=level),
        )


def test_running_totals_are_refused_when_they_would_not_be_exact() -> None:
    assert CumulativeDemand.exact(np.array([[1.0, 2.5]])) is None
    assert CumulativeDemand.exact(np.array([[2.0**52, 2.0**52]])) is None


def test_adida_of_regular_demand_is_its_rate() -> None:
    y = np.tile([0.0, 0.0, 6.0], 10)[None, :]
    np.testing.assert_allclose(ADIDA().forecast(y, 1), [[2.0]], rtol=1e-12)
    # levels 1..3: SES of 0,0,6 series -> varies, level 3 -> 2.0 exactly
    assert IMAPA().forecast(y, 1)[0, 0] == pytest.approx(
        (ref_aggregated_ses(y[0].tolist(), 1) + ref_aggregated_ses(y[0].tolist(), 2) + 2.0) / 3
    )


@pytest.mark.parametrize(
    "model", [Croston(), CrostonSBA(), TSB(), TSB(None, None), ADIDA(), IMAPA()]
)
def test_no_demand_forecasts_zero(model: Croston) -> None:
    y = np.array([[np.nan] * 8, [0.0, np.nan] * 4, [1.0] * 8])
    out = model.forecast(y, 3)
    np.testing.assert_array_equal(out[:2], 0.0)
    assert (out[2] > 0).all()
    assert_valid(model.forecast(np.empty((3, 0)), 3), 3, 3)


def test_alpha_range_bounds_the_smoothing_of_adida_imapa_and_horizon_adida() -> None:
    """A level shift: the SSE falls as alpha grows, so the search ends at the top of
    its range, 0.99 by default and 0.3 within statsforecast's [0.1, 0.3]."""
    from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA

    row = [1.0] * 10 + [10.0] * 10
    y = np.array([row])
    bounded = ref_ses(row, 0.3)[0]
    assert ref_ses_alpha(row) == pytest.approx(0.99)
    for model in (ADIDA((0.1, 0.3)), IMAPA((0.1, 0.3)), HorizonADIDA(1, (0.1, 0.3))):
        np.testing.assert_allclose(model.forecast(y, 2), [[bounded, bounded]], rtol=1e-12)
    np.testing.assert_allclose(ADIDA().forecast(y, 1), [[ref_ses(row, 0.99)[0]]], rtol=1e-12)


@pytest.mark.parametrize("alpha_range", [(0.0, 0.3), (0.3, 0.1), (0.1, 1.0)])
def test_an_alpha_range_outside_0_1_is_refused(alpha_range: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="alpha_range must satisfy"):
        ADIDA(alpha_range).forecast(np.ones((1, 12)), 3)
