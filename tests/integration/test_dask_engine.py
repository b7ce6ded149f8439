"""Block forecasts on a Dask LocalCluster equal the in-process ones, bit for bit.

One cluster (2 worker processes, 1 thread each) serves the module. It needs the
``distributed`` extra; the tests are skipped with a message when it is not installed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stockguard.adapters.distributed import DaskEngine, LocalEngine
from stockguard.entrypoints.cli.main import app
from stockguard.planning.forecasting.base import FloatArray
from stockguard.services.forecasting import partition

pytest.importorskip(
    "distributed",
    reason="dask.distributed is not installed: pip install -e '.[distributed]' to run these",
)

pytestmark = pytest.mark.slow

N_SERIES, N_PERIODS, HORIZON, BLOCK_SIZE = 600, 200, 14, 150
PARAMS = partition.ForecastParams(season_length=7, n_windows=3)


@pytest.fixture(scope="module")
def dask_engine() -> Iterator[DaskEngine]:
    # dashboard_address=":0": a free port, so a busy 8787 cannot raise distributed's
    # "Port 8787 is already in use" UserWarning (an error under filterwarnings=error).
    with DaskEngine(None, n_workers=2, threads_per_worker=1, dashboard_address=":0") as engine:
        yield engine


def _panel() -> FloatArray:
    """Smooth, intermittent and seasonal series with 5% unobserved (stock-out) days."""
    rng = np.random.default_rng(20260901)
    rates = rng.gamma(0.7, 5.0, size=(N_SERIES, 1))
    weekly = 1.0 + 0.5 * (np.arange(N_PERIODS) % 7 >= 5)
    y = rng.poisson(rates * weekly, size=(N_SERIES, N_PERIODS)).astype(np.float64)
    y[rng.random(y.shape) < 0.05] = np.nan
    y[:10, :-5] = np.nan  # ten young series take the fallback path
    return y


def test_dask_and_local_engines_give_bit_identical_forecasts(dask_engine: DaskEngine) -> None:
    y = _panel()
    local = partition.forecast_blocks(
        y, HORIZON, block_size=BLOCK_SIZE, engine=LocalEngine(), params=PARAMS
    )
    remote = partition.forecast_blocks(
        y, HORIZON, block_size=BLOCK_SIZE, engine=dask_engine, params=PARAMS
    )
    assert remote.mean.shape == (N_SERIES, HORIZON)
    np.testing.assert_array_equal(remote.mean, local.mean)
    np.testing.assert_array_equal(remote.levels, local.levels)
    np.testing.assert_array_equal(remote.quantiles, local.quantiles)
    assert remote.model == local.model
    assert len(set(remote.model)) > 3  # a real mix of models, not one alias everywhere


def test_the_cli_writes_the_same_file_on_a_dask_scheduler_as_in_process(
    dask_engine: DaskEngine, tmp_path: Path
) -> None:
    history = tmp_path / "long.csv"
    _write_long(history, _panel()[:40])
    outputs = {name: tmp_path / f"{name}.csv" for name in ("local", "dask")}
    common = ["forecast", "-i", str(history), "--horizon", "7", "--block-size", "15"]
    local = CliRunner().invoke(app, [*common, "-o", str(outputs["local"])])
    scheduler = ["--engine", "dask", "--scheduler", dask_engine.scheduler_address]
    remote = CliRunner().invoke(app, [*common, "-o", str(outputs["dask"]), *scheduler])
    assert local.exit_code == 0, local.stderr
    assert remote.exit_code == 0, remote.stderr
    assert f"Dask scheduler {dask_engine.scheduler_address}; dashboard: http" in remote.stdout
    assert "Drivers model GlobalGBM" in remote.stdout  # 40 series: on by default, in-process
    assert outputs["dask"].read_bytes() == outputs["local"].read_bytes()
    with outputs["dask"].open(encoding="utf-8", newline="") as stream:
        assert sum(1 for _ in csv.reader(stream)) == 1 + 40 * 7


def _write_long(path: Path, y: FloatArray) -> None:
    first = date(2026, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["unique_id", "ds", "y"])
        for series, row in enumerate(y):
            for day, value in enumerate(row):
                cell = "" if np.isnan(value) else str(int(value))
                writer.writerow([f"SKU-{series:03d}", first + timedelta(days=day), cell])
