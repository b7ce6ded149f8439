"""Service targets calibrated from a replayed curve of nominal vs achieved levels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning import simulation as sim

NOMINAL = [0.80, 0.90, 0.95]


def test_the_docstring_example_interpolates_between_grid_levels() -> None:
    level = sim.calibrated_service_levels(
        nominal=NOMINAL, achieved=[0.88, 0.94, 0.97], targets=[0.95]
    )
    np.testing.assert_allclose(level, [0.90 + 0.05 / 3])


def test_targets_outside_the_curve_take_the_grid_ends() -> None:
    level = sim.calibrated_service_levels(
        nominal=NOMINAL, achieved=[0.88, 0.94, 0.97], targets=[0.5, 0.99]
    )
    np.testing.assert_allclose(level, [0.80, 0.95])


def test_a_dip_in_the_curve_is_read_as_a_plateau_and_its_lowest_level_is_taken() -> None:
    level = sim.calibrated_service_levels(
        nominal=[0.8, 0.9, 0.95, 0.99], achieved=[0.90, 0.93, 0.92, 0.97], targets=[0.93]
    )
    np.testing.assert_allclose(level, [0.90])


def test_invalid_curves_are_refused() -> None:
    with pytest.raises(ValueError, match="strictly increasing"):
        sim.calibrated_service_levels(nominal=[0.9, 0.9], achieved=[0.8, 0.9], targets=0.9)
    with pytest.raises(ValueError, match="expected two"):
        sim.calibrated_service_levels(nominal=[0.9, 0.95], achieved=[0.8], targets=0.9)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=2, max_size=8, unique=True),
    st.lists(st.floats(0.0, 1.0), min_size=8, max_size=8),
    st.floats(0.0, 1.0),
)
def test_the_calibrated_level_achieves_the_target_on_the_interpolated_curve(
    levels: list[float], achieved: list[float], target: float
) -> None:
    nominal = np.sort(np.array(levels))
    reached = np.maximum.accumulate(np.array(achieved[: nominal.size]))
    level = sim.calibrated_service_levels(nominal=nominal, achieved=reached, targets=[target])[0]
    assert nominal[0] <= level <= nominal[-1]
    if reached[0] < target <= reached[-1]:
        # the piecewise-linear curve through the grid reaches the target at that level
        assert np.interp(level, nominal, reached) >= target - 1e-9
