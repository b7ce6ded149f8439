"""Values and ports of the waves area (implemented in ``adapters.db.waves``)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from stockguard.services.consent.links import LinkConfig
from stockguard.services.outbox.ports import RelayUnitOfWork
from stockguard.services.substitutes.ports import SubstituteReader


class EpisodeKind(enum.StrEnum):
    RESTOCK = "restock"
    DISCONTINUED = "discontinued"


class EpisodeStatus(enum.StrEnum):
    """``open`` while units are available; ``sold_out`` once the SKU sold out again (the
    next restock opens a new episode); ``done`` for a discontinued SKU's episode."""

    OPEN = "open"
    SOLD_OUT = "sold_out"
    DONE = "done"


class Audience(enum.StrEnum):
    SUBSCRIBER = "subscriber"
    VIEWER = "viewer"


@dataclass(frozen=True, slots=True)
class WaveSettings:
    """How waves are sized and paced.

    ``factor``: a wave holds ``max(1, floor(available x factor))`` contacts (not every
    notified contact buys, so more are told than there are units); ``pause_minutes``:
    the least time between two waves of one episode; ``include_viewers``: after the
    subscribers, tell identified customers with marketing consent who viewed the product
    while it was out of stock within ``viewer_days``; ``links``: signs the unsubscribe
    link and headers of each message (None: plain messages without them, as in tests);
    ``product_url``: the product page a message links to, ``{base}`` the public base
    URL and ``{sku}`` the SKU.
    """

    factor: float = 2.0
    pause_minutes: float = 30.0
    include_viewers: bool = False
    viewer_days: int = 30
    links: LinkConfig | None = None
    product_url: str = "{base}/storefront/demo/product/{sku}"

    def __post_init__(self) -> None:
        if not self.factor > 0:
            raise ValueError(f"factor must be > 0, got {self.factor}")
        if self.pause_minutes < 0:
            raise ValueError(f"pause_minutes must be >= 0, got {self.pause_minutes}")


@dataclass(frozen=True, slots=True)
class Episode:
    id: int
    sku: str
    kind: EpisodeKind
    status: EpisodeStatus
    opened_at: datetime
    available_at_open: int
    waves: int
    last_wave_at: datetime | None
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Recipient:
    """A contact a wave may tell: a subscription (``subscription_id``) or a viewing
    customer (``customer``, None for subscribers: their key is the subscription);
    ``channel`` is ``email`` or ``sms``."""

    subscription_id: int | None
    customer: str | None
    channel: str
    contact: str
    locale: str
    created_at: datetime
    name: str | None = None
    """The customer's name from the shop's record (a signed-in subscriber, or a viewer);
    messages greet with it, else with a neutral greeting."""


@dataclass(frozen=True, slots=True)
class ProductFacts:
    sku: str
    title: str
    status: str
    available: int
    """On hand less allocated and reserved, summed over the sellable locations."""
    price: Decimal = Decimal(0)
    currency: str = "EUR"


@dataclass(frozen=True, slots=True)
class EpisodeSummary:
    episode: Episode
    notified: int
    waiting: int


class WaveStore(Protocol):
    def product(self, sku: str) -> ProductFacts | None: ...

    def open_episode(self, sku: str) -> Episode | None:
        """The SKU's open episode (restock or discontinued), if any."""
        ...

    def start_episode(
        self, sku: str, kind: EpisodeKind, available: int, now: datetime
    ) -> Episode: ...

    def close_episode(self, episode_id: int, status: EpisodeStatus, now: datetime) -> None: ...

    def record_wave(self, episode_id: int, now: datetime) -> None:
        """Count one more wave and stamp its time."""
        ...

    def next_subscribers(
        self, sku: str, episode_id: int, limit: int, channels: Sequence[str]
    ) -> list[Recipient]:
        """Up to ``limit`` confirmed, not unsubscribed subscriptions of ``sku`` on
        ``channels`` not yet
        told in ``episode_id``: those never told in any episode first, then by
        ``created_at`` and id (first come, first served)."""
        ...

    def next_viewers(
        self, sku: str, episode_id: int, since: datetime, limit: int
    ) -> list[Recipient]:
        """Customers with marketing consent who viewed ``sku`` since ``since``, not told
        in ``episode_id`` and not subscribed to it, earliest view first."""
        ...

    def add_notifications(
        self, episode_id: int, wave: int, recipients: Sequence[Recipient], now: datetime
    ) -> None: ...

    def skus_waiting(self) -> list[str]:
        """SKUs with at least one confirmed subscription."""
        ...

    def waiting_counts(self, skus: Sequence[str] | None = None) -> dict[str, int]:
        """Confirmed, not unsubscribed subscriptions per SKU (all SKUs with any when
        ``skus`` is None)."""
        ...

    def episodes(
        self, sku: str | None = None, *, open_only: bool = False
    ) -> list[EpisodeSummary]: ...

    def substitute_reader(self) -> SubstituteReader:
        """The substitutes' reader on the same transaction."""
        ...

    def customer_email(self, customer: str) -> tuple[str | None, bool] | None:
        """The customer's e-mail address and whether they gave e-mail marketing consent
        (``email_consent_at`` set), from the shop's customer record; None when unknown."""
        ...

    def add_view(
        self, sku: str, customer: str, email: str, consent: bool, now: datetime
    ) -> None: ...


class WaveUnitOfWork(RelayUnitOfWork, Protocol):
    @property
    def waves(self) -> WaveStore: ...
