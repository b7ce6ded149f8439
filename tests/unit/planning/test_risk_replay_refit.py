"""The calibration replay's forecast refitted daily (``benchmarks/_risk_replay.
forecast_demand`` with ``refit_every=1``) and its cache of fits (``FitCache``): a day's
figure reads only the sales known at its end, stock-out days reach the fit unobserved,
and a fit is reused only for exactly the same input, so cached and uncached replays
agree."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from unit.planning._benchmark_modules import ample_stock_paths, benchmark_module

HORIZON = 49


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield benchmark_module(monkeypatch, "_risk_replay")
    sys.modules.pop("_risk_replay", None)


class RecordingFit:
    """A forecast that says, for every day ahead, the mean of the last 7 observed days,
    with a std of half that; it keeps every input it was handed."""

    def __init__(self) -> None:
        self.inputs: list[tuple[int, np.ndarray]] = []

    def __call__(self, day: int, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.inputs.append((day, observed.copy()))
        level = np.nan_to_num(np.nanmean(observed[:, -7:], axis=1))
        mean = np.repeat(level[:, None], HORIZON, axis=1)
        return mean, 0.5 * mean


def _series(seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    history = rng.poisson(2.0, (6, 120)).astype(float)
    sales = rng.poisson(2.0, (6, 30)).astype(float)
    return history, sales


def test_a_daily_refit_fits_every_day_on_what_was_known_at_its_end(replay: Any) -> None:
    history, sales = _series()
    fit = RecordingFit()

    mean, var = replay.forecast_demand(
        history, ample_stock_paths(sales), np.full(6, 1000.0), fit, refit_every=1
    )

    assert [day for day, _ in fit.inputs] == list(range(30))
    for day, observed in fit.inputs:
        assert observed.shape == (6, 120 + day + 1)
    # day 10's figure is the fit of day 10: the mean of days 4..10's sales
    assert mean[:, 10] == pytest.approx(sales[:, 4:11].mean(axis=1))
    assert var[:, 10] == pytest.approx((0.5 * sales[:, 4:11].mean(axis=1)) ** 2)


def test_a_day_reads_no_sale_after_it(replay: Any) -> None:
    history, sales = _series()
    first = replay.forecast_demand(
        history, ample_stock_paths(sales), np.full(6, 1000.0), RecordingFit(), refit_every=1
    )[0]
    later = sales.copy()
    later[:, 16:] *= 4.0

    again = replay.forecast_demand(
        history, ample_stock_paths(later), np.full(6, 1000.0), RecordingFit(), refit_every=1
    )[0]

    assert again[:, :16] == pytest.approx(first[:, :16])
    assert not np.allclose(again[:, 16:], first[:, 16:])


def test_stock_out_days_reach_the_fit_unobserved(replay: Any) -> None:
    history, sales = _series()
    out = np.zeros(sales.shape, dtype=bool)
    out[2, 5] = True
    fit = RecordingFit()

    paths = ample_stock_paths(sales, out)
    replay.forecast_demand(history, paths, np.full(6, 1000.0), fit, refit_every=1)

    day, observed = fit.inputs[8]
    assert day == 8
    assert np.isnan(observed[2, 120 + 5])
    assert np.isfinite(observed[:, 120 + 5]).sum() == 5


def test_the_cache_reuses_a_fit_only_for_the_same_input(replay: Any, tmp_path: Path) -> None:
    history, _ = _series()
    fit = RecordingFit()
    cache = replay.FitCache(tag="m5|test", version="v1", directory=tmp_path)
    cached = cache.wrap(fit)

    first = cached(3, history)
    again = cached(3, history.copy())
    changed = history.copy()
    changed[0, -1] = np.nan  # one more day unobserved: another input

    other = cached(3, changed)

    assert len(fit.inputs) == 2
    assert (cache.misses, cache.hits) == (2, 1)
    assert again[0] is first[0]
    assert not np.allclose(other[0], first[0])
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_the_disk_cache_is_read_back_under_the_same_code_only(replay: Any, tmp_path: Path) -> None:
    history, _ = _series()
    made = replay.FitCache(tag="m5|test", version="v1", directory=tmp_path).wrap(RecordingFit())
    first = made(0, history)

    fit = RecordingFit()
    same = replay.FitCache(tag="m5|test", version="v1", directory=tmp_path)
    read = same.wrap(fit)(0, history)
    newer = replay.FitCache(tag="m5|test", version="v2", directory=tmp_path)
    newer.wrap(fit)(0, history)
    elsewhere = replay.FitCache(tag="retail|test", version="v1", directory=tmp_path)
    elsewhere.wrap(fit)(0, history)

    assert (same.hits, same.misses) == (1, 0)
    assert read[0] == pytest.approx(first[0])
    assert read[1] == pytest.approx(first[1])
    assert (newer.hits, elsewhere.hits) == (0, 0)
    assert len(fit.inputs) == 2


def test_a_cached_replay_gives_the_uncached_figures(replay: Any, tmp_path: Path) -> None:
    history, sales = _series()
    out = np.zeros(sales.shape, dtype=bool)
    out[1, 12:15] = True
    cache = replay.FitCache(tag="t", version="v", directory=tmp_path)
    paths = ample_stock_paths(sales, out)
    plain = replay.forecast_demand(
        history, paths, np.full(6, 1000.0), RecordingFit(), refit_every=1
    )

    cold = replay.forecast_demand(
        history, paths, np.full(6, 1000.0), cache.wrap(RecordingFit()), refit_every=1
    )
    warm = replay.forecast_demand(
        history, paths, np.full(6, 1000.0), cache.wrap(RecordingFit()), refit_every=1
    )

    for found in (cold, warm):
        assert found[0] == pytest.approx(plain[0])
        assert found[1] == pytest.approx(plain[1])
    assert (cache.misses, cache.hits) == (30, 30)


def test_the_code_version_follows_the_source_bytes(replay: Any, tmp_path: Path) -> None:
    source = tmp_path / "model.py"
    source.write_text("A = 1\n")
    before = replay.code_version([source])
    source.write_text("A = 2\n")

    assert replay.code_version([source]) != before
