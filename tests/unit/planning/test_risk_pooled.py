"""``planning.risk.pooled``: the rate and daily variance a risk row reads where the run
pools (ADR 0024): the pooled rate with the forecast's dispersion, the pooling's own
variance where the forecast has no rate or no spread, other rows untouched."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.risk.pooled import pooled_rate_and_variance


def test_the_worked_example_keeps_the_lumps_dispersion_at_the_pooled_rate() -> None:
    mean, var = pooled_rate_and_variance(
        pooled=[True], rate=[0.3], pooled_variance=[0.31], mu=[0.5], sigma2=[6.0]
    )
    assert mean[0] == pytest.approx(0.3)
    assert var[0] == pytest.approx(3.6)  # 6 x 0.3 / 0.5; the Poisson 0.31 is not read


def test_launch_rows_and_rows_without_spread_take_the_poolings_variance() -> None:
    mean, var = pooled_rate_and_variance(
        pooled=[True, True],
        rate=[0.02, 0.04],
        pooled_variance=[0.09, 0.05],
        mu=[0.0, 0.1],
        sigma2=[0.0, 0.0],
    )
    np.testing.assert_allclose(mean, [0.02, 0.04])
    np.testing.assert_allclose(var, [0.09, 0.05])


def test_rows_the_run_does_not_pool_keep_their_forecast() -> None:
    mean, var = pooled_rate_and_variance(
        pooled=[False, True],
        rate=[9.0, 1.0],
        pooled_variance=[np.nan, 1.5],
        mu=[3.0, 2.0],
        sigma2=[2.6, 4.0],
    )
    np.testing.assert_allclose(mean, [3.0, 1.0])
    np.testing.assert_allclose(var, [2.6, 2.0])
