"""Back-in-stock waves for the dashboard: restock episodes and the waves of one episode.

An episode's *state* on the page:

- ``sending``: open (units available; the next wave goes out after the pause when
  somebody is still waiting);
- ``paused``: the SKU sold out again and this is its latest episode (nothing more is
  sent until the next restock opens a new episode);
- ``done``: a discontinued SKU's episode, or a sold-out episode followed by a newer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import DELIVERIES
from stockguard.adapters.db.tables_waves import RestockEpisodeRow, WaveNotificationRow
from stockguard.adapters.db.views.paging import Slice, matches, page
from stockguard.adapters.db.waves import SqlWaveStore

EPISODE = t.table_of(RestockEpisodeRow)
NOTIFIED = t.table_of(WaveNotificationRow)
PRODUCT = t.table_of(t.ProductRow)
LEVEL = t.table_of(t.StockLevelRow)
LOCATION = t.table_of(t.LocationRow)
STATES = ("sending", "paused", "done")


@dataclass(frozen=True, slots=True)
class EpisodeLine:
    """One restock episode: ``notified`` contacts told so far, ``waiting`` confirmed
    subscribers of the SKU, ``available_now`` units available now over the sellable
    locations, ``next_wave_at`` the earliest time of the next wave (sending only)."""

    id: int
    sku: str
    title: str | None
    kind: str
    state: str
    opened_at: datetime
    closed_at: datetime | None
    available_at_open: int
    waves: int
    last_wave_at: datetime | None
    notified: int
    waiting: int
    available_now: int
    next_wave_at: datetime | None


@dataclass(frozen=True, slots=True)
class WaveLine:
    """One wave of an episode: contacts told (subscribers, viewers), when, and what became
    of their messages in the delivery queue."""

    wave: int
    told: int
    subscribers: int
    viewers: int
    notified_at: datetime
    sent: int
    queued: int
    failed: int


def _state() -> Any:
    later = EPISODE.alias("later")
    newest_of_sku = select(func.max(later.c.id)).where(later.c.sku == EPISODE.c.sku)
    return case(
        (EPISODE.c.status == "open", "sending"),
        (
            (EPISODE.c.status == "sold_out") & (EPISODE.c.id == newest_of_sku.scalar_subquery()),
            "paused",
        ),
        else_="done",
    )


def episodes(
    session: Session,
    *,
    pause: timedelta,
    sku: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """``EpisodeLine`` rows: sending first, then paused, then done; newest first within.

    ``pause``: the configured least time between waves (``next_wave_at = last_wave_at
    + pause``); ``sku``: part of the SKU or title; ``state``: one of ``STATES``.
    """
    told = (
        select(NOTIFIED.c.episode_id, func.count().label("told"))
        .group_by(NOTIFIED.c.episode_id)
        .subquery()
    )
    state_of = _state()
    rank = case((state_of == "sending", 0), (state_of == "paused", 1), else_=2)
    query = (
        select(EPISODE, PRODUCT.c.title, func.coalesce(told.c.told, 0).label("told"),
               state_of.label("state"))
        .join(PRODUCT, PRODUCT.c.sku == EPISODE.c.sku, isouter=True)
        .join(told, told.c.episode_id == EPISODE.c.id, isouter=True)
        .order_by(rank, EPISODE.c.opened_at.desc(), EPISODE.c.id.desc())
    )  # fmt: skip
    if sku:
        query = query.where(matches(sku, EPISODE.c.sku, PRODUCT.c.title))
    if state in STATES:
        query = query.where(state_of == state)
    found = page(session, query, limit=limit, offset=offset)
    skus = sorted({row.sku for row in found.rows})
    waiting = SqlWaveStore(session).waiting_counts(skus)
    available = available_now(session, skus)
    rows = [_line(r, waiting.get(r.sku, 0), available.get(r.sku, 0), pause) for r in found.rows]
    return Slice(rows=rows, total=found.total)


def episode(session: Session, episode_id: int, *, pause: timedelta) -> EpisodeLine | None:
    told = select(func.count()).where(NOTIFIED.c.episode_id == episode_id).scalar_subquery()
    row = session.execute(
        select(EPISODE, PRODUCT.c.title, told.label("told"), _state().label("state"))
        .join(PRODUCT, PRODUCT.c.sku == EPISODE.c.sku, isouter=True)
        .where(EPISODE.c.id == episode_id)
    ).first()
    if row is None:
        return None
    waiting = SqlWaveStore(session).waiting_counts([row.sku]).get(row.sku, 0)
    return _line(row, waiting, available_now(session, [row.sku]).get(row.sku, 0), pause)


def _line(row: Any, waiting: int, available: int, pause: timedelta) -> EpisodeLine:
    next_at = None
    if row.state == "sending":
        next_at = row.last_wave_at + pause if row.last_wave_at else row.opened_at
    return EpisodeLine(
        id=row.id, sku=row.sku, title=row.title, kind=row.kind, state=row.state,
        opened_at=row.opened_at, closed_at=row.closed_at,
        available_at_open=row.available_at_open, waves=row.waves,
        last_wave_at=row.last_wave_at, notified=int(row.told), waiting=waiting,
        available_now=available, next_wave_at=next_at,
    )  # fmt: skip


def available_now(session: Session, skus: Sequence[str]) -> dict[str, int]:
    """``available = on_hand - allocated - reserved`` summed over sellable locations."""
    if not skus:
        return {}
    rows = session.execute(
        select(LEVEL.c.sku, func.sum(LEVEL.c.on_hand - LEVEL.c.allocated - LEVEL.c.reserved))
        .join(LOCATION, LOCATION.c.code == LEVEL.c.location)
        .where(LEVEL.c.sku.in_(list(skus)), LOCATION.c.sellable.is_(True))
        .group_by(LEVEL.c.sku)
    ).all()
    return {sku: int(total or 0) for sku, total in rows}


def waves_of(session: Session, episode_id: int) -> list[WaveLine]:
    """The episode's waves in order, with the delivery state of their messages (joined
    on the idempotency key each notification shares with its delivery)."""

    def count(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    status = DELIVERIES.c.status
    rows = session.execute(
        select(
            NOTIFIED.c.wave,
            func.count().label("told"),
            count(NOTIFIED.c.audience == "subscriber").label("subscribers"),
            count(NOTIFIED.c.audience == "viewer").label("viewers"),
            func.min(NOTIFIED.c.notified_at).label("at"),
            count(status == "sent").label("sent"),
            count(status.in_(["pending", "sending"])).label("queued"),
            count(status == "failed").label("failed"),
        )
        .join(DELIVERIES, DELIVERIES.c.idempotency_key == NOTIFIED.c.idempotency_key, isouter=True)
        .where(NOTIFIED.c.episode_id == episode_id)
        .group_by(NOTIFIED.c.wave)
        .order_by(NOTIFIED.c.wave)
    ).all()
    return [
        WaveLine(r.wave, int(r.told), int(r.subscribers or 0), int(r.viewers or 0), r.at,
                 int(r.sent or 0), int(r.queued or 0), int(r.failed or 0))
        for r in rows
    ]  # fmt: skip
