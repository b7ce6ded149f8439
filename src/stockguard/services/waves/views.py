"""Product views from the widget, and the waiting subscribers read by buyers and the
forecasting engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from stockguard.domain import errors
from stockguard.domain.subscriptions import normalize_email
from stockguard.services.waves.ports import WaveStore, WaveUnitOfWork


def record_view(
    uow_factory: Callable[[], WaveUnitOfWork],
    sku: str,
    customer: str,
    email: str,
    marketing_consent: bool,
    now: datetime,
) -> bool:
    """Keep a product view of an identified customer while ``sku`` is out of stock
    (available <= 0 over the sellable locations); True when kept.

    A view with the SKU in stock, or without marketing consent, is not kept: only
    consenting customers who met an empty shelf may be told after the subscribers.
    Raises ``UnknownSku``; ``InvalidSubscription`` for an invalid e-mail address.
    """
    address = normalize_email(email)
    with uow_factory() as uow:
        facts = uow.waves.product(sku)
        if facts is None:
            raise errors.UnknownSku(sku)
        if not marketing_consent or facts.available > 0:
            return False
        uow.waves.add_view(sku, customer, address, marketing_consent, now)
        uow.commit()
    return True


def waiting_signal(store: WaveStore, skus: Sequence[str]) -> npt.NDArray[np.float64]:
    """Confirmed subscribers waiting per series, a demand signal for the forecast.

    ``skus``: the (n_series,) SKU of each series (a SKU x location series repeats its
    SKU). Returns ``w`` of shape (n_series,), ``w[i]`` = confirmed, not unsubscribed
    subscriptions of ``skus[i]`` (0.0 when none). As a regressor of the drivers model
    it is known today only: ``waiting_regressor`` spreads it over the horizon.
    """
    counts = store.waiting_counts(sorted(set(skus)))
    return np.array([float(counts.get(sku, 0)) for sku in skus], dtype=np.float64)


def waiting_regressor(
    waiting: npt.NDArray[np.float64], n_days: int, horizon: int
) -> npt.NDArray[np.float64]:
    """The ``waiting_subscribers`` regressor for ``DriverInputs.regressors``.

    ``waiting``: (n_series,) counts from ``waiting_signal``. Returns (n_series,
    n_days + horizon): NaN over the n_days of history (the count was not recorded then,
    the drivers model reads NaN as unknown) and ``waiting`` held constant over the
    horizon, ``R[i, t] = waiting[i]`` for ``t >= n_days``.
    """
    if n_days < 0 or horizon < 0:
        raise ValueError(f"n_days and horizon must be >= 0, got {n_days}, {horizon}")
    out = np.full((waiting.shape[0], n_days + horizon), np.nan, dtype=np.float64)
    out[:, n_days:] = waiting[:, None]
    return out
