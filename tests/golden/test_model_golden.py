"""Golden values: every registered model's forecast on a fixed seeded panel.

The stored forecasts (``model_forecasts.npz``) were computed once by the reference numpy
implementation. Any change in a model's numbers (a rewritten kernel, a new default) fails
here and must be either fixed or accepted on purpose by regenerating the file:

    STOCKGUARD_REGENERATE_GOLDEN=1 pytest tests/golden

The panel mixes smooth, intermittent and lumpy series, unobserved (NaN) days, a series
that starts late, an all-zero series and an all-NaN series.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from stockguard.planning.forecasting.models import MODELS

GOLDEN = Path(__file__).with_name("model_forecasts.npz")
HORIZON = 14
REGENERATE = os.environ.get("STOCKGUARD_REGENERATE_GOLDEN") == "1"


def seeded_panel() -> np.ndarray:
    """(12, 180) units per day with the awkward cases listed in the module docstring."""
    rng = np.random.default_rng(20_261_124)
    n_series, n_periods = 12, 180
    weekly = 1.0 + 0.4 * np.sin(2 * np.pi * np.arange(n_periods) / 7)
    occurrence = np.linspace(0.15, 0.95, n_series)[:, None] * np.minimum(weekly, 1.0)
    sizes = rng.negative_binomial(2, 0.3, size=(n_series, n_periods)) + 1
    y = np.where(rng.random((n_series, n_periods)) < occurrence, sizes, 0).astype(np.float64)
    y[rng.random((n_series, n_periods)) < 0.05] = np.nan
    y[3, :120] = np.nan
    y[4, 100:130] = np.nan
    y[10] = 0.0
    y[11] = np.nan
    return y


def compute() -> dict[str, np.ndarray]:
    y = seeded_panel()
    return {alias: MODELS[alias]().forecast(y, HORIZON) for alias in sorted(MODELS)}


@pytest.mark.skipif(REGENERATE, reason="regenerating the golden file")
@pytest.mark.parametrize("alias", sorted(MODELS))
def test_model_matches_its_golden_forecast(alias: str) -> None:
    stored = np.load(GOLDEN)
    assert alias in stored.files, f"{alias} has no golden forecast; regenerate the file"
    got = MODELS[alias]().forecast(seeded_panel(), HORIZON)
    np.testing.assert_allclose(got, stored[alias], rtol=1e-9, atol=1e-9)


def test_every_golden_model_is_still_registered() -> None:
    if REGENERATE:
        np.savez_compressed(GOLDEN, **compute())  # type: ignore[arg-type]  # allow_pickle: bool
    assert sorted(np.load(GOLDEN).files) == sorted(MODELS)
