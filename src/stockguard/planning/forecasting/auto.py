"""Automatic model selection per series, with combinations and calibrated quantiles.

``AutoForecaster.fit(y, horizon)``:

1. Backtests every model on ``n_windows`` rolling origins ``step`` periods apart (half
   the horizon by default, so the windows overlap and the choice rests on the recent
   past; ``backtest.backtest``) and scores it per series by the pooled mean squared
   scaled error (RMSSE squared).
2. Chooses per series from those errors, pooled within groups of alike series (the
   demand class by default): each series' relative errors are shrunk toward its
   group's mean with the weight ``w / (w + prior_windows)`` for w scored windows
   (``selection.select_models``). The choice is the model with the lowest shrunk
   error or, with ``combine``, the equal-weight mean of the series'
   ``combination_size`` best models where that scores lower (combinations of a few
   good models are hard to beat; Petropoulos et al. 2022, "Forecasting: theory and
   practice", IJF 38(3), section 2.6). The members are ranked on the same windows that
   score the combination, which slightly favours it.
   Intermittent and lumpy series (demand classes, ``classification``) then keep the
   default model ``intermittent_default`` (``HorizonADIDA``: the horizon's demand
   forecast by SES on horizon-long buckets) unless that choice scored lower on the
   backtest by more than ``default_margin`` (``selection.DEFAULT_MARGIN``, 0: any
   amount; 10% until session 7, ADR 0026; ``selection.keep_default``). The default
   and the margin were chosen on car-parts and M5 windows that end before the
   benchmark's scored origins (docs/forecasting.md, "Selection"). Option
   ``default_rule="windows"`` (ADR 0036): the choice replaces the default only if it
   scored lower in most of the windows, not on their pooled error. Option
   ``intermittent_loss="absolute"`` (ADR 0038): intermittent and lumpy series are
   scored in this step by mean absolute scaled error instead of squared
   (``selection.SeriesLoss``), in the choice and in the default's test alike.
3. Refits the models in use on the full history and averages them per series.
4. Calibrates quantiles from the chosen forecasts' backtest residuals
   (``intervals.calibrate_quantiles``: conformal by horizon step or a count distribution)
   on the selection windows. Option, off by default: ``calibration_windows`` earlier
   windows not used to choose the model (split conformal), with origins ``horizon``, 2
   ``horizon``... periods before the first selection origin, so that their test days end
   where the selection windows' begin; they are backtested in the same pass, and a
   series with no scored calibration cell is calibrated on the selection windows. The
   residuals of the windows a model was chosen on flatter it, but on the M5 development
   windows (docs/forecasting.md) 2 calibration windows made the statistical intervals
   worse, not better: 80% / 95% coverage 81.3% / 93.8% -> 78.4% / 90.5%, scaled
   pinball loss 0.317 -> 0.385. Older windows misjudge each series' current scale
   (retail demand drifts), which costs more than the selection's flattery.

Pooling makes a series' choice depend on the other series of its group in the panel
(or block) it is fitted with; ``prior_windows=0`` restores the series-by-series choice.

Short histories, from most to least data:

* the panel is too short for ``n_windows`` windows: as many windows as fit are used;
* a series is scored only in windows whose training part holds ``min_training``
  observations, so a young series is selected on fewer windows;
* a series with no scored window gets the default model, the mean of its last
  ``DEFAULT_WINDOW`` observed periods (or of its whole history), alias "WindowAverage";
* a series with fewer than ``min_observations`` observations gets ``fallback_profile``
  (for example a category-level profile) when given, alias "FallbackProfile", else the
  default model; with no observation at all and no profile, the mean is 0 ("Zero").

Fallback series get count-distribution quantiles (Poisson or negative binomial).

Memory: the backtest keeps ``(n_models, n_windows + calibration_windows, n_series,
horizon)`` floats (about 205 MB for 10 models, 3 windows, 30,490 series, 28 days) and
nothing of length n_periods per model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np

from stockguard.planning.forecasting import classification, intervals
from stockguard.planning.forecasting.backtest import (
    BacktestResult,
    backtest,
    later_windows,
    rolling_origins,
)
from stockguard.planning.forecasting.base import (
    FloatArray,
    Forecaster,
    IntArray,
    ProbabilisticForecast,
)
from stockguard.planning.forecasting.metrics import naive_scale
from stockguard.planning.forecasting.selection import (
    DEFAULT_MARGIN,
    DEFAULT_RULE,
    Selection,
    SeriesLoss,
    keep_default,
    select_models,
    selection_aliases,
    selection_errors,
    weighted_forecast,
)

DEFAULT_WINDOW = 28
"""Periods averaged by the default model for series that cannot be backtested."""
INTERMITTENT_DEFAULT = "HorizonADIDA"
"""Alias of the default model of intermittent and lumpy series (None: no default)."""
DEFAULT_CLASSES = (classification.INTERMITTENT, classification.LUMPY)
"""Demand classes whose series get ``INTERMITTENT_DEFAULT`` unless clearly beaten."""
CALIBRATION_WINDOWS = 0
"""Backtest windows before the selection windows whose residuals calibrate the
quantiles (module docstring, step 4); 0: the selection windows calibrate them."""
INTERMITTENT_LOSS = "squared"
"""Loss that scores ``DEFAULT_CLASSES`` series in the selection: ``"squared"`` (scaled
squared error, like every other series) or ``"absolute"`` (mean absolute scaled error,
the option of ADR 0038; module docstring, step 2)."""
PRIOR_WINDOWS = 3.0
"""Weight of the group's evidence in the choice, in backtest windows: with 3 scored
windows a series' own errors and its group's count half each."""


def window_average(*, y: FloatArray, horizon: int, window: int = DEFAULT_WINDOW) -> FloatArray:
    """Mean of the last ``window`` periods' observations, else of all; 0 with no data.

    Shapes: y (n_series, n_periods); returns (n_series, horizon), flat over the horizon.
    """

    def observed_mean(values: FloatArray) -> tuple[FloatArray, FloatArray]:
        count = np.isfinite(values).sum(axis=1)
        return np.nansum(values, axis=1) / np.maximum(count, 1), count

    recent, recent_count = observed_mean(y[:, -window:])
    overall, _ = observed_mean(y)
    level = np.where(recent_count > 0, recent, overall)
    return np.repeat(np.maximum(level, 0.0)[:, None], horizon, axis=1)


def calibration_residuals(
    *, forecasts: FloatArray, actuals: FloatArray, n_calibration: int
) -> tuple[FloatArray, FloatArray]:
    """The backtest cells that calibrate each series' quantiles (module docstring, step 4).

    Args:
        forecasts: (n_windows, n_series, horizon) the chosen forecast in every window,
            calibration windows first.
        actuals: (n_windows, n_series, horizon), NaN = not scored.
        n_calibration: how many of the windows are calibration windows.

    Returns (forecasts, actuals) of the same shapes, the actuals kept only in the
    calibration windows for series scored in one of them, and only in the selection
    windows for the others.
    """
    calibration = np.arange(actuals.shape[0]) < n_calibration
    has_calibration = np.any(np.isfinite(actuals[calibration]), axis=(0, 2))
    keep = calibration[:, None] == has_calibration[None, :]
    return forecasts, np.where(keep[:, :, None], actuals, np.nan)


class AutoForecaster:
    """Per-series model selection and combination with calibrated quantiles.

    ``step`` is the number of periods between backtest origins; None means half the
    horizon (at least 1). ``prior_windows``, ``intermittent_default``,
    ``default_margin``, ``default_rule``, ``intermittent_loss`` and ``calibration_windows``
    are described in the module docstring; the default applies only when its alias is
    among the models.
    """

    alias = "Auto"

    def __init__(
        self,
        *,
        models: Sequence[Forecaster] | None = None,
        season_length: int = 7,
        n_windows: int = 3,
        levels: tuple[float, ...] = intervals.INTERVAL_LEVELS,
        combine: bool = True,
        combination_size: int = 3,
        min_observations: int = 7,
        min_training: int = 14,
        prior_windows: float = PRIOR_WINDOWS,
        step: int | None = None,
        intermittent_default: str | None = INTERMITTENT_DEFAULT,
        default_margin: float = DEFAULT_MARGIN,
        calibration_windows: int = CALIBRATION_WINDOWS,
        default_rule: str = DEFAULT_RULE,
        intermittent_loss: str = INTERMITTENT_LOSS,
    ) -> None:
        if intermittent_loss not in ("squared", "absolute"):
            raise ValueError(
                f'intermittent_loss must be "squared" or "absolute", got {intermittent_loss!r}'
            )
        self.models = models
        self.season_length = season_length
        self.n_windows = n_windows
        self.levels = levels
        self.combine = combine
        self.combination_size = combination_size
        self.min_observations = min_observations
        self.min_training = min_training
        self.prior_windows = prior_windows
        self.step = step
        self.intermittent_default = intermittent_default
        self.default_margin = default_margin
        self.calibration_windows = calibration_windows
        self.default_rule = default_rule
        self.intermittent_loss = intermittent_loss

    def _resolve_models(self) -> list[Forecaster]:
        if self.models is not None:
            return list(self.models)
        from stockguard.planning.forecasting import models as battery

        return list(battery.default_battery(season_length=self.season_length))

    def window_step(self, horizon: int) -> int:
        """Periods between backtest origins for ``horizon``: ``step``, or half the horizon."""
        return self.step if self.step is not None else max(horizon // 2, 1)

    def calibration_origins(self, first_selection: int, horizon: int) -> IntArray:
        """Increasing origins of the calibration windows: ``first_selection - k horizon``
        for k = ``calibration_windows``..1, those leaving ``min_training`` periods."""
        origins = first_selection - horizon * np.arange(self.calibration_windows, 0, -1)
        return np.asarray(origins[origins >= max(self.min_training, 1)], dtype=np.int64)

    def series_loss(
        self, y: FloatArray, result: BacktestResult, demand_class: IntArray
    ) -> SeriesLoss | None:
        """The ``SeriesLoss`` of ``intermittent_loss="absolute"`` (``DEFAULT_CLASSES``
        series, scale: one-step naive MAE of the first window's training data, units);
        None for ``"squared"``. Shapes: y (n_series, n_periods), demand_class (n_series,).
        """
        if self.intermittent_loss == "squared":
            return None
        return SeriesLoss(
            absolute=np.isin(demand_class, DEFAULT_CLASSES),
            scale=naive_scale(insample=y[:, : int(result.origins[0])], season=1, power=1),
        )

    def fit(
        self,
        y: FloatArray,
        horizon: int,
        *,
        fallback_profile: FloatArray | None = None,
        groups: IntArray | None = None,
    ) -> Self:
        """Select, refit and calibrate.

        Args:
            y: (n_series, n_periods) units per period, NaN = unobserved.
            horizon: periods to forecast.
            fallback_profile: (n_series, horizon) mean used for series with fewer than
                ``min_observations`` observations (for example the category profile).
            groups: (n_series,) labels of alike series: the selection errors are
                shrunk toward the group's and conformal residuals are pooled per group;
                default the ADI/CV² demand class (``classification.classify_demand``).
        """
        y = np.asarray(y, dtype=np.float64)
        demand_class = classification.classify_demand(y).code
        if groups is None:
            groups = demand_class
        models = self._resolve_models()
        self.aliases_ = tuple(model.alias for model in models)
        step = self.window_step(horizon)
        fitting = y.shape[1] - self.min_training - horizon
        windows = min(self.n_windows, fitting // step + 1) if fitting >= 0 else 0
        self.n_windows_ = max(windows, 0)
        level_array = np.asarray(sorted(self.levels), dtype=np.float64)
        if windows >= 1:
            mean, quantiles, names = self._fit_selected(
                models, y, horizon, windows, groups, demand_class
            )
        else:
            self.selection_ = Selection(
                weights=np.zeros((len(models), y.shape[0])), error=np.full(y.shape[0], np.nan)
            )
            mean = np.zeros((y.shape[0], horizon))
            quantiles = np.zeros((y.shape[0], level_array.size, horizon))
            names = ("",) * y.shape[0]
        self.forecast_ = self._apply_fallbacks(
            y, mean, quantiles, names, fallback_profile=fallback_profile
        )
        return self

    def _fit_selected(
        self,
        models: Sequence[Forecaster],
        y: FloatArray,
        horizon: int,
        windows: int,
        groups: IntArray,
        demand_class: IntArray,
    ) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
        """Backtest, select, combine the selected models' forecasts and calibrate quantiles.

        The forecast from the whole history comes out of the same pass as the backtest
        windows (``include_final``), so no model is fitted twice.
        """
        chosen_on = rolling_origins(
            n_periods=y.shape[1], horizon=horizon, n_windows=windows, step=self.window_step(horizon)
        )
        calibrated_on = self.calibration_origins(int(chosen_on[0]), horizon)
        self.calibration_windows_ = int(calibrated_on.size)
        everything = backtest(
            models=models,
            y=y,
            horizon=horizon,
            n_windows=windows,
            min_training=self.min_training,
            include_final=True,
            origins=np.concatenate([calibrated_on, chosen_on]),
        )
        result = (
            later_windows(everything, calibrated_on.size, y) if calibrated_on.size else everything
        )
        loss = self.series_loss(y, result, demand_class)
        selection = select_models(
            result=result,
            combine=self.combine,
            combination_size=self.combination_size,
            groups=groups,
            prior_windows=self.prior_windows,
            loss=loss,
        )
        if self.intermittent_default in self.aliases_:
            selection = keep_default(
                selection=selection,
                errors=(
                    result.errors
                    if loss is None
                    else selection_errors(forecasts=result.forecasts, result=result, loss=loss)
                ),
                default=self.aliases_.index(self.intermittent_default),
                eligible=np.isin(demand_class, DEFAULT_CLASSES),
                margin=self.default_margin,
                rule=self.default_rule,
                result=result,
            )
        self.selection_ = selection
        self.backtest_errors_ = result.errors
        assert everything.final is not None  # asked for with include_final
        mean = np.zeros((y.shape[0], horizon))
        for final, weight in zip(everything.final, selection.weights, strict=True):
            used = weight > 0
            if used.any():
                mean += np.where(used[:, None], weight[:, None] * np.maximum(final, 0.0), 0.0)
        forecasts, actuals = calibration_residuals(
            forecasts=weighted_forecast(forecasts=everything.forecasts, weights=selection.weights),
            actuals=everything.actuals,
            n_calibration=calibrated_on.size,
        )
        calibrated = intervals.calibrate_quantiles(
            mean=mean,
            backtest_forecasts=forecasts,
            backtest_actuals=actuals,
            insample=y,
            levels=np.asarray(sorted(self.levels), dtype=np.float64),
            groups=groups,
        )
        self.interval_method_ = calibrated.method
        names = selection_aliases(weights=selection.weights, aliases=self.aliases_)
        return mean, calibrated.quantiles, names

    def _apply_fallbacks(
        self,
        y: FloatArray,
        mean: FloatArray,
        quantiles: FloatArray,
        names: tuple[str, ...],
        *,
        fallback_profile: FloatArray | None,
    ) -> ProbabilisticForecast:
        """Replace series without a usable selection by the default model or the profile."""
        horizon = mean.shape[1]
        observations = np.isfinite(y).sum(axis=1)
        unscored = ~np.isfinite(self.selection_.error) | ~np.all(np.isfinite(mean), axis=1)
        default = window_average(y=y, horizon=horizon)
        short = observations < self.min_observations
        use_profile = short & (fallback_profile is not None)
        fallback = unscored | short
        mean = np.where(fallback[:, None], default, mean)
        if fallback_profile is not None:
            profile = np.maximum(np.nan_to_num(np.asarray(fallback_profile, np.float64)), 0.0)
            mean = np.where(use_profile[:, None], profile, mean)
        levels = np.asarray(sorted(self.levels), dtype=np.float64)
        if fallback.any():
            count = intervals.count_quantiles(
                mean=mean[fallback], size=intervals.count_size(insample=y[fallback]), levels=levels
            )
            quantiles = quantiles.copy()
            quantiles[fallback] = count
        labels = np.where(
            use_profile, "FallbackProfile", np.where(observations > 0, "WindowAverage", "Zero")
        )
        model = tuple(str(labels[i]) if fallback[i] else name for i, name in enumerate(names))
        return ProbabilisticForecast(mean=mean, levels=levels, quantiles=quantiles, model=model)

    def predict(self) -> ProbabilisticForecast:
        """The probabilistic forecast for the horizon given to ``fit``."""
        return self.forecast_

    def forecast(
        self,
        y: FloatArray,
        horizon: int,
        *,
        fallback_profile: FloatArray | None = None,
        groups: IntArray | None = None,
    ) -> ProbabilisticForecast:
        """``fit(y, horizon).predict()`` on a fresh copy, keeping no state on ``self``."""
        fresh = AutoForecaster(
            models=self.models,
            season_length=self.season_length,
            n_windows=self.n_windows,
            levels=self.levels,
            combine=self.combine,
            combination_size=self.combination_size,
            min_observations=self.min_observations,
            min_training=self.min_training,
            prior_windows=self.prior_windows,
            step=self.step,
            intermittent_default=self.intermittent_default,
            default_margin=self.default_margin,
            calibration_windows=self.calibration_windows,
            default_rule=self.default_rule,
            intermittent_loss=self.intermittent_loss,
        )
        return fresh.fit(y, horizon, fallback_profile=fallback_profile, groups=groups).predict()
