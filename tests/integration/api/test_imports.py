"""CSV uploads: all or nothing, idempotent, with problems pointing at cells."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from integration.api.shop import Seeded
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.entrypoints.api.routers import imports

from conftest import random_sku


def _upload(
    client: TestClient, headers: dict[str, str], entity: str, content: str | bytes
) -> Response:
    data = content.encode() if isinstance(content, str) else content
    files = {"file": (f"{entity}.csv", data, "text/csv")}
    return client.post(f"/imports/{entity}", files=files, headers=headers)


def _row_counts(app: App) -> dict[str, int]:
    with app.sessions() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in t.Base.metadata.sorted_tables
        }


def test_a_file_with_bad_rows_is_a_422_listing_every_problem_and_writes_nothing(
    app: App, client: TestClient, planner_headers: dict[str, str]
) -> None:
    good, bad = random_sku(), random_sku()
    csv = (
        "sku,title,price,status\n"
        f"{good},Mug,12.90,active\n"
        f"{bad},Bowl,twelve,active\n"
        f"{bad}-2,,3.00,active\n"
        f"{bad}-3,Plate,4.00,sold-out\n"
    )
    before = _row_counts(app)
    response = _upload(client, planner_headers, "products", csv)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "import_rejected"
    cells = [(p["line"], p["column"], p["value"]) for p in body["problems"]]
    assert cells == [(3, "price", "twelve"), (4, "title", None), (5, "status", "sold-out")]
    assert all(p["reason"] for p in body["problems"])
    assert _row_counts(app) == before


def test_a_good_file_writes_and_uploading_it_again_changes_nothing(
    app: App, client: TestClient, seeded: Seeded, planner_headers: dict[str, str]
) -> None:
    csv = (
        "sku,location,kind,quantity,occurred_at,idempotency_key\n"
        f"{seeded.sku},{seeded.location},adjustment,30,2026-09-02T08:00:00Z,{seeded.sku}:a\n"
        f"{seeded.sku},{seeded.location},sale,-4,2026-09-02T09:00:00Z,{seeded.sku}:b\n"
    )
    first = _upload(client, planner_headers, "movements", "\ufeff" + csv)
    after_first = _row_counts(app)
    again = _upload(client, planner_headers, "movements", csv)

    assert (first.status_code, again.status_code) == (200, 200), again.json()
    report: dict[str, Any] = first.json()
    assert (report["entity"], report["rows_read"]) == ("movements", 2)
    assert report["written"]["stock_movement"] == 2
    assert again.json()["written"].get("stock_movement", 0) == 0
    assert _row_counts(app) == after_first
    params = {"sku": seeded.sku, "location": seeded.location}
    level = client.get("/stock-levels", params=params, headers=planner_headers).json()
    assert level["items"][0]["on_hand"] == 30 - 4 - 2  # the seeded order sold 2


def test_a_file_that_is_not_utf8_is_a_422_problem(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    response = _upload(
        client, planner_headers, "locations", "code,name\nW1,Zürich\n".encode("latin-1")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
    assert "UTF-8" in response.json()["problems"][0]["reason"]


def test_an_unknown_kind_of_file_is_a_422_problem(
    client: TestClient, planner_headers: dict[str, str]
) -> None:
    response = _upload(client, planner_headers, "invoices", "a,b\n1,2\n")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert response.json()["invalid"][0]["field"] == "path.entity"


def test_a_file_above_the_size_limit_is_a_413_problem_and_writes_nothing(
    app: App, client: TestClient, planner_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 32)
    before = _row_counts(app)
    response = _upload(client, planner_headers, "locations", "code,name\n" + "W1,Big\n" * 10)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert _row_counts(app) == before
