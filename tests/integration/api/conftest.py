"""API fixtures: the app on the rolled-back test connection, and keys for each scope."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from integration.api.shop import Seeded, seed_shop
from stockguard.bootstrap import App
from stockguard.domain import access, commands
from stockguard.entrypoints.api.app import create_app


def make_key(stockguard: App, *scopes: str) -> str:
    """Create a key with ``scopes`` through the bus and return its bearer token."""
    prefix = f"t{abs(hash((scopes, datetime.now(UTC)))) % 10**7:07d}"
    secret = f"secret-{prefix}"
    stockguard.bus.handle(
        commands.CreateApiKey("test", tuple(scopes), prefix, secret, datetime.now(UTC))
    )
    return f"{access.KEY_PREFIX}_{prefix}_{secret}"


@pytest.fixture
def api(app: App) -> FastAPI:
    return create_app(app.settings, stockguard=app)


@pytest.fixture
def client(api: FastAPI) -> TestClient:
    return TestClient(api)


@pytest.fixture
def admin_headers(app: App) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(app, 'admin')}"}


@pytest.fixture
def planner_headers(app: App) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(app, 'planner')}"}


@pytest.fixture
def storefront_headers(app: App) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(app, 'storefront')}"}


@pytest.fixture
def seeded(app: App) -> Seeded:
    return seed_shop(app)
