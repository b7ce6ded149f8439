"""Wave sizes and the waiting-subscribers regressor (pure functions)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from stockguard.services.waves.ports import WaveSettings
from stockguard.services.waves.views import WaitingSpan, waiting_regressor
from stockguard.services.waves.waves import wave_size

D0 = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("available", "factor", "expected"),
    [(30, 2.0, 60), (20, 2.0, 40), (3, 0.2, 1), (1, 1.5, 1), (7, 1.5, 10)],
)
def test_a_wave_is_floor_of_available_times_factor_and_at_least_one(
    available: int, factor: float, expected: int
) -> None:
    assert wave_size(available, factor) == expected


def test_settings_refuse_a_factor_that_would_tell_nobody() -> None:
    with pytest.raises(ValueError, match="factor must be > 0"):
        WaveSettings(factor=0)


def test_regressor_counts_who_waited_each_day_and_holds_today_over_the_horizon() -> None:
    spans = [
        WaitingSpan("A", date(2026, 10, 20), None),  # before the window: counted from day 0
        WaitingSpan("A", date(2026, 11, 2), date(2026, 11, 3)),  # one day
        WaitingSpan("B", date(2026, 11, 3), None),
        WaitingSpan("Z", date(2026, 11, 1), None),  # not a series: ignored
    ]
    grid = waiting_regressor(spans, ["A", "B", "A"], D0, n_days=4, horizon=2)
    np.testing.assert_array_equal(
        grid,
        [[1, 2, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1], [1, 2, 1, 1, 1, 1]],
    )
