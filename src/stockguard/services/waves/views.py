"""Product views from the widget, and the waiting subscribers read by buyers and the
forecasting engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from stockguard.domain import errors
from stockguard.domain.subscriptions import normalize_email
from stockguard.services.waves.ports import WaveStore, WaveUnitOfWork


def record_view(
    uow_factory: Callable[[], WaveUnitOfWork], sku: str, customer: str, now: datetime
) -> bool:
    """Keep a product view of the identified ``customer`` (the shop's external id, from a
    verified customer token) while ``sku`` is out of stock (available <= 0 over the
    sellable locations); True when kept.

    The e-mail address and the marketing consent come from the shop's customer record,
    never from the request: a view is kept only when that record has an address and
    ``email_consent_at`` set, so consenting customers who met an empty shelf may be told
    after the subscribers. Raises ``UnknownSku``, ``UnknownCustomer``.
    """
    with uow_factory() as uow:
        facts = uow.waves.product(sku)
        if facts is None:
            raise errors.UnknownSku(sku)
        contact = uow.waves.customer_email(customer)
        if contact is None:
            raise errors.UnknownCustomer(customer)
        email, consent = contact
        address = _usable(email)
        if not consent or address is None or facts.available > 0:
            return False
        uow.waves.add_view(sku, customer, address, consent, now)
        uow.commit()
    return True


def _usable(email: str | None) -> str | None:
    """The normalised address, or None when the record holds none or an invalid one."""
    if not email:
        return None
    try:
        return normalize_email(email)
    except errors.DomainError:
        return None


def waiting_signal(store: WaveStore, skus: Sequence[str]) -> npt.NDArray[np.float64]:
    """Confirmed subscribers waiting per series, a demand signal for the forecast.

    ``skus``: the (n_series,) SKU of each series (a SKU x location series repeats its
    SKU). Returns ``w`` of shape (n_series,), ``w[i]`` = confirmed, not unsubscribed
    subscriptions of ``skus[i]`` (0.0 when none). The drivers model reads the same
    count per day from ``waiting_regressor``.
    """
    counts = store.waiting_counts(sorted(set(skus)))
    return np.array([float(counts.get(sku, 0)) for sku in skus], dtype=np.float64)


WAITING_REGRESSOR = "waiting_subscribers"
"""Name of the drivers model's regressor (``DriverInputs.regressors``)."""


@dataclass(frozen=True, slots=True)
class WaitingSpan:
    """One subscription's time in the queue: confirmed on ``confirmed_on`` (UTC day),
    waiting until ``unsubscribed_on`` (exclusive; None: still waiting)."""

    sku: str
    confirmed_on: date
    unsubscribed_on: date | None


@runtime_checkable
class WaitingSource(Protocol):
    """A driver source that can also say who waited (``SqlDriverSource`` does)."""

    def waiting_spans(self, skus: Sequence[str]) -> list[WaitingSpan]: ...


def waiting_regressor(
    spans: Sequence[WaitingSpan],
    skus: Sequence[str],
    start: date,
    n_days: int,
    horizon: int,
) -> npt.NDArray[np.float64]:
    """The ``waiting_subscribers`` regressor: subscribers waiting per series and day.

    ``skus``: (n_series,) SKU of each series; days ``start + t`` for ``t`` in
    ``0 .. n_days + horizon - 1``. History: ``R[i, t] = #{spans of skus[i] with
    confirmed_on <= day_t < unsubscribed_on}`` (a difference array: +1 at the
    confirmation day, -1 at the unsubscribe day, cumulated over t). Horizon: the last
    history day's count held constant (``R[i, t] = R[i, n_days - 1]``, t >= n_days),
    since nobody knows who will subscribe. Returns (n_series, n_days + horizon) floats.
    """
    if n_days < 1 or horizon < 0:
        raise ValueError(f"n_days must be >= 1 and horizon >= 0, got {n_days}, {horizon}")
    rows: dict[str, list[int]] = {}
    for row, sku in enumerate(skus):
        rows.setdefault(sku, []).append(row)
    delta = np.zeros((len(rows), n_days + 1), dtype=np.float64)
    index = {sku: i for i, sku in enumerate(rows)}
    for span in spans:
        if span.sku not in index:
            continue
        first = min(max((span.confirmed_on - start).days, 0), n_days)
        last = n_days if span.unsubscribed_on is None else (span.unsubscribed_on - start).days
        last = min(max(last, 0), n_days)
        if first < last:
            delta[index[span.sku], first] += 1.0
            delta[index[span.sku], last] -= 1.0
    history = np.cumsum(delta[:, :n_days], axis=1)
    per_sku = np.concatenate([history, np.repeat(history[:, -1:], horizon, axis=1)], axis=1)
    return per_sku[[index[sku] for sku in skus]]
