"""Registry of the forecasting models by alias, and the default battery.

The default battery is the statsforecast-peer set used by the benchmarks: Naive,
SeasonalNaive(7), WindowAverage(28), optimised SES, CrostonSBA, TSB, ADIDA, IMAPA,
Holt and HoltWinters.
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
from stockguard.planning.forecasting.intermittent import ADIDA, IMAPA, TSB, Croston, CrostonSBA
from stockguard.planning.forecasting.smoothing import Holt, HoltWinters, SimpleExponentialSmoothing

MODELS: dict[str, Callable[..., Forecaster]] = {
    "Naive": Naive,
    "SeasonalNaive": SeasonalNaive,
    "WindowAverage": WindowAverage,
    "HistoricAverage": HistoricAverage,
    "SES": SimpleExponentialSmoothing,
    "Holt": Holt,
    "HoltWinters": HoltWinters,
    "Croston": Croston,
    "CrostonSBA": CrostonSBA,
    "TSB": TSB,
    "ADIDA": ADIDA,
    "IMAPA": IMAPA,
}
"""Alias -> constructor; calling it without arguments gives the default parameters."""


def default_battery(season_length: int = 7) -> list[Forecaster]:
    """The statsforecast-peer set, fresh unfitted instances in a fixed order."""
    return [
        Naive(),
        SeasonalNaive(season_length=season_length),
        WindowAverage(window_size=28),
        SimpleExponentialSmoothing(),
        CrostonSBA(),
        TSB(),
        ADIDA(),
        IMAPA(),
        Holt(),
        HoltWinters(season_length=season_length),
    ]
