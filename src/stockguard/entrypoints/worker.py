"""The worker: relays the outbox to its subscribers, queues digests, sends deliveries.

``relay_outbox_job`` hands unrelayed events to the subscribers registered here (alerts
now; later areas register theirs in ``subscribers``), ``send_digests_job`` queues the
daily digests whose hour has come, and ``send_deliveries_job`` sends what is due. Daily
jobs (the promotion readiness check, ``WorkerSettings.promotion_check``, from its hour) run
first in the first cycle of each UTC day at or after their hour, so the events they write
are relayed in the same cycle; expired checkout holds are released every
``CheckoutSettings.release_interval_seconds``. One cycle runs them all; ``run`` repeats cycles every
``poll_interval`` seconds until its stop event is set (the CLI sets it on Ctrl-C or
SIGTERM, after the cycle in progress).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from stockguard.adapters.db import compensation as notice_subscriber
from stockguard.adapters.db.alerts import AbcCache
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.notifications import ack_journal
from stockguard.adapters.notifications.ack_journal import FileAckJournal
from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.adapters.notifications.webhook import WebhookTransport
from stockguard.bootstrap import App, link_config
from stockguard.config import Settings
from stockguard.entrypoints import messaging_channels
from stockguard.services.alerts import digest
from stockguard.services.alerts import subscriber as alert_subscriber
from stockguard.services.alerts.ports import AlertUnitOfWork
from stockguard.services.outbox.delivery import (
    AckJournal,
    RetryPolicy,
    Sender,
    SendReport,
    Transport,
)
from stockguard.services.outbox.model import Channel
from stockguard.services.outbox.relay import Relay, RelayReport, Subscribers
from stockguard.services.promotions.check import check_promotions
from stockguard.services.reservations.expiry import IntervalJob, release_expired_job
from stockguard.services.waves import compose as wave_compose
from stockguard.services.waves import subscriber as wave_subscriber
from stockguard.services.waves.ports import WaveSettings

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class CycleReport:
    relayed: RelayReport
    digests: int
    sent: SendReport

    @property
    def idle(self) -> bool:
        sent = self.sent
        return not (self.relayed.relayed or self.relayed.failed or self.digests) and not (
            sent.sent or sent.retrying or sent.failed
        )

    def describe(self) -> str:
        return (
            f"relayed {self.relayed.relayed} event(s)"
            + (f" ({self.relayed.failed} failed)" if self.relayed.failed else "")
            + f", {self.digests} digest(s) queued, sent {self.sent.sent} message(s), "
            f"{self.sent.retrying} to retry, {self.sent.failed} failed"
        )


def subscribers(waves: WaveSettings | None = None) -> Subscribers[AlertUnitOfWork]:
    """Every outbox subscriber, by event type."""
    registry: Subscribers[AlertUnitOfWork] = Subscribers()
    alert_subscriber.subscribe(registry)
    notice_subscriber.subscribe(
        registry, None if waves is None else functools.partial(wave_compose.product_link, waves)
    )
    wave_subscriber.subscribe(registry, waves)
    return registry


def transports(settings: Settings) -> dict[Channel, Transport]:
    smtp = settings.smtp
    channels: dict[Channel, Transport] = {
        Channel.EMAIL: SmtpTransport(
            host=smtp.host,
            port=smtp.port,
            sender=smtp.sender,
            security=smtp.security,
            username=smtp.username,
            password=smtp.password.get_secret_value() if smtp.password else None,
            timeout=smtp.timeout,
        ),
        Channel.WEBHOOK: WebhookTransport(timeout=settings.worker.webhook_timeout),
    }
    if smtp.keep_open:
        channels[Channel.EMAIL] = messaging_channels.kept_open(channels[Channel.EMAIL])
    if (sms := messaging_channels.sms_transport(settings)) is not None:
        channels[Channel.SMS] = sms
    return channels


@dataclass(slots=True)
class DailyJob:
    """A job the worker runs once per UTC day, in its first cycle at or after ``hour``."""

    name: str
    hour: int
    run: Callable[[datetime], object]
    last_day: date | None = None

    def run_if_due(self, now: datetime) -> bool:
        """Run the job if today's run is due; True when it ran (a failure is logged and
        retried on the next cycle)."""
        if now.hour < self.hour or self.last_day == now.date():
            return False
        try:
            self.run(now)
        except Exception:
            logger.exception("daily job %s failed; retrying at the next cycle", self.name)
            return False
        self.last_day = now.date()
        return True


@dataclass(slots=True)
class Worker:
    relay: Relay[AlertUnitOfWork]
    sender: Sender
    uow_factory: Callable[[], SqlRelayUnitOfWork]
    clock: Clock
    poll_interval: float
    daily_jobs: list[DailyJob | IntervalJob] = field(default_factory=list)

    def relay_outbox_job(self) -> RelayReport:
        return self.relay.drain()

    def send_digests_job(self) -> int:
        with self.uow_factory() as uow:
            return digest.send_due_digests(uow, self.clock())

    def send_deliveries_job(self) -> SendReport:
        return self.sender.drain()

    def cycle(self) -> CycleReport:
        """Run due daily jobs, relay everything waiting, queue due digests, send what is due."""
        now = self.clock()
        for job in self.daily_jobs:
            job.run_if_due(now)
        relayed = self.relay_outbox_job()
        digests = self.send_digests_job()
        return CycleReport(relayed, digests, self.send_deliveries_job())

    def run(
        self, stop: threading.Event, on_cycle: Callable[[CycleReport], None] | None = None
    ) -> None:
        """Cycle every ``poll_interval`` seconds until ``stop`` is set; a failing cycle
        is logged and retried at the next poll."""
        while not stop.is_set():
            try:
                report = self.cycle()
            except Exception:
                logger.exception("worker cycle failed; retrying in %.1f s", self.poll_interval)
            else:
                if on_cycle is not None:
                    on_cycle(report)
            stop.wait(self.poll_interval)


def wave_settings(settings: Settings) -> WaveSettings:
    """Back-in-stock waves as configured (``STOCKGUARD_WAVES__*``), links signed with the
    messaging secret."""
    chosen = settings.waves
    return WaveSettings(
        factor=chosen.factor,
        pause_minutes=chosen.pause_minutes,
        include_viewers=chosen.include_viewers,
        viewer_days=chosen.viewer_days,
        links=link_config(settings),
        product_url=chosen.product_url,
    )


def open_ack_journal(settings: Settings) -> FileAckJournal | None:
    """The acknowledgement journal ``STOCKGUARD_WORKER__ACK_JOURNAL`` asks for: None for
    ``off``, a free journal file of this database in the cache folder for ``auto``, or in
    the folder given."""
    choice = settings.worker.ack_journal
    if choice == "off":
        return None
    folder = ack_journal.default_folder() if choice == "auto" else Path(choice)
    return ack_journal.open_journal(folder, settings.database.url)


def build_worker(
    app: App,
    *,
    clock: Clock | None = None,
    channel_transports: Mapping[Channel, Transport] | None = None,
    journal: AckJournal | None = None,
) -> Worker:
    """The worker on ``app``'s database, with the settings' transports unless given;
    with ``journal`` (``open_ack_journal``) acknowledgements are committed per batch."""
    settings = app.settings.worker
    now = clock or (lambda: datetime.now(UTC))
    abc = AbcCache(sessions=app.read_sessions)

    def uow_factory() -> SqlRelayUnitOfWork:
        return SqlRelayUnitOfWork(app.sessions, abc=abc, clock=now)

    waves = wave_settings(app.settings)
    relay = Relay(uow_factory, subscribers(waves), now, batch_size=settings.batch_size)
    sender = Sender(
        uow_factory,
        channel_transports if channel_transports is not None else transports(app.settings),
        now,
        retry=RetryPolicy(
            settings.retry_base_seconds, settings.retry_cap_seconds, settings.max_attempts
        ),
        lease_seconds=settings.lease_seconds,
        batch_size=settings.send_batch_size,
        throttles=messaging_channels.throttles(app.settings),
        journal=journal,
        concurrency=settings.senders,
    )
    daily: list[DailyJob | IntervalJob] = [
        release_expired_job(app.bus, app.settings.checkout.release_interval_seconds)
    ]
    daily.append(
        IntervalJob(
            "back-in-stock waves",
            app.settings.waves.recheck_seconds,
            lambda at: wave_subscriber.recheck(uow_factory, at, waves),
        )
    )
    if settings.promotion_check:
        daily.append(
            DailyJob(
                "promotion readiness",
                settings.promotion_check_hour,
                lambda at: check_promotions(app.unit_of_work(), now=at),
            )
        )
    return Worker(relay, sender, uow_factory, now, settings.poll_interval, daily)
