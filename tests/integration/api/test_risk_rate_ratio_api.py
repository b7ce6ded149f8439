"""The refresh's rate ratio (ADR 0022) through the API: the response shows what was
estimated from past planning runs and whether the figures read it (only when asked:
off by default)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.replenishment_shop import seed_replenishment_shop
from stockguard.bootstrap import App

Headers = dict[str, str]


def test_the_refresh_shows_the_rate_ratio_and_applies_it_when_asked(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    seed_replenishment_shop(app)

    applied = client.post("/risk/refresh", params={"rate_ratio": "true"}, headers=planner_headers)
    reported = client.post("/risk/refresh", headers=planner_headers)
    invalid = client.post("/risk/refresh", params={"rate_ratio": "maybe"}, headers=planner_headers)

    assert applied.status_code == 200, applied.text
    found = applied.json()["rate_ratio"]
    assert found["applied"] is True
    assert len(found["ratio"]) == len(found["edges"]) + 1 == len(found["origins"])
    assert all(b > 0 for b in found["ratio"])
    assert found["runs"] == 0 or len(found["first_days"]) == 2
    by_default = reported.json()["rate_ratio"]
    assert by_default["applied"] is False
    assert by_default["runs"] == 0
    assert set(by_default["ratio"]) == {1.0}
    assert invalid.status_code == 422


def test_the_refresh_reads_pooled_rates_only_when_asked(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    seed_replenishment_shop(app)

    by_default = client.post("/risk/refresh", headers=planner_headers)
    pooled = client.post("/risk/refresh", params={"pooled_rates": "true"}, headers=planner_headers)
    invalid = client.post("/risk/refresh", params={"pooled_rates": "2"}, headers=planner_headers)

    assert by_default.status_code == 200, by_default.text
    assert by_default.json()["pooled_rates"] is False
    assert pooled.status_code == 200, pooled.text
    assert pooled.json()["pooled_rates"] is True
    assert invalid.status_code == 422


def test_the_refresh_floors_by_the_observed_spread_unless_asked_not_to(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    seed_replenishment_shop(app)

    by_default = client.post("/risk/refresh", headers=planner_headers)
    off = client.post("/risk/refresh", params={"observed_spread": "false"}, headers=planner_headers)
    invalid = client.post("/risk/refresh", params={"observed_spread": "2"}, headers=planner_headers)

    assert by_default.status_code == 200, by_default.text
    assert by_default.json()["observed_spread"] is True
    assert off.status_code == 200, off.text
    assert off.json()["observed_spread"] is False
    assert invalid.status_code == 422
