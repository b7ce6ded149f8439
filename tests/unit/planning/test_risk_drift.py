"""``planning.risk.drift``: the band lookup, its validation and JSON form, the shrinkage
of the module docstring's example, and series taken a block at a time giving the same
SKU-origins as all at once."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.risk import drift


def test_a_rate_gets_its_bands_drift_and_the_json_form_round_trips() -> None:
    bands = drift.LevelDrift(np.array([1.0, 5.0]), np.array([0.3, 0.1, 0.02]), np.array([9, 8, 7]))

    found = bands(np.array([0.0, 0.99, 1.0, 4.9, 5.0, 80.0]))

    assert found.tolist() == [0.3, 0.3, 0.1, 0.1, 0.02, 0.02]
    again = drift.LevelDrift.from_json(bands.to_json())
    assert again.to_json() == bands.to_json()


@pytest.mark.parametrize(
    ("edges", "c2", "origins", "reason"),
    [
        ([1.0], [0.1], [1], "one more band than edges"),
        ([], [-0.1], [1], "finite and >= 0"),
        ([2.0, 1.0], [0.1, 0.1, 0.1], [1, 1, 1], "edges must increase"),
    ],
)
def test_a_malformed_drift_is_refused(
    edges: list[float], c2: list[float], origins: list[int], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        drift.LevelDrift(np.array(edges), np.array(c2), np.array(origins, dtype=np.int64))


def test_a_band_is_shrunk_toward_the_prior_as_the_docstring_says() -> None:
    """200 SKU-origins whose own figure is 0.09, 200 pseudo ones at 0.04: 0.065. One
    series alternates a 56-day window at rate m with 14 days at rate f, so every origin
    sees the same (f - m)^2 / m^2 = 0.09 (no noise: constant days within each part)."""
    period = np.concatenate([np.full(56, 10.0), np.full(14, 13.0)])
    history = np.tile(period, (200, 1))  # one origin per series (70 days)

    found = drift.estimate_level_drift(history, bands=1, prior=0.04, prior_origins=200.0)

    assert found.origins.tolist() == [200]
    assert found.c2[0] == pytest.approx(0.065)


def test_series_taken_a_block_at_a_time_give_the_same_origins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(3)
    history = rng.poisson(4.0, size=(25, 200)).astype(np.float64)
    history[3, 50:60] = np.nan
    whole = drift.drift_terms(history)

    monkeypatch.setattr(drift, "CHUNK_SERIES", 7)
    blocks = drift.drift_terms(history)

    np.testing.assert_array_equal(np.sort(blocks.series), np.sort(whole.series))
    order_w = np.lexsort((whole.mean, whole.series))
    order_b = np.lexsort((blocks.mean, blocks.series))
    np.testing.assert_allclose(blocks.excess[order_b], whole.excess[order_w])
    assert 3 in whole.series  # the gap only removes the origins it touches
    assert (whole.series == 3).sum() < (whole.series == 4).sum()
