"""Fair back-in-stock waves for one SKU: who is told, when, and how many at a time.

``advance`` is called on every ``BackInStock`` event and by the periodic re-check. With
``A`` the units available now (on hand - allocated - reserved over the sellable
locations) and ``f`` the factor, one call:

1. closes the SKU's open episode as ``sold_out`` when ``A <= 0`` (nothing more is sent
   until stock comes back, which opens a new episode);
2. otherwise opens an episode if none is open, and, when the last wave is at least
   ``pause_minutes`` old (or there was none), sends one wave of
   ``n = max(1, floor(A x f))`` contacts: the earliest confirmed subscribers not yet
   told in this episode (first come, first served by ``created_at``; those never told
   in an earlier episode go first), then, if the setting allows, viewers with marketing
   consent;
3. for a discontinued SKU, tells every waiting subscriber once (one episode of kind
   ``discontinued``), with its in-stock substitutes instead of a restock message.

Each contact told is a row unique on (episode, subscription), and one delivery whose
idempotency key is ``wave:{episode}:{subscription}`` (``wave:{episode}:c:{customer}``
for a viewer), so a replayed event or a re-run never tells anyone twice per episode.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from stockguard.domain import errors
from stockguard.services.outbox.model import Channel, Delivery
from stockguard.services.substitutes.query import Suggestion, substitutes_for
from stockguard.services.waves import compose
from stockguard.services.waves.ports import (
    Audience,
    Episode,
    EpisodeKind,
    EpisodeStatus,
    ProductFacts,
    Recipient,
    WaveSettings,
    WaveUnitOfWork,
)

SOURCE = "wave"
DISCONTINUED = "discontinued"
DISCONTINUED_BATCH = 10_000
"""Subscribers told per call for a discontinued SKU (the next call goes on)."""


@dataclass(frozen=True, slots=True)
class WaveOutcome:
    """What one ``advance`` did: ``action`` is ``wave``, ``paused`` (too soon after the
    last wave), ``sold_out``, ``exhausted`` (nobody left to tell), ``discontinued``,
    ``nobody`` (no episode open and nobody waiting) or ``unknown``; ``told`` contacts
    in wave ``wave`` of ``episode_id``."""

    sku: str
    action: str
    episode_id: int | None = None
    wave: int = 0
    told: int = 0


def wave_size(available: int, factor: float) -> int:
    """Contacts in one wave: ``max(1, floor(available x factor))`` for ``available > 0``.

    ``available``: units (int >= 1); ``factor``: contacts per unit (> 0). 30 units with
    the default factor 2.0 give waves of 60.
    """
    return max(1, math.floor(available * factor))


def advance(
    uow: WaveUnitOfWork, sku: str, now: datetime, settings: WaveSettings | None = None
) -> WaveOutcome:
    """Advance the SKU's waves at ``now`` (see the module docstring); does not commit."""
    settings = settings or WaveSettings()
    facts = uow.waves.product(sku)
    if facts is None:
        return WaveOutcome(sku, "unknown")
    episode = uow.waves.open_episode(sku)
    if episode is None and not _anyone_waiting(uow, sku, facts, settings):
        return WaveOutcome(sku, "nobody")
    if facts.status == DISCONTINUED:
        return _discontinued(uow, facts, episode, now, settings)
    return _restock(uow, facts, episode, now, settings)


def _restock(
    uow: WaveUnitOfWork,
    facts: ProductFacts,
    episode: Episode | None,
    now: datetime,
    settings: WaveSettings,
) -> WaveOutcome:
    sku = facts.sku
    if facts.available <= 0:
        if episode is not None:
            uow.waves.close_episode(episode.id, EpisodeStatus.SOLD_OUT, now)
        return WaveOutcome(sku, "sold_out", episode.id if episode else None)
    if episode is None or episode.kind is not EpisodeKind.RESTOCK:
        episode = uow.waves.start_episode(sku, EpisodeKind.RESTOCK, facts.available, now)
    pause = timedelta(minutes=settings.pause_minutes)
    if episode.last_wave_at is not None and now - episode.last_wave_at < pause:
        return WaveOutcome(sku, "paused", episode.id, episode.waves)
    size = wave_size(facts.available, settings.factor)
    recipients = uow.waves.next_subscribers(sku, episode.id, size, deliverable_channels())
    if settings.include_viewers and len(recipients) < size:
        since = now - timedelta(days=settings.viewer_days)
        recipients += uow.waves.next_viewers(sku, episode.id, since, size - len(recipients))
    if not recipients:
        return WaveOutcome(sku, "exhausted", episode.id, episode.waves)
    wave = episode.waves + 1
    _tell(uow, episode, wave, recipients, now, facts, settings, compose.BACK_IN_STOCK)
    uow.waves.record_wave(episode.id, now)
    return WaveOutcome(sku, "wave", episode.id, wave, len(recipients))


def _anyone_waiting(
    uow: WaveUnitOfWork, sku: str, facts: ProductFacts, settings: WaveSettings
) -> bool:
    """Whether an episode is worth opening: confirmed subscribers wait, or viewers may
    be told of a restock."""
    if uow.waves.waiting_counts([sku]).get(sku, 0) > 0:
        return True
    return settings.include_viewers and facts.status != DISCONTINUED


def _discontinued(
    uow: WaveUnitOfWork,
    facts: ProductFacts,
    episode: Episode | None,
    now: datetime,
    settings: WaveSettings,
) -> WaveOutcome:
    if episode is None or episode.kind is not EpisodeKind.DISCONTINUED:
        if episode is not None:
            uow.waves.close_episode(episode.id, EpisodeStatus.DONE, now)
        episode = uow.waves.start_episode(facts.sku, EpisodeKind.DISCONTINUED, 0, now)
    recipients = uow.waves.next_subscribers(
        facts.sku, episode.id, DISCONTINUED_BATCH, deliverable_channels()
    )
    if not recipients:
        return WaveOutcome(facts.sku, "exhausted", episode.id, episode.waves)
    found = _substitutes(uow, facts.sku)
    wave = episode.waves + 1
    _tell(uow, episode, wave, recipients, now, facts, settings, compose.DISCONTINUED, found)
    uow.waves.record_wave(episode.id, now)
    return WaveOutcome(facts.sku, "discontinued", episode.id, wave, len(recipients))


def _substitutes(uow: WaveUnitOfWork, sku: str, limit: int = 3) -> list[Suggestion]:
    """The SKU's best in-stock, active substitutes (none when it has no neighbours)."""
    try:
        return substitutes_for(uow.waves.substitute_reader(), sku, limit=limit).substitutes
    except errors.DomainError:
        return []


def _tell(
    uow: WaveUnitOfWork,
    episode: Episode,
    wave: int,
    recipients: Sequence[Recipient],
    now: datetime,
    facts: ProductFacts,
    settings: WaveSettings,
    template: str,
    substitutes: Sequence[Suggestion] = (),
) -> None:
    uow.waves.add_notifications(episode.id, wave, recipients, now)
    texts = compose.compose_many(template, facts, recipients, settings, now, substitutes)
    uow.deliveries.add_many(
        [
            Delivery(
                idempotency_key=idempotency_key(episode.id, recipient),
                source=SOURCE,
                channel=_channel(recipient.channel),
                target=recipient.contact,
                subject=text.subject,
                body=text.body,
                created_at=now,
                payload={"sku": episode.sku, "episode": episode.id, "wave": wave, **text.payload},
            )
            for recipient, text in zip(recipients, texts, strict=True)
        ]
    )


def idempotency_key(episode_id: int, recipient: Recipient) -> str:
    """``wave:{episode}:{subscription}`` for a subscriber, ``wave:{episode}:c:{customer}``
    for a viewer."""
    if recipient.subscription_id is not None:
        return f"{SOURCE}:{episode_id}:{recipient.subscription_id}"
    return f"{SOURCE}:{episode_id}:c:{recipient.customer}"


def audience(recipient: Recipient) -> Audience:
    return Audience.SUBSCRIBER if recipient.subscription_id is not None else Audience.VIEWER


def _channel(name: str) -> Channel:
    return Channel(name)


def deliverable_channels() -> list[str]:
    """Subscription channels the outbox can deliver (an SMS subscriber waits until the
    outbox has an ``sms`` channel rather than being counted as told)."""
    return [channel.value for channel in Channel if channel is not Channel.WEBHOOK]
