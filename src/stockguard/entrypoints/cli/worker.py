"""``stockguard worker``: relay the outbox, send alerts and digests; Ctrl-C stops cleanly."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from rich.logging import RichHandler

from stockguard.entrypoints.cli.context import console, err_console, state
from stockguard.entrypoints.cli.secret_check import check_messaging_secret
from stockguard.entrypoints.worker import CycleReport, Worker, build_worker, open_ack_journal


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Relay and send what is waiting, then exit.")
    ] = False,
    poll_interval: Annotated[
        float | None,
        typer.Option(
            min=0.05, help="Seconds between polls [default: STOCKGUARD_WORKER__POLL_INTERVAL or 2]."
        ),
    ] = None,
) -> None:
    """Relay outbox events to alerts and send e-mails and webhooks; safe to run several.

    Also queues the daily digests. SMTP settings come from STOCKGUARD_SMTP__HOST, __PORT,
    __SECURITY (none, starttls, ssl), __USERNAME, __PASSWORD and __SENDER.
    """
    logging.basicConfig(
        level=logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=err_console, show_path=False)],
        force=True,
    )
    logging.getLogger("stockguard").setLevel(logging.INFO)
    check_messaging_secret(state.settings())
    app = state.app()
    journal = open_ack_journal(app.settings)
    try:
        _run(build_worker(app, journal=journal), once=once, poll_interval=poll_interval)
    finally:
        if journal is not None:
            journal.close()


def _run(job: Worker, *, once: bool, poll_interval: float | None) -> None:
    if poll_interval is not None:
        job.poll_interval = poll_interval
    if once:
        console.print(f"Worker pass: {job.cycle().describe()}.")
        return
    stop = threading.Event()
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        err_console.print("Stopping after the current pass...")
        stop.set()

    for sig in previous:
        signal.signal(sig, request_stop)
    console.print(f"Worker started; polling every {job.poll_interval:g} s. Ctrl-C stops it.")
    try:
        job.run(stop, on_cycle=_report)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.print("Worker stopped.")


def _report(report: CycleReport) -> None:
    if not report.idle:
        console.print(f"{report.describe()}.")
