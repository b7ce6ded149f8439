"""The compiled ETS(A,N,A) search equals the numpy one of ``seasonal``, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.forecasting import _seasonal_kernels, seasonal
from unit.planning.forecasting._panels import panels

GRIDS = (seasonal.ALPHAS, seasonal.GAMMAS)


def compiled_search(y: np.ndarray, cuts: list[int], m: int) -> tuple[np.ndarray, np.ndarray]:
    init = np.stack(
        [seasonal.position_profile(y=y[:, :cut], season_length=m) for cut in cuts], axis=1
    )
    return _seasonal_kernels.seasonal_search(
        np.ascontiguousarray(y), GRIDS, seasonal.START_GAMMA, init, np.array(cuts)
    )


@settings(max_examples=40, deadline=None)
@given(panels(max_series=12, max_periods=40), st.integers(1, 7), st.data())
def test_compiled_search_equals_the_numpy_search_at_every_origin(
    y: np.ndarray, m: int, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(0, y.shape[1]), min_size=1, max_size=3)))
    params, state = compiled_search(y, cuts, m)
    for w, cut in enumerate(cuts):
        expected = seasonal.seasonal_search(y=y[:, :cut], season_length=m)
        np.testing.assert_array_equal(params[:, w, 0], expected.alpha)
        np.testing.assert_array_equal(params[:, w, 1], expected.gamma)
        np.testing.assert_array_equal(state[:, w, 0], expected.level)
        np.testing.assert_array_equal(state[:, w, 1:], expected.season)
