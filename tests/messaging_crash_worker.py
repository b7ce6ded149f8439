"""The sending core of ``stockguard worker`` (``Sender`` on ``SqlRelayUnitOfWork``, the
kept-open SMTP transport, two sending threads, batches of 50 acknowledged together
through an acknowledgement journal, as the worker runs by default) as a process the
crash test can SIGKILL: sends until every delivery is sent, then exits 0. Imports only
what sending needs, so a restart takes well under a
second (the full CLI would spend ~3 s importing the forecasting stack)."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db.engine import make_engine
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.notifications.ack_journal import FileAckJournal
from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.adapters.notifications.smtp_pool import PooledSmtpTransport
from stockguard.services.outbox.delivery import RetryPolicy, Sender
from stockguard.services.outbox.model import Channel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("port", type=int)
    parser.add_argument("journal", type=Path, help="the acknowledgement journal file")
    parser.add_argument("--lease", type=float, default=0.5, help="lease seconds")
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def clock() -> datetime:
        return datetime.now(UTC)

    smtp = SmtpTransport(host="127.0.0.1", port=args.port, sender="s@shop.example")
    sender = Sender(
        lambda: SqlRelayUnitOfWork(sessions, clock=clock),
        {Channel.EMAIL: PooledSmtpTransport(smtp)},
        clock,
        retry=RetryPolicy(base_seconds=0.05, cap_seconds=0.2, max_attempts=1000),
        lease_seconds=args.lease,
        batch_size=50,
        journal=FileAckJournal(args.journal),
        concurrency=2,
    )
    unsent = select(func.count()).where(NotificationDeliveryRow.status != "sent")
    while True:
        sender.drain()
        with sessions() as session:
            if session.execute(unsent).scalar_one() == 0:
                return
        time.sleep(0.05)  # 'sending' rows of a killed run wait for their lease to expire


if __name__ == "__main__":
    main()
