"""Demand classification by ADI and CV² (Syntetos, Boylan & Croston 2005).

ADI is the average inter-demand interval in observed periods; CV² is the squared
coefficient of variation (population variance / mean²) of the non-zero demand sizes.
NaN periods count neither as a demand nor as a zero. Cut-offs ADI = 1.32, CV² = 0.49:

    ADI <  1.32, CV² <  0.49 -> smooth        ADI >= 1.32, CV² <  0.49 -> intermittent
    ADI <  1.32, CV² >= 0.49 -> erratic       ADI >= 1.32, CV² >= 0.49 -> lumpy

A series with no demand at all gets the extra code ``NO_DEMAND``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.forecasting._kernels import demand_intervals
from stockguard.planning.forecasting.base import FloatArray, IntArray, by_row_blocks

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
SMOOTH, ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND = range(5)
CLASS_NAMES: tuple[str, ...] = ("smooth", "erratic", "intermittent", "lumpy", "no_demand")


@dataclass(frozen=True, slots=True)
class DemandClass:
    """Per-series demand class.

    Attributes:
        code: (n_series,) int64 index into ``CLASS_NAMES``.
        adi: (n_series,) observed periods per demand; NaN without demand.
        cv2: (n_series,) squared CV of non-zero sizes (dimensionless); NaN without demand.
    """

    code: IntArray
    adi: FloatArray
    cv2: FloatArray

    @property
    def names(self) -> tuple[str, ...]:
        """(n_series,) class name of every series."""
        return tuple(CLASS_NAMES[int(c)] for c in self.code)


def size_cv2(y: FloatArray) -> FloatArray:
    """(n_series,) CV² = var(z) / mean(z)² of the demand sizes z = {y_t : y_t > 0}.

    Population variance (ddof = 0); 0 for a single demand; NaN without demand.
    """
    return np.asarray(by_row_blocks(_size_cv2_rows, y), dtype=np.float64)


def _size_cv2_rows(y: FloatArray) -> FloatArray:
    """``size_cv2`` of a block of series."""
    demand = np.where(np.isnan(y), 0.0, y)
    positive = demand > 0
    count = positive.sum(axis=1)
    safe = np.maximum(count, 1)
    mean = np.where(positive, demand, 0.0).sum(axis=1) / safe
    scale = np.where(count > 0, mean, 1.0)[:, None]  # relative form: no underflow of mean²
    relative = np.where(positive, demand / scale - 1.0, 0.0)
    cv2 = (relative * relative).sum(axis=1) / safe
    return np.where(count > 0, cv2, np.nan)


def classify_demand(
    y: FloatArray, *, adi_cutoff: float = ADI_CUTOFF, cv2_cutoff: float = CV2_CUTOFF
) -> DemandClass:
    """Classify each series of ``y`` (n_series, n_periods, NaN = unobserved).

    Equations: ADI = (observed periods through the last demand) / n_demand, which is
    the mean of the inter-demand intervals; CV² as in ``size_cv2``. Syntetos, Boylan &
    Croston (2005), J. Oper. Res. Soc. 56(5), 495-503.
    """
    y = np.asarray(y, dtype=np.float64)
    adi, n_demand = demand_intervals(y)
    cv2 = size_cv2(y)
    sparse = np.nan_to_num(adi, nan=0.0) >= adi_cutoff
    variable = np.nan_to_num(cv2, nan=0.0) >= cv2_cutoff
    code = np.where(
        sparse, np.where(variable, LUMPY, INTERMITTENT), np.where(variable, ERRATIC, SMOOTH)
    )
    code = np.where(n_demand > 0, code, NO_DEMAND).astype(np.int64)
    return DemandClass(code=code, adi=adi, cv2=cv2)
