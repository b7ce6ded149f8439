"""``stockguard serve``: the API and dashboard with uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
import uvicorn

from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.cli.context import console, state
from stockguard.entrypoints.cli.secret_check import check_messaging_secret

WORKER_HEALTHCHECK_SECONDS = 60
"""How long uvicorn's supervisor waits for a worker to answer its health ping before it
kills and replaces it. Uvicorn's 5 s default is shorter than a worker's start (importing
and wiring the app takes 3-10 s on a busy 2-core machine): every worker was killed
before it served, in a loop, and ``serve --workers 2`` never answered."""


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the REST API (docs at /docs) and the dashboard (at /dashboard)."""
    check_messaging_secret(state.settings())
    url = state.settings().database.url
    console.print(f"Serving stockguard on http://{host}:{port} (database {url})")
    if workers > 1:  # each worker wires its own app from the environment
        os.environ["STOCKGUARD_DATABASE__URL"] = url
        if state.settings().dashboard.session_secret is None:
            # one secret for all workers, or a cookie signed by one is refused by another
            os.environ["STOCKGUARD_DASHBOARD__SESSION_SECRET"] = secrets.token_urlsafe(32)
        uvicorn.run(
            "stockguard.entrypoints.api.asgi:build", factory=True, host=host, port=port,
            workers=workers, timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        )  # fmt: skip
        return
    uvicorn.run(create_app(state.settings(), stockguard=state.app()), host=host, port=port)
