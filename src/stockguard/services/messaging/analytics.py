"""Message analytics per SKU x template: sent, delivered, bounced, clicked, unsubscribed,
converted, and their rates.

Everything is computed from facts at query time (pure functions over what the
``AnalyticsSource`` reads), so a different conversion window or a late order import
changes the figures without any rewrite:

- **sent**: the delivery was accepted by the SMTP server or the SMS provider;
- **delivered**: the provider reported delivery (``POST /api/v1/messages/events``);
  plain SMTP has no such report, so delivered stays 0 for it;
- **bounced**: refused for good at sending (5xx, out of attempts) *or* reported bounced
  later by the provider (an asynchronous bounce after a 250); **complained** likewise;
- **clicked**: a signed click link was followed;
- **unsubscribed**: see :func:`attribute_unsubscribes`;
- **converted**: see :func:`converted_messages`.

Counts are distinct messages. Rates divide by ``sent`` except the bounce rate, which
divides by the messages that finished (``sent + refused at sending``); a rate is None
when its denominator is 0.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

DEFAULT_WINDOW_DAYS = 7
"""A purchase counts as a conversion within this many days after the message was sent."""
DEFAULT_SUBSTITUTES = 3
"""Substitutes per SKU a purchase may be of (the waves propose the best 3)."""
TOTAL = "(total)"

LINK = "link"
LATEST = "latest_message"
"""How an unsubscribe was attributed: ``link`` (the message carrying the subscription's
unsubscribe link) or ``latest_message`` (the contact's latest message before it)."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One customer message in the delivery queue.

    ``contact`` is the address or E.164 number it went to; ``subscription_id`` the
    back-in-stock subscription whose unsubscribe link it carried (None for others);
    ``status`` the queue status (``sent``, ``failed``, ``pending``, ``sending``);
    ``sent_at`` when the server accepted it (None until then).
    """

    key: str
    template: str
    sku: str | None
    contact: str
    status: str
    sent_at: datetime | None
    subscription_id: int | None = None


@dataclass(frozen=True, slots=True)
class Purchase:
    """One order line: the customer's e-mail and phone (normalised), the SKU, when."""

    order: str
    email: str | None
    phone: str | None
    sku: str
    ordered_at: datetime


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    """An ``unsubscribed`` entry of the consent log."""

    subscription_id: int | None
    contact: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Conversion:
    """Why a message counts as converted: the first qualifying order line."""

    order: str
    sku: str
    ordered_at: datetime
    by_substitute: bool


@dataclass(slots=True)
class StatsRow:
    """Counts (distinct messages) and rates (0..1 or None) of one SKU x template."""

    sku: str | None
    template: str
    sent: int = 0
    delivered: int = 0
    bounced: int = 0
    complained: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    converted: int = 0
    queued: int = 0
    refused: int = 0
    delivery_rate: float | None = None
    bounce_rate: float | None = None
    click_rate: float | None = None
    unsubscribe_rate: float | None = None
    conversion_rate: float | None = None

    def as_record(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in STATS_FIELDS}


STATS_FIELDS = (
    "sku", "template", "sent", "delivered", "bounced", "complained", "clicked",
    "unsubscribed", "converted", "queued", "delivery_rate", "bounce_rate", "click_rate",
    "unsubscribe_rate", "conversion_rate",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnalyticsReport:
    """Rows per SKU x template (sorted) and the total; how each figure was made."""

    rows: list[StatsRow]
    total: StatsRow
    window_days: int
    substitutes_per_sku: int
    unsubscribe_basis: dict[str, int] = field(default_factory=dict)


class AnalyticsSource(Protocol):
    """What the analytics read (``adapters.db.messaging_analytics`` on SQL)."""

    def messages(self) -> list[SentMessage]: ...

    def events(self) -> list[tuple[str, str]]:
        """``(message key, kind)`` of the recorded events (clicked, delivered ...)."""
        ...

    def purchases(self, since: datetime, contacts: set[str]) -> list[Purchase]:
        """Order lines from ``since`` on of customers whose e-mail or phone is in
        ``contacts``."""
        ...

    def unsubscribes(self) -> list[Unsubscribe]: ...

    def substitutes(self, skus: set[str], limit: int) -> dict[str, set[str]]:
        """The best ``limit`` substitutes (by rank) of each SKU."""
        ...


def converted_messages(
    messages: Iterable[SentMessage],
    purchases: Iterable[Purchase],
    substitutes: Mapping[str, set[str]],
    window: timedelta,
) -> dict[str, Conversion]:
    """Messages followed by a purchase of their SKU or one of its substitutes by the
    same contact within ``window`` after sending.

    A sent message ``m`` (contact ``c``, SKU ``s``, sent at ``t``) is converted when an
    order line ``p`` exists with ``c`` in {p.email, p.phone}, ``p.sku`` in
    ``{s} | substitutes[s]`` and ``t <= p.ordered_at <= t + window``. One purchase can
    convert several messages (e.g. a restock message and a delay notice). The first
    such line (by time) is kept as the reason.
    """
    lines_by_contact: dict[str, list[Purchase]] = defaultdict(list)
    for line in purchases:
        for contact in {line.email, line.phone} - {None}:
            lines_by_contact[str(contact)].append(line)
    times_by_contact: dict[str, list[datetime]] = {}
    for contact, lines in lines_by_contact.items():
        lines.sort(key=lambda p: p.ordered_at)
        times_by_contact[contact] = [p.ordered_at for p in lines]
    found: dict[str, Conversion] = {}
    for message in messages:
        if message.sent_at is None or message.sku is None:
            continue
        lines = lines_by_contact.get(message.contact, [])
        start = bisect.bisect_left(times_by_contact.get(message.contact, []), message.sent_at)
        wanted = {message.sku} | substitutes.get(message.sku, set())
        for line in lines[start:]:
            if line.ordered_at > message.sent_at + window:
                break
            if line.sku in wanted:
                by_substitute = line.sku != message.sku
                found[message.key] = Conversion(
                    line.order, line.sku, line.ordered_at, by_substitute
                )
                break
    return found


def attribute_unsubscribes(
    unsubscribes: Iterable[Unsubscribe], messages: Sequence[SentMessage]
) -> dict[str, str]:
    """The message each unsubscribe is counted against, and how (``LINK`` / ``LATEST``).

    The unsubscribe link names a subscription, not a message; the messages carrying it
    are the ones sent to that subscription (``SentMessage.subscription_id``), and the
    latest of them sent at or before the unsubscribe is taken (``LINK``). Without one
    (e.g. the page reached from elsewhere), the latest message sent to the same
    contact at or before it (``LATEST``). Unmatched unsubscribes are not counted.
    """
    by_subscription: dict[int, list[SentMessage]] = defaultdict(list)
    by_contact: dict[str, list[SentMessage]] = defaultdict(list)
    for message in messages:
        if message.sent_at is None:
            continue
        if message.subscription_id is not None:
            by_subscription[message.subscription_id].append(message)
        by_contact[message.contact].append(message)
    found: dict[str, str] = {}
    for entry in unsubscribes:
        chosen = _latest_before(by_subscription.get(entry.subscription_id or -1, []), entry.at)
        basis = LINK
        if chosen is None and entry.contact:
            chosen, basis = _latest_before(by_contact.get(entry.contact, []), entry.at), LATEST
        if chosen is not None:
            found.setdefault(chosen.key, basis)
    return found


def _latest_before(messages: Sequence[SentMessage], at: datetime) -> SentMessage | None:
    candidates = [m for m in messages if m.sent_at is not None and m.sent_at <= at]
    return max(candidates, key=lambda m: (m.sent_at, m.key)) if candidates else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def finish(row: StatsRow) -> StatsRow:
    """Fill the rates of ``row``: delivered, clicked, unsubscribed and converted over
    ``sent``; bounced over ``sent + refused`` (the messages that finished)."""
    row.delivery_rate = _rate(row.delivered, row.sent)
    row.bounce_rate = _rate(row.bounced, row.sent + row.refused)
    row.click_rate = _rate(row.clicked, row.sent)
    row.unsubscribe_rate = _rate(row.unsubscribed, row.sent)
    row.conversion_rate = _rate(row.converted, row.sent)
    return row


def tabulate(
    messages: Sequence[SentMessage],
    events: Iterable[tuple[str, str]],
    converted: Mapping[str, Conversion],
    unsubscribed: Mapping[str, str],
) -> tuple[list[StatsRow], StatsRow]:
    """Rows per (SKU, template) and the total, counting each message once per figure."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for key, kind in events:
        kinds[key].add(kind)
    rows: dict[tuple[str | None, str], StatsRow] = {}
    total = StatsRow(None, TOTAL)
    for message in messages:
        row = rows.get((message.sku, message.template))
        if row is None:
            row = rows[(message.sku, message.template)] = StatsRow(message.sku, message.template)
        for target in (row, total):
            _count(target, message, kinds.get(message.key, set()), converted, unsubscribed)
    ordered = sorted(rows.values(), key=lambda r: (r.sku or "", r.template))
    return [finish(r) for r in ordered], finish(total)


def _count(
    row: StatsRow,
    message: SentMessage,
    kinds: set[str],
    converted: Mapping[str, Conversion],
    unsubscribed: Mapping[str, str],
) -> None:
    sent = message.status == "sent"
    refused = message.status == "failed"
    row.sent += sent
    row.refused += refused
    row.queued += not (sent or refused)
    row.delivered += "delivered" in kinds
    row.bounced += refused or "bounced" in kinds
    row.complained += "complained" in kinds
    row.clicked += "clicked" in kinds
    row.unsubscribed += message.key in unsubscribed or "unsubscribed" in kinds
    row.converted += message.key in converted


def message_analytics(
    source: AnalyticsSource,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    substitutes_per_sku: int = DEFAULT_SUBSTITUTES,
) -> AnalyticsReport:
    """The analytics report from ``source`` (conversion window in days, substitutes
    per SKU a purchase may be of; 0 counts purchases of the SKU itself only)."""
    if window_days < 0 or substitutes_per_sku < 0:
        raise ValueError("window_days and substitutes_per_sku must be >= 0")
    messages = source.messages()
    sent = [m for m in messages if m.sent_at is not None]
    converted: dict[str, Conversion] = {}
    if sent:
        since = min(m.sent_at for m in sent if m.sent_at is not None)
        skus = {m.sku for m in sent if m.sku is not None}
        substitutes = source.substitutes(skus, substitutes_per_sku) if substitutes_per_sku else {}
        purchases = source.purchases(since, {m.contact for m in sent})
        converted = converted_messages(sent, purchases, substitutes, timedelta(days=window_days))
    unsubscribed = attribute_unsubscribes(source.unsubscribes(), messages)
    rows, total = tabulate(messages, source.events(), converted, unsubscribed)
    basis: dict[str, int] = defaultdict(int)
    for how in unsubscribed.values():
        basis[how] += 1
    return AnalyticsReport(rows, total, window_days, substitutes_per_sku, dict(basis))
