"""Forecast a panel block by block of series (SKU blocks), in one process or on a cluster.

``forecast_blocks`` splits the rows of ``y`` (n_series, n_periods) into contiguous blocks
of at most ``block_size`` series, fits one ``AutoForecaster`` per block through an
``Engine`` (``map(function, blocks) -> list``) and concatenates the blocks' forecasts in
panel order.

Which numbers are identical to which:

* **Same ``block_size``, any engine: identical bit for bit.** The partition depends only
  on ``(n_series, block_size)`` (``block_slices``), never on the engine, its number of
  workers or the order in which blocks finish. Each block is an independent pure
  computation (``AutoForecaster`` draws no random numbers), its input is copied into a
  fresh C-ordered float64 array before fitting (the same memory layout in process as
  after unpickling on a worker), and the engine returns results in block order. The
  guarantee assumes the same numpy/scipy versions and CPU instruction set on every
  worker, as any bit-for-bit comparison of floating-point code does.
* **Different ``block_size``: not identical.** Conformal quantiles pool standardised
  backtest residuals per demand class across the series *of a block*
  (``planning.forecasting.intervals``), so the pool is the block. That is a deliberate
  design choice: a block is the unit of work, and a pool of a few thousand series is
  large enough for stable class-wise quantiles. Changing ``block_size`` changes the
  quantiles (by a few percent typically); means and model choices are computed series by
  series and do not change (``tests/unit/services/test_partition.py`` checks it).
* **One block (``block_size >= n_series``)** gives exactly ``AutoForecaster`` fitted on
  the whole panel, the behaviour before partitioning.

Blocks are balanced: ``n_blocks = ceil(n_series / block_size)`` blocks whose sizes differ
by at most one series (like ``numpy.array_split``), so the last block is never a handful
of series with too few residuals to pool.

Memory: a block holds ``block_size * n_periods`` floats of history and the backtest's
``(n_models, n_windows, block_size, horizon)`` floats, about 13 MB for 2,000 series,
10 models, 3 windows and 28 days; size blocks from the workers' memory, not the panel's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

import numpy as np

from stockguard.planning.forecasting import auto
from stockguard.planning.forecasting.base import FloatArray, IntArray, ProbabilisticForecast
from stockguard.services.forecasting import run
from stockguard.services.forecasting.drivers import DriversModel, ProgressCallback
from stockguard.services.forecasting.long_format import FutureRegressors, LongPanel
from stockguard.services.forecasting.run import LongForecast

DEFAULT_BLOCK_SIZE = 2_000
"""Series per block: large pools for conformal quantiles, about 13 MB of backtest each."""

Item = TypeVar("Item")
Result = TypeVar("Result")


class Engine(Protocol):
    """Runs a pure function on every block and returns the results in block order.

    ``function`` and the blocks must be picklable for engines that run elsewhere (module-
    level functions or dataclasses; no lambdas). Implementations: ``adapters.distributed``.
    """

    def map(self, function: Callable[[Item], Result], blocks: Sequence[Item], /) -> list[Result]:
        """``[function(block) for block in blocks]``, wherever it runs."""
        ...


@dataclass(frozen=True, slots=True)
class ForecastParams:
    """``AutoForecaster`` settings shared by every block."""

    season_length: int = 7
    n_windows: int = 3


@dataclass(frozen=True, slots=True, eq=False)
class Block:
    """Rows ``start:start + n_series`` of the panel and their optional per-series inputs.

    Attributes:
        start: index of the block's first series in the panel.
        values: (n_series, n_periods) units per period, NaN = unobserved.
        fallback_profile: (n_series, horizon) profile for short series, or None.
        groups: (n_series,) labels for pooling conformal residuals, or None (demand class).
    """

    start: int
    values: FloatArray
    fallback_profile: FloatArray | None = None
    groups: IntArray | None = None

    @property
    def n_series(self) -> int:
        return int(self.values.shape[0])


@dataclass(frozen=True, slots=True)
class ForecastBlock:
    """The per-block task: fit an ``AutoForecaster`` on one block (picklable)."""

    horizon: int
    params: ForecastParams

    def __call__(self, block: Block) -> ProbabilisticForecast:
        # A fresh C-ordered copy: the same layout and alignment whether the block is a view
        # of the panel (in process) or was unpickled on a worker.
        values = np.array(block.values, dtype=np.float64, order="C", copy=True)
        model = auto.AutoForecaster(
            season_length=self.params.season_length, n_windows=self.params.n_windows
        )
        model.fit(
            values, self.horizon, fallback_profile=block.fallback_profile, groups=block.groups
        )
        return model.predict()


def block_slices(n_series: int, block_size: int) -> tuple[slice, ...]:
    """Contiguous, balanced row ranges covering ``range(n_series)`` in order.

    ``ceil(n_series / block_size)`` blocks (at least one); sizes differ by at most one and
    never exceed ``block_size``; the first ``n_series % n_blocks`` blocks are the larger.
    """
    if block_size < 1:
        raise ValueError(f"block_size must be at least 1, got {block_size}")
    if n_series < 1:
        raise ValueError("the panel has no series")
    n_blocks = math.ceil(n_series / block_size)
    base, larger = divmod(n_series, n_blocks)
    slices = []
    start = 0
    for index in range(n_blocks):
        stop = start + base + (1 if index < larger else 0)
        slices.append(slice(start, stop))
        start = stop
    return tuple(slices)


def split_blocks(
    y: FloatArray,
    *,
    block_size: int,
    fallback_profile: FloatArray | None = None,
    groups: IntArray | None = None,
) -> list[Block]:
    """The blocks of ``y`` (views, no copy) with their slices of the per-series inputs."""
    y = np.asarray(y, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError(f"y must be (n_series, n_periods), got shape {y.shape}")
    n_series = y.shape[0]
    for name, extra in (("fallback_profile", fallback_profile), ("groups", groups)):
        if extra is not None and np.shape(extra)[0] != n_series:
            raise ValueError(f"{name} must have one row per series ({n_series})")
    return [
        Block(
            start=int(rows.start),
            values=y[rows],
            fallback_profile=None if fallback_profile is None else fallback_profile[rows],
            groups=None if groups is None else groups[rows],
        )
        for rows in block_slices(n_series, block_size)
    ]


def concatenate(forecasts: Sequence[ProbabilisticForecast]) -> ProbabilisticForecast:
    """One forecast with the series of ``forecasts`` in order; levels must agree."""
    if not forecasts:
        raise ValueError("nothing to concatenate")
    levels = forecasts[0].levels
    if any(not np.array_equal(item.levels, levels) for item in forecasts):
        raise ValueError("the blocks' forecasts have different quantile levels")
    return ProbabilisticForecast(
        mean=np.concatenate([item.mean for item in forecasts], axis=0),
        levels=levels,
        quantiles=np.concatenate([item.quantiles for item in forecasts], axis=0),
        model=tuple(alias for item in forecasts for alias in item.model),
    )


def forecast_blocks(
    y: FloatArray,
    horizon: int,
    *,
    block_size: int,
    engine: Engine,
    params: ForecastParams,
    fallback_profile: FloatArray | None = None,
    groups: IntArray | None = None,
) -> ProbabilisticForecast:
    """Forecast every series of ``y`` block by block on ``engine``; see the module notes.

    Args:
        y: (n_series, n_periods) units per period, NaN = unobserved.
        horizon: periods to forecast.
        block_size: most series per block; the result depends on it, not on the engine.
        engine: where the blocks run (in process, Dask...).
        params: ``AutoForecaster`` settings.
        fallback_profile: (n_series, horizon), passed block by block to ``fit``.
        groups: (n_series,) pooling labels, passed block by block to ``fit``.

    Returns the (n_series, ...) forecast, series in the order of ``y``.
    """
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    blocks = split_blocks(
        y, block_size=block_size, fallback_profile=fallback_profile, groups=groups
    )
    results = engine.map(ForecastBlock(horizon=horizon, params=params), blocks)
    if len(results) != len(blocks):
        raise RuntimeError(f"the engine returned {len(results)} results for {len(blocks)} blocks")
    return concatenate(results)


def forecast_long_blocks(
    panel: LongPanel,
    horizon: int,
    *,
    block_size: int,
    engine: Engine,
    params: ForecastParams,
    future: FutureRegressors | None = None,
    drivers: DriversModel | None = None,
    progress: ProgressCallback | None = None,
) -> LongForecast:
    """``run.forecast_long`` with the statistical forecast block by block on ``engine``.

    The drivers model, when given, is global: it is trained once, in this process, on
    the whole panel; only the statistical forecast (the costly per-series part, run twice
    with drivers: on the backtest history and at the origin) is partitioned. The choice
    between them is made series by series, so it does not depend on the blocks.
    """
    statistical = functools.partial(
        forecast_blocks, block_size=block_size, engine=engine, params=params
    )
    return run.forecast_long(
        panel,
        horizon,
        future=future,
        drivers=drivers,
        statistical=statistical,
        progress=progress,
    )
