"""The SKU page draws the latest planning run's forecast fan, or says there is none yet."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from integration.forecast_ledger import HISTORY_DAYS, HORIZON, SEED, TODAY, seed_forecast_shop
from stockguard.bootstrap import App
from stockguard.domain import commands

FAN_TRACES = {"95% interval", "80% interval", "Forecast mean"}


def _figures(page: str) -> list[dict[str, object]]:
    blocks = re.findall(r'id="forecast-chart-\d+-data">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_the_sku_page_says_there_is_no_forecast_before_the_first_run(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_forecast_shop(app)
    page = signed_in.get(f"/dashboard/sku/{shop.steady}").text
    assert "No forecast yet" in page
    assert "stockguard plan forecast" in page
    assert _figures(page) == []


def test_the_sku_page_shows_the_forecast_fan_when_a_run_exists(
    app: App, signed_in: TestClient
) -> None:
    shop = seed_forecast_shop(app)
    app.bus.handle(
        commands.RunForecast(today=TODAY, seed=SEED, horizon=HORIZON, history_days=HISTORY_DAYS)
    )
    page = signed_in.get(f"/dashboard/sku/{shop.steady}").text

    assert "No forecast yet" not in page
    (figure,) = _figures(page)
    data = figure["data"]
    assert isinstance(data, list)
    names = {trace["name"] for trace in data}
    assert names >= FAN_TRACES
    mean = next(trace for trace in data if trace["name"] == "Forecast mean")
    assert len(mean["x"]) == HORIZON
    assert mean["x"][0] == TODAY.isoformat()
    bands = [trace for trace in data if trace.get("fill") == "tonexty"]
    assert {trace["name"] for trace in bands} == {"95% interval", "80% interval"}
    assert shop.location in page
