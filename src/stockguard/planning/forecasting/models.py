"""Registry of the forecasting models by alias, and the default battery.

The default battery (``default_battery``) is the statsforecast-peer set of the
benchmarks with two changes chosen by measurement (docs/forecasting.md, "Selection"):

* TSB's two smoothing constants are chosen per series (``TSB(None, None)``) instead of
  fixed at 0.1: better on the car-parts data, no worse on the M5 subset;
* the trend models Holt and HoltWinters are replaced by ``SeasonalES``, exponential
  smoothing with an additive season and no trend (ETS(A,N,A)), which was better alone
  and no worse inside the selection, at a lower cost.

Holt, HoltWinters, HistoricAverage and Croston stay registered for explicit use.

``HorizonADIDA`` (SES on buckets of the horizon's length) was added last, on
2026-11-25, as the default of intermittent and lumpy series (``auto``); it is also
one more candidate of the selection.
"""

from __future__ import annotations

from collections.abc import Callable

from stockguard.planning.forecasting.base import Forecaster
from stockguard.planning.forecasting.baselines import (
    HistoricAverage,
    Naive,
    SeasonalNaive,
    WindowAverage,
)
from stockguard.planning.forecasting.horizon_aggregate import HorizonADIDA
from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB, Croston, CrostonSBA
from stockguard.planning.forecasting.seasonal import SeasonalExponentialSmoothing
from stockguard.planning.forecasting.smoothing import Holt, HoltWinters, SimpleExponentialSmoothing

MODELS: dict[str, Callable[..., Forecaster]] = {
    "Naive": Naive,
    "SeasonalNaive": SeasonalNaive,
    "WindowAverage": WindowAverage,
    "HistoricAverage": HistoricAverage,
    "SES": SimpleExponentialSmoothing,
    "SeasonalES": SeasonalExponentialSmoothing,
    "Holt": Holt,
    "HoltWinters": HoltWinters,
    "Croston": Croston,
    "CrostonSBA": CrostonSBA,
    "TSB": TSB,
    "ADIDA": ADIDA,
    "IMAPA": IMAPA,
    "HorizonADIDA": HorizonADIDA,
}
"""Alias -> constructor; calling it without arguments gives the default parameters."""


def default_battery(season_length: int = 7) -> list[Forecaster]:
    """The models ``AutoForecaster`` chooses from, fresh unfitted instances in a fixed order:
    Naive, SeasonalNaive, WindowAverage(28), SES, CrostonSBA, TSB (optimised), ADIDA,
    IMAPA, SeasonalES and HorizonADIDA (buckets of the horizon)."""
    return [
        Naive(),
        SeasonalNaive(season_length=season_length),
        WindowAverage(window_size=28),
        SimpleExponentialSmoothing(),
        CrostonSBA(),
        TSB(alpha_d=None, alpha_p=None),
        ADIDA(),
        IMAPA(),
        SeasonalExponentialSmoothing(season_length=season_length),
        HorizonADIDA(),
    ]
