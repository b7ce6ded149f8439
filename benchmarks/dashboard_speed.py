"""Server time of each dashboard page on the default demo shop.

Builds the default demo (520 SKUs, two years) into a fresh temporary SQLite file, signs in
as an operator, and times every page in process (no network) over repeated requests.
The issue's target is under 300 ms server time per page. A trivial page of the same
server (the sign-in form) is timed in the same run as the reference.

    python benchmarks/dashboard_speed.py [--repeat 11] [--database URL]

Prints a table and writes benchmarks/results/dashboard_speed.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from typer.testing import CliRunner

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.api.app import create_app
from stockguard.entrypoints.cli.main import app as cli
from stockguard.entrypoints.cli.operators import create_operator

RESULTS = Path(__file__).parent / "results" / "dashboard_speed.json"
TARGET_MS = 300.0
EMAIL, PASSWORD = "bench@example.com", "benchmark-password"


def build_demo(url: str) -> None:
    result = CliRunner().invoke(cli, ["--database", url, "demo", "--no-serve", "--today",
                                      "2026-11-24"])  # fmt: skip
    if result.exit_code != 0:
        raise SystemExit(f"the demo did not build:\n{result.output}")


def signed_in_client(url: str) -> tuple[TestClient, str, str]:
    settings = Settings(database=DatabaseSettings(url=url))
    stockguard = bootstrap(settings)
    create_operator(stockguard, EMAIL, PASSWORD)
    client = TestClient(create_app(settings, stockguard=stockguard))
    form = client.get("/dashboard/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if token is None:
        raise SystemExit("the sign-in form has no CSRF token")
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    if client.post("/dashboard/login", data=data, follow_redirects=False).status_code != 303:
        raise SystemExit("could not sign in")
    moves = t.table_of(t.StockMovementRow)
    best_seller = select(moves.c.sku).where(moves.c.kind == "sale").group_by(moves.c.sku)
    best_seller = best_seller.order_by(func.count().desc()).limit(1)
    orders = t.table_of(t.PurchaseOrderRow)
    with stockguard.sessions() as session:
        sku = session.execute(best_seller).scalar_one()
        po = session.execute(select(orders.c.number).limit(1)).scalar_one()
    return client, sku, po


def pages(sku: str, po: str) -> dict[str, str]:
    return {
        "sign-in form (reference)": "/dashboard/login",
        "overview": "/dashboard/",
        "stock, page 1": "/dashboard/stock",
        "stock, search": "/dashboard/stock?q=merino",
        "stock, filtered": "/dashboard/stock?location=PAR-GEN&out_of_stock=true",
        "SKU page (best seller)": f"/dashboard/sku/{sku}",
        "suppliers": "/dashboard/suppliers",
        "purchase orders": "/dashboard/purchase-orders",
        "purchase order detail": f"/dashboard/purchase-orders/{po}",
    }


def time_page(client: TestClient, url: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="requests per page")
    parser.add_argument("--database", help="an existing demo database (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        if not args.database:
            build_demo(url)
        client, sku, po = signed_in_client(url)
        figures = {name: time_page(client, path, args.repeat) for name, path in
                   pages(sku, po).items()}  # fmt: skip
    reference = statistics.median(figures["sign-in form (reference)"])
    table = Table("page", "median ms", "p100 ms", "ratio to reference", title="Dashboard pages")
    summary = {}
    for name, times in figures.items():
        median = statistics.median(times)
        summary[name] = {"median_ms": round(median, 2), "max_ms": round(max(times), 2),
                         "ratio_to_reference": round(median / reference, 2)}  # fmt: skip
        table.add_row(name, f"{median:.1f}", f"{max(times):.1f}", f"{median / reference:.1f}")
    Console().print(table)
    worst = max(v["median_ms"] for k, v in summary.items() if "reference" not in k)
    print(f"Slowest page median {worst:.1f} ms; target {TARGET_MS:.0f} ms: "
          f"{'meets it' if worst < TARGET_MS else 'MISSES it'}.")  # fmt: skip
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    payload = {"pages": summary, "slowest_median_ms": worst, "target_ms": TARGET_MS}
    RESULTS.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
