"""The demand rate and daily variance a risk row reads where the replenishment run pools.

Slow and never-sold rows plan with a pooled rate (``planning.inventory.pooled_rate``,
ADR 0018); the risk refresh reads the same rate (ADR 0024). The pooling estimates a
*rate*; how the units of that rate come (one at a time or in lumps of a dozen) is what
the forecast's own spread measures, and the pooling's own per-day variance assumes
Poisson units (``lambda_hat (1 + h / (b0 + n))``), far too narrow for a SKU bought in
lumps. So the rate is replaced and the dispersion kept, as a rate ratio scales a rate
(ADR 0022):

    mu'      = lambda_hat                                   units/day
    sigma'^2 = sigma^2 lambda_hat / mu   where mu > 0 and sigma^2 > 0
             = v_pool                    elsewhere          units^2/day

with ``mu``, ``sigma^2`` the forecast's daily mean and variance and ``v_pool`` the
pooling's per-day variance (launch rows: ``l_2 - l_1^2``, the launch lumps' own spread).

Worked example: a forecast of 0.5 a day with a daily variance of 6 (lumps of about 12),
pooled to 0.3 a day: ``sigma'^2 = 6 x 0.3 / 0.5 = 3.6``, where the Poisson variance
would say about 0.3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def pooled_rate_and_variance(
    *, pooled: Any, rate: Any, pooled_variance: Any, mu: Any, sigma2: Any
) -> tuple[FloatArray, FloatArray]:
    """(n,) rate (units/day) and daily variance (units^2/day) per row (module docstring).

    Args:
        pooled: (n,) bool, the run pools the row (pooled or launch rate).
        rate: (n,) the pooling's rate ``lambda_hat`` (read on pooled rows only).
        pooled_variance: (n,) the pooling's per-day variance (pooled rows only).
        mu, sigma2: (n,) the forecast's daily mean and variance.

    Returns: (mu', sigma'^2): the forecast's own on rows not pooled.
    """
    chosen = np.asarray(pooled, dtype=bool)
    own_mu = np.asarray(mu, dtype=np.float64)
    own_var = np.asarray(sigma2, dtype=np.float64)
    new_rate = np.asarray(rate, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        scalable = (own_mu > 0) & (own_var > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = own_var * new_rate / np.where(scalable, own_mu, 1.0)
    variance = np.where(scalable, scaled, np.asarray(pooled_variance, dtype=np.float64))
    return (
        np.asarray(np.where(chosen, new_rate, own_mu), dtype=np.float64),
        np.asarray(np.where(chosen, variance, own_var), dtype=np.float64),
    )
