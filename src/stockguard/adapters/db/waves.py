"""The waves store on SQL: episodes, who was told, product views, waiting counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.db.tables_waves import (
    ProductViewRow,
    RestockEpisodeRow,
    WaveNotificationRow,
)
from stockguard.services.substitutes.ports import SubstituteReader
from stockguard.services.waves.ports import (
    Audience,
    Episode,
    EpisodeKind,
    EpisodeStatus,
    EpisodeSummary,
    ProductFacts,
    Recipient,
)
from stockguard.services.waves.views import WaitingSpan
from stockguard.services.waves.waves import idempotency_key

EPISODE = t.table_of(RestockEpisodeRow)
NOTIFIED = t.table_of(WaveNotificationRow)
VIEW = t.table_of(ProductViewRow)
SUBSCRIPTION = t.table_of(BackInStockSubscriptionRow)
CUSTOMER = t.table_of(t.CustomerRow)
PRODUCT = t.table_of(t.ProductRow)
LEVEL = t.table_of(t.StockLevelRow)
LOCATION = t.table_of(t.LocationRow)
CONFIRMED = "confirmed"
OPEN = EpisodeStatus.OPEN.value


def _episode(row: Any) -> Episode:
    return Episode(
        id=row.id,
        sku=row.sku,
        kind=EpisodeKind(row.kind),
        status=EpisodeStatus(row.status),
        opened_at=row.opened_at,
        available_at_open=row.available_at_open,
        waves=row.waves,
        last_wave_at=row.last_wave_at,
        closed_at=row.closed_at,
    )


def _for_sku(sku: str) -> Any:
    """Subscriptions a restock of ``sku`` answers: its own, and any-variant ones of
    its family."""
    family = select(PRODUCT.c.family).where(PRODUCT.c.sku == sku).scalar_subquery()
    return or_(SUBSCRIPTION.c.sku == sku, SUBSCRIPTION.c.family == family)


def _waiting() -> Any:
    return and_(SUBSCRIPTION.c.status == CONFIRMED, SUBSCRIPTION.c.unsubscribed_at.is_(None))


class SqlWaveStore:
    """``services.waves.ports.WaveStore`` on one session (the caller's transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def product(self, sku: str) -> ProductFacts | None:
        row = self._session.execute(
            select(
                PRODUCT.c.sku,
                PRODUCT.c.title,
                PRODUCT.c.status,
                PRODUCT.c.price,
                PRODUCT.c.currency,
            )
            .where(PRODUCT.c.sku == sku)
            .with_for_update()  # one transaction at a time advances a SKU's waves
        ).one_or_none()
        if row is None:
            return None
        available = self._session.execute(
            select(func.sum(LEVEL.c.on_hand - LEVEL.c.allocated - LEVEL.c.reserved))
            .join(LOCATION, LOCATION.c.code == LEVEL.c.location)
            .where(LEVEL.c.sku == sku, LOCATION.c.sellable.is_(True))
        ).scalar_one_or_none()
        return ProductFacts(
            row.sku, row.title, row.status, int(available or 0), row.price, row.currency
        )

    def open_episode(self, sku: str) -> Episode | None:
        row = self._session.execute(
            select(EPISODE)
            .where(EPISODE.c.sku == sku, EPISODE.c.status == OPEN)
            .order_by(EPISODE.c.id.desc())
            .limit(1)
            .with_for_update()
        ).one_or_none()
        return _episode(row) if row is not None else None

    def start_episode(self, sku: str, kind: EpisodeKind, available: int, now: datetime) -> Episode:
        values = {
            "sku": sku,
            "kind": kind.value,
            "status": OPEN,
            "opened_at": now,
            "available_at_open": available,
            "waves": 0,
            "last_wave_at": None,
            "closed_at": None,
        }
        new_id = self._session.execute(insert(EPISODE).values(**values).returning(EPISODE.c.id))
        return _episode(_Values(id=new_id.scalar_one(), **values))

    def close_episode(self, episode_id: int, status: EpisodeStatus, now: datetime) -> None:
        self._session.execute(
            update(EPISODE)
            .where(EPISODE.c.id == episode_id)
            .values(status=status.value, closed_at=now)
        )

    def record_wave(self, episode_id: int, now: datetime) -> None:
        self._session.execute(
            update(EPISODE)
            .where(EPISODE.c.id == episode_id)
            .values(waves=EPISODE.c.waves + 1, last_wave_at=now)
        )

    def next_subscribers(
        self, sku: str, episode_id: int, limit: int, channels: Sequence[str]
    ) -> list[Recipient]:
        told_here = exists().where(
            NOTIFIED.c.episode_id == episode_id, NOTIFIED.c.subscription_id == SUBSCRIPTION.c.id
        )
        told_before = (
            exists().where(NOTIFIED.c.subscription_id == SUBSCRIPTION.c.id).correlate(SUBSCRIPTION)
        )
        rows = self._session.execute(
            select(SUBSCRIPTION, CUSTOMER.c.name)
            .outerjoin(CUSTOMER, CUSTOMER.c.external_id == SUBSCRIPTION.c.customer)
            .where(
                _for_sku(sku),
                _waiting(),
                SUBSCRIPTION.c.channel.in_(list(channels)),
                ~told_here,
            )
            .order_by(told_before, SUBSCRIPTION.c.created_at, SUBSCRIPTION.c.id)
            .limit(limit)
        ).all()
        return [
            Recipient(row.id, None, row.channel, row.contact, row.locale, row.created_at, row.name)
            for row in rows
        ]

    def next_viewers(
        self, sku: str, episode_id: int, since: datetime, limit: int
    ) -> list[Recipient]:
        first = func.min(VIEW.c.viewed_at).label("first_view")
        told = exists().where(
            NOTIFIED.c.episode_id == episode_id, NOTIFIED.c.customer == VIEW.c.customer
        )
        subscribed = exists().where(
            SUBSCRIPTION.c.sku == sku, SUBSCRIPTION.c.contact == func.lower(VIEW.c.email)
        )
        rows = self._session.execute(
            select(
                VIEW.c.customer,
                func.min(VIEW.c.email).label("email"),
                first,
                func.min(CUSTOMER.c.name).label("name"),
                func.min(CUSTOMER.c.locale).label("locale"),
            )
            .outerjoin(CUSTOMER, CUSTOMER.c.external_id == VIEW.c.customer)
            .where(
                VIEW.c.sku == sku,
                VIEW.c.marketing_consent.is_(True),
                VIEW.c.viewed_at >= since,
                ~told,
                ~subscribed,
            )
            .group_by(VIEW.c.customer)
            .order_by(first, VIEW.c.customer)
            .limit(limit)
        ).all()
        return [
            Recipient(
                None,
                row.customer,
                "email",
                row.email,
                row.locale or "en",
                row.first_view,
                row.name,
            )
            for row in rows
        ]

    def add_notifications(
        self, episode_id: int, wave: int, recipients: Sequence[Recipient], now: datetime
    ) -> None:
        if not recipients:
            return
        self._session.execute(
            insert(NOTIFIED),
            [
                {
                    "episode_id": episode_id,
                    "wave": wave,
                    "subscription_id": r.subscription_id,
                    "customer": r.customer,
                    "audience": (
                        Audience.SUBSCRIBER if r.subscription_id is not None else Audience.VIEWER
                    ).value,
                    "idempotency_key": idempotency_key(episode_id, r),
                    "notified_at": now,
                }
                for r in recipients
            ],
        )

    def skus_waiting(self) -> list[str]:
        """SKUs someone waits for: their own subscribers', and every variant of a family
        with a waiting any-variant subscriber."""
        own = select(SUBSCRIPTION.c.sku).where(_waiting())
        families = select(SUBSCRIPTION.c.family).where(
            _waiting(), SUBSCRIPTION.c.family.is_not(None)
        )
        variants = select(PRODUCT.c.sku).where(PRODUCT.c.family.in_(families))
        found = self._session.execute(own.union(variants)).scalars()
        return sorted(set(found))

    def waiting_counts(self, skus: Sequence[str] | None = None) -> dict[str, int]:
        """Contacts waiting per SKU: the SKU's own confirmed subscribers plus the
        any-variant subscribers of its family (from another variant's page)."""
        query = select(SUBSCRIPTION.c.sku, func.count()).where(_waiting())
        if skus is not None:
            query = query.where(SUBSCRIPTION.c.sku.in_(list(skus)))
        rows = self._session.execute(query.group_by(SUBSCRIPTION.c.sku)).all()
        counts = {sku: int(count) for sku, count in rows}
        for sku, count in self._family_waiting(skus):
            counts[sku] = counts.get(sku, 0) + count
        return counts

    def _family_waiting(self, skus: Sequence[str] | None) -> list[tuple[str, int]]:
        """(SKU, any-variant subscribers of its family who asked from another SKU)."""
        query = (
            select(PRODUCT.c.sku, func.count())
            .join(SUBSCRIPTION, SUBSCRIPTION.c.family == PRODUCT.c.family)
            .where(_waiting(), SUBSCRIPTION.c.sku != PRODUCT.c.sku)
        )
        if skus is not None:
            query = query.where(PRODUCT.c.sku.in_(list(skus)))
        rows = self._session.execute(query.group_by(PRODUCT.c.sku)).all()
        return [(sku, int(count)) for sku, count in rows]

    def episodes(self, sku: str | None = None, *, open_only: bool = False) -> list[EpisodeSummary]:
        told = (
            select(NOTIFIED.c.episode_id, func.count().label("told"))
            .group_by(NOTIFIED.c.episode_id)
            .subquery()
        )
        query = select(EPISODE, func.coalesce(told.c.told, 0).label("told")).outerjoin(
            told, told.c.episode_id == EPISODE.c.id
        )
        if sku is not None:
            query = query.where(EPISODE.c.sku == sku)
        if open_only:
            query = query.where(EPISODE.c.status == OPEN)
        rows = self._session.execute(query.order_by(EPISODE.c.sku, EPISODE.c.id)).all()
        waiting = self.waiting_counts(sorted({row.sku for row in rows}))
        return [
            EpisodeSummary(_episode(row), int(row.told), waiting.get(row.sku, 0)) for row in rows
        ]

    def substitute_reader(self) -> SubstituteReader:
        return SqlSubstituteRepository(self._session)

    def customer_email(self, customer: str) -> tuple[str | None, bool] | None:
        row = self._session.execute(
            select(t.CustomerRow.email, t.CustomerRow.email_consent_at).where(
                t.CustomerRow.external_id == customer
            )
        ).first()
        return None if row is None else (row.email, row.email_consent_at is not None)

    def add_view(self, sku: str, customer: str, email: str, consent: bool, now: datetime) -> None:
        self._session.execute(
            insert(VIEW).values(
                sku=sku, customer=customer, email=email, marketing_consent=consent, viewed_at=now
            )
        )


class _Values:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


def waiting_spans(session: Session, skus: Sequence[str]) -> list[WaitingSpan]:
    """Confirmed subscriptions of ``skus`` with their UTC confirmation and unsubscribe
    days (``unsubscribed_on`` None while still subscribed)."""
    rows = session.execute(
        select(
            SUBSCRIPTION.c.sku, SUBSCRIPTION.c.confirmed_at, SUBSCRIPTION.c.unsubscribed_at
        ).where(SUBSCRIPTION.c.sku.in_(list(skus)), SUBSCRIPTION.c.confirmed_at.is_not(None))
    ).all()
    return [
        WaitingSpan(
            row.sku,
            row.confirmed_at.astimezone(UTC).date(),
            row.unsubscribed_at.astimezone(UTC).date() if row.unsubscribed_at else None,
        )
        for row in rows
    ]
