"""GET /forecasts/{sku} and GET /planning-runs after a planning run, with their scopes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from integration.forecast_ledger import HISTORY_DAYS, HORIZON, SEED, TODAY, seed_forecast_shop
from stockguard.bootstrap import App
from stockguard.domain import commands

RUN = commands.RunForecast(today=TODAY, seed=SEED, horizon=HORIZON, history_days=HISTORY_DAYS)


def test_the_latest_run_forecast_of_a_sku_is_returned_per_location(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    shop = seed_forecast_shop(app)
    app.bus.handle(RUN)
    latest = app.bus.handle(RUN)

    response = client.get(f"/forecasts/{shop.steady}", headers=planner_headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sku"] == shop.steady
    assert body["run"]["id"] == latest.run_id
    assert body["run"]["seed"] == SEED
    assert body["run"]["inputs_hash"] == latest.inputs_hash
    (location,) = body["locations"]
    assert location["location"] == shop.location
    assert location["model"]
    days = location["days"]
    assert [d["day"] for d in days][:2] == [TODAY.isoformat(), "2026-03-02"]
    assert len(days) == HORIZON
    for day in days:
        assert day["lower_95"] <= day["lower_80"] <= day["p50"] <= day["p90"] <= day["upper_95"]


def test_planning_runs_are_listed_newest_first(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    seed_forecast_shop(app)
    # runs other tests committed to the shared database count too: read the total first
    before = client.get("/planning-runs", params={"limit": 1}, headers=planner_headers).json()
    first, second = app.bus.handle(RUN), app.bus.handle(RUN)
    response = client.get("/planning-runs", params={"limit": 1}, headers=planner_headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == before["total"] + 2
    assert [run["id"] for run in page["items"]] == [second.run_id]
    assert page["items"][0]["horizon"] == HORIZON
    assert second.run_id > first.run_id


def test_a_storefront_key_is_refused_the_forecast(
    app: App, client: TestClient, storefront_headers: dict[str, str]
) -> None:
    shop = seed_forecast_shop(app)
    app.bus.handle(RUN)
    assert client.get(f"/forecasts/{shop.steady}", headers=storefront_headers).status_code == 403
    assert client.get("/planning-runs", headers=storefront_headers).status_code == 403


def test_a_sku_without_a_forecast_or_unknown_is_a_404_problem(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    shop = seed_forecast_shop(app)
    before = client.get(f"/forecasts/{shop.steady}", headers=planner_headers)
    assert before.status_code == 404
    assert before.json()["code"] == "no_forecast"
    unknown = client.get("/forecasts/NO-SUCH-SKU", headers=planner_headers)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_sku"
