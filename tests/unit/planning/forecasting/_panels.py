"""Hypothesis strategies for small demand panels with NaNs (shared by the model tests)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

VALUE = st.one_of(
    st.just(float("nan")),
    st.just(0.0),
    st.just(0.0),
    st.integers(1, 20).map(float),
    st.floats(0.0, 50.0, allow_nan=False),
)


@st.composite
def panels(draw: st.DrawFn, max_series: int = 4, max_periods: int = 40) -> np.ndarray:
    """(n_series, n_periods) float64, NaN-rich, some leading NaNs, some all-NaN rows."""
    n_series = draw(st.integers(1, max_series))
    n_periods = draw(st.integers(1, max_periods))
    rows = [draw(st.lists(VALUE, min_size=n_periods, max_size=n_periods)) for _ in range(n_series)]
    y = np.array(rows, dtype=np.float64)
    lead = draw(st.integers(0, n_periods))
    y[0, :lead] = np.nan
    return y


def assert_valid(forecast: np.ndarray, n_series: int, horizon: int) -> None:
    """Shape, no NaN, non-negative."""
    assert forecast.shape == (n_series, horizon)
    assert not np.isnan(forecast).any()
    assert (forecast >= 0).all()
