"""``stockguard forecast``: forecast a long CSV of daily demand into a long CSV of quantiles.

Needs no database. Formats and method: docs/forecasting.md.
"""

from __future__ import annotations

import contextlib
import enum
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, TextIO, TypeVar

import typer

from stockguard.adapters import distributed
from stockguard.entrypoints.cli.context import console, err_console, fail
from stockguard.services.forecasting import long_format, partition, run
from stockguard.services.importing.problems import ImportRejected

T = TypeVar("T")
COMBINATION_PREFIX = "combo("

InputFile = Annotated[
    Path,
    typer.Option(
        "--input",
        "-i",
        help="History: long CSV with unique_id, ds (YYYY-MM-DD), y (units, empty = unobserved) "
        "and optional numeric regressor columns.",
    ),
]
Horizon = Annotated[int, typer.Option("--horizon", help="Days to forecast after the last ds.")]
OutputFile = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="Where to write unique_id, ds, mean, p50, p80, p90, p95, p99, model.",
    ),
]
Season = Annotated[int, typer.Option("--season", help="Season length in days (7 = weekly).")]
FutureFile = Annotated[
    Path | None,
    typer.Option(
        "--future",
        help="Regressor values over the horizon (unique_id, ds + the history's regressor "
        "columns). Checked, but not used by this version's models.",
    ),
]
Windows = Annotated[
    int, typer.Option("--windows", help="Backtest windows used to choose the model per series.")
]


class EngineName(enum.StrEnum):
    LOCAL = "local"
    DASK = "dask"


EngineOption = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        help="Where the blocks of series run: in this process (local) or on Dask (dask; "
        "needs the 'distributed' extra). Same numbers for the same --block-size.",
    ),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler address (tcp://host:8786); without it, --engine dask starts "
        "a local cluster of 2 worker processes.",
    ),
]
BlockSize = Annotated[
    int,
    typer.Option(
        "--block-size",
        help="Most series per block; conformal quantiles pool residuals within a block.",
    ),
]


def forecast(
    input_file: InputFile,
    horizon: Horizon,
    output: OutputFile,
    season: Season = 7,
    future: FutureFile = None,
    windows: Windows = 3,
    engine: EngineOption = EngineName.LOCAL,
    scheduler: Scheduler = None,
    block_size: BlockSize = partition.DEFAULT_BLOCK_SIZE,
) -> None:
    """Forecast daily demand per series, with quantiles, from a long CSV file."""
    started = time.perf_counter()
    _check_options(input_file, future, output, horizon=horizon, season=season, windows=windows)
    _check_engine_options(engine, scheduler, block_size)
    with err_console.status(f"Reading {input_file.name}..."):
        panel = _read(input_file, lambda stream: long_format.read_history(stream, input_file.name))
    future_regressors = None
    if future is not None:
        with err_console.status(f"Reading {future.name}..."):
            future_regressors = _read(
                future, lambda stream: long_format.read_future(stream, future.name, panel, horizon)
            )
    status = f"Forecasting {panel.n_series} series x {horizon} days ({windows} backtest windows)..."
    with _engine(engine, scheduler) as runner, err_console.status(status):
        try:
            result = partition.forecast_long_blocks(
                panel,
                horizon,
                block_size=block_size,
                engine=runner,
                params=partition.ForecastParams(season_length=season, n_windows=windows),
                future=future_regressors,
            )
        except ValueError as error:
            raise fail(f"The forecast failed: {error}") from error
    with err_console.status(f"Writing {output.name}..."):
        try:
            with output.open("w", encoding="utf-8", newline="") as stream:
                written = run.write_forecasts(result, stream)
        except OSError as error:
            raise fail(f"Cannot write {output}: {error.strerror or error}") from error
    _print_summary(result, output, written, time.perf_counter() - started)


def _check_options(
    input_file: Path, future: Path | None, output: Path, *, horizon: int, season: int, windows: int
) -> None:
    for name, value in (("--horizon", horizon), ("--season", season), ("--windows", windows)):
        if value < 1:
            raise fail(f"{name} must be a whole number of at least 1, got {value}.")
    for path in (input_file, future):
        if path is not None and not path.is_file():
            raise fail(f"No such file: {path}")
    if not output.parent.is_dir():
        raise fail(f"The folder of --output does not exist: {output.parent}")


def _check_engine_options(engine: EngineName, scheduler: str | None, block_size: int) -> None:
    if block_size < 1:
        raise fail(f"--block-size must be a whole number of at least 1, got {block_size}.")
    if scheduler is not None and engine is not EngineName.DASK:
        raise fail("--scheduler needs --engine dask.")


@contextlib.contextmanager
def _engine(
    name: EngineName, scheduler: str | None
) -> Iterator[distributed.LocalEngine | distributed.DaskEngine]:
    """The engine to run the blocks on; a Dask engine is closed (with its cluster) after."""
    if name is EngineName.LOCAL:
        yield distributed.LocalEngine()
        return
    where = scheduler or "a local cluster (2 worker processes)"
    with err_console.status(f"Starting Dask on {where}..."):
        try:
            engine = distributed.DaskEngine(scheduler)
        except distributed.EngineUnavailable as error:
            raise fail(f"The dask engine is not available: {error}") from error
    with engine:
        link = engine.dashboard_link
        console.print(
            f"Dask scheduler {engine.scheduler_address}; dashboard: {link or 'none'}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        yield engine


def _read(path: Path, reader: Callable[[TextIO], T]) -> T:
    """Run ``reader`` on ``path``; a rejected file prints every problem and exits 1."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return reader(stream)
    except ImportRejected as rejected:
        err_console.print(str(rejected), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from rejected


def _print_summary(result: run.LongForecast, output: Path, written: int, seconds: float) -> None:
    if result.ignored_regressors:
        console.print(
            "Notice: regressor columns "
            f"{', '.join(result.ignored_regressors)} were read and checked but are not used "
            "yet; this version's models forecast from the history of y alone.",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    counts = result.model_counts()
    single = [
        f"{alias} {count}"
        for alias, count in counts.items()
        if not alias.startswith(COMBINATION_PREFIX)
    ]
    combined = sum(count for alias, count in counts.items() if alias.startswith(COMBINATION_PREFIX))
    models = ", ".join([*single, *([f"combinations {combined}"] if combined else [])])
    console.print(
        f"Forecast {len(result.unique_ids)} series x {result.horizon} days "
        f"({result.start} to {result.end}) in {seconds:.1f} s; wrote {written} rows to {output}.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"Models chosen (series): {models}. The model column of the output names each "
        "series' model or combination.",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
