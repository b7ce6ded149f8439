"""Dashboard fixtures: the app on the rolled-back connection, an operator, a signed-in client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from integration.web.signing import PASSWORD, sign_in
from stockguard.adapters.db.operators import SqlOperators
from stockguard.adapters.passwords import PasswordHasher
from stockguard.bootstrap import App
from stockguard.entrypoints.api.app import create_app

from conftest import random_sku


@pytest.fixture
def client(app: App) -> TestClient:
    return TestClient(create_app(app.settings, stockguard=app))


@pytest.fixture
def operator(app: App) -> str:
    """A stored operator's e-mail address; the password is ``signing.PASSWORD``."""
    email = f"{random_sku('op').lower()}@example.com"
    SqlOperators(app.sessions).add(
        email, PasswordHasher().hash(PASSWORD), created_at=datetime.now(UTC)
    )
    return email


@pytest.fixture
def signed_in(client: TestClient, operator: str) -> TestClient:
    assert sign_in(client, operator).status_code == 303
    return client
