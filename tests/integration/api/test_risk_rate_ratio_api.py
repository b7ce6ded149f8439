"""The refresh's rate ratio (ADR 0022) through the API: the response shows what was
estimated from past planning runs and whether the figures read it (only when asked:
off by default)."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize(
    ("option", "asked", "by_default"),
    [("pooled_rates", "true", False), ("observed_spread", "false", True)],
)
def test_the_refreshs_switches_apply_only_when_asked(
    app: App,
    client: TestClient,
    planner_headers: Headers,
    option: str,
    asked: str,
    by_default: bool,
) -> None:
    """``pooled_rates`` (ADR 0024, off by default) and ``observed_spread`` (ADR 0027, on
    by default): the response says which figures the refresh read."""
    seed_replenishment_shop(app)

    default = client.post("/risk/refresh", headers=planner_headers)
    switched = client.post("/risk/refresh", params={option: asked}, headers=planner_headers)
    invalid = client.post("/risk/refresh", params={option: "2"}, headers=planner_headers)

    assert default.status_code == 200, default.text
    assert default.json()[option] is by_default
    assert switched.status_code == 200, switched.text
    assert switched.json()[option] is not by_default
    assert invalid.status_code == 422
