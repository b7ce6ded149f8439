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
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from stockguard.adapters import distributed
from stockguard.adapters.forecasting.gbm import GbmDriversModel
from stockguard.entrypoints.cli.context import console, err_console, fail
from stockguard.services.forecasting import drivers as drivers_step
from stockguard.services.forecasting import long_format, partition, run
from stockguard.services.importing.problems import MAX_PROBLEMS_SHOWN, ImportRejected

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
        "columns), for the drivers model.",
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
Drivers = Annotated[
    bool | None,
    typer.Option(
        "--drivers/--no-drivers",
        help="Also fit the global LightGBM drivers model (own lags, calendar, prices, "
        "regressor columns) and use it per series where it beats the statistical forecast "
        "on the last --horizon days. Default: on when the history has regressor columns "
        f"or at least {drivers_step.DEFAULT_MIN_SERIES} series.",
        show_default=False,
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
    drivers: Drivers = None,
) -> None:
    """Forecast daily demand per series, with quantiles, from a long CSV file."""
    started = time.perf_counter()
    _check_options(input_file, future, output, horizon=horizon, season=season, windows=windows)
    _check_engine_options(engine, scheduler, block_size)
    with err_console.status(f"Reading {input_file.name}..."):
        panel = _read(input_file, lambda stream: long_format.read_history(stream, input_file.name))
    use_drivers = drivers_step.drivers_wanted(drivers, panel)
    future_regressors = None
    if future is not None:
        with err_console.status(f"Reading {future.name}..."):
            future_regressors = _read(
                future, lambda stream: long_format.read_future(stream, future.name, panel, horizon)
            )
    elif use_drivers:
        _reject(lambda: long_format.require_future(panel, input_file.name, horizon))
    what = f"{panel.n_series} series x {horizon} days ({windows} backtest windows)"
    with _engine(engine, scheduler) as runner, _forecast_display(what, use_drivers) as progress:
        try:
            result = partition.forecast_long_blocks(
                panel,
                horizon,
                block_size=block_size,
                engine=runner,
                params=partition.ForecastParams(season_length=season, n_windows=windows),
                future=future_regressors,
                drivers=GbmDriversModel() if use_drivers else None,
                progress=progress,
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


@contextlib.contextmanager
def _forecast_display(
    what: str, use_drivers: bool
) -> Iterator[drivers_step.ProgressCallback | None]:
    """A status line for the statistical forecast; with drivers, one bar per step."""
    if not use_drivers:
        with err_console.status(f"Forecasting {what}..."):
            yield None
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    err_console.print(f"Forecasting {what} with the drivers model:", highlight=False)
    with Progress(*columns, console=err_console, transient=True) as bar:
        yield StepProgress(bar)


class StepProgress:
    """One progress task per step label; a new label completes the previous step."""

    def __init__(self, bar: Progress) -> None:
        self._bar = bar
        self._tasks: dict[str, TaskID] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        task = self._tasks.get(label)
        if task is None:
            task = self._tasks[label] = self._bar.add_task(label, total=total)
        self._bar.update(task, completed=done, total=total)


def _read(path: Path, reader: Callable[[TextIO], T]) -> T:
    """Run ``reader`` on ``path``; a rejected file prints every problem and exits 1."""
    with path.open(encoding="utf-8", newline="") as stream:
        return _reject(lambda: reader(stream))


def _reject(check: Callable[[], T]) -> T:
    """Run ``check``; a rejected file prints every problem and exits 1."""
    try:
        return check()
    except ImportRejected as rejected:
        err_console.print(rejection_text(rejected), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from rejected


def rejection_text(rejected: ImportRejected) -> str:
    """A refused input file in a forecast's words (the problems as the import lists them:
    file, line, column, value and reason):

    ``long.csv could not be read: 3 problem(s) found, nothing was forecast.``
    followed by one ``  - long.csv, line 3, column 'ds' (value ...): reason`` per problem.
    """
    problems = rejected.problems
    shown = "\n".join(f"  - {p}" for p in problems[:MAX_PROBLEMS_SHOWN])
    more = len(problems) - MAX_PROBLEMS_SHOWN
    tail = f"\n  ... and {more} more problems" if more > 0 else ""
    return (
        f"{rejected.file} could not be read: {len(problems)} problem(s) found, "
        f"nothing was forecast.\n{shown}{tail}"
    )


def _print_summary(result: run.LongForecast, output: Path, written: int, seconds: float) -> None:
    if result.ignored_regressors:
        _say(
            "Notice: regressor columns "
            f"{', '.join(result.ignored_regressors)} were read and checked but not used: "
            "the drivers model was off (--no-drivers), so the forecast reads y alone."
        )
    _say(
        f"Forecast {len(result.unique_ids)} series x {result.horizon} days "
        f"({result.start} to {result.end}) in {seconds:.1f} s; wrote {written} rows to {output}."
    )
    if result.drivers is not None:
        _say(drivers_line(result.drivers))
    _say(
        f"Models chosen (series): {models_line(result.model_counts(), result.drivers)}. "
        "The model column of the output names each series' model or combination."
    )


def drivers_line(report: run.DriversReport) -> str:
    """What the drivers step did, in one sentence."""
    if report.skipped is not None:
        return (
            f"Drivers model not used: {report.skipped}; every series has its statistical forecast."
        )
    inputs = "own lags, calendar" + (
        f", regressors {', '.join(report.regressors)}" if report.regressors else ""
    )
    return (
        f"Drivers model {report.alias} ({inputs}; {report.seconds:.1f} s): chosen for "
        f"{report.drivers} series, the mean of it and the statistical forecast for "
        f"{report.mean}, the statistical forecast kept for {report.statistical} (each by its "
        "error on the last horizon days before the forecast)."
    )


def models_line(counts: dict[str, int], drivers: run.DriversReport | None) -> str:
    """``SES 2, GlobalGBM 5, combinations 3, GlobalGBM+statistical 4``."""
    mixed = f"{drivers.alias}+" if drivers is not None else None
    single, combined, blended = [], 0, 0
    for alias, count in counts.items():
        if mixed is not None and alias.startswith(mixed):
            blended += count
        elif alias.startswith(COMBINATION_PREFIX):
            combined += count
        else:
            single.append(f"{alias} {count}")
    if combined:
        single.append(f"combinations {combined}")
    if blended and drivers is not None:
        single.append(f"{drivers.alias}+statistical {blended}")
    return ", ".join(single)


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)
