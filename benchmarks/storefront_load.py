"""Storefront load: the availability endpoint against a trivial one, same server, same run.

Starts ``stockguard serve --workers 2`` on PostgreSQL, after seeding a small demo shop
(``stockguard demo --reset``: it DROPS every table of that database), refreshing the
availability rows and creating a storefront key. Then drives, with ``--connections``
concurrent keep-alive connections of an ``httpx.AsyncClient`` (``wrk`` is used instead
when installed and ``--tool wrk`` is given), for ``--seconds`` each:

* ``GET /storefront/v1/ping`` (the trivial endpoint, behind the same key check), then
* ``GET /storefront/v1/availability/{sku}`` over the shop's SKUs in turn, then ping
  again; the trivial figure is the mean of the two ping runs (drift cancels out).

The database URL comes from ``--database-url`` or ``STOCKGUARD_DATABASE__URL``; without
one the benchmark prints why and exits 0 without a result. The load client runs on the
same 2 cores as the server: both endpoints pay that equally, so the ratio is fair even
though absolute rates are lower than on separate machines.

Writes benchmarks/results/storefront_load.json with ``rps``, ``p50_ms``, ``p99_ms``
(availability), ``trivial_rps``, ``trivial_p50_ms``, ``trivial_p99_ms`` and
``ratio_to_trivial`` (availability rps / trivial rps; target >= 0.7).

    python benchmarks/storefront_load.py --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "storefront_load.json"
STOCKGUARD = [str(Path(sys.executable).with_name("stockguard"))]


def cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [*STOCKGUARD, "--database", url, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"stockguard {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def seed(url: str, skus: int) -> tuple[str, list[str]]:
    cli(url, "demo", "--no-serve", "--reset", "--skus", str(skus), "--customers", "100",
        "--days", "120")  # fmt: skip
    cli(url, "storefront", "refresh")
    created = cli(url, "keys", "create", "storefront load benchmark", "--scope", "storefront")
    token = re.search(r"sg_[A-Za-z0-9]+_\S+", created)
    if token is None:
        raise SystemExit(f"no key in the output of keys create:\n{created}")
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT DISTINCT sku FROM storefront_availability ORDER BY sku")
        ).scalars()
        names = list(found)
    engine.dispose()
    return token.group(0), names


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"STOCKGUARD_DATABASE__URL": url}
    return subprocess.Popen(
        [*STOCKGUARD, "serve", "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def wait_ready(base: str, headers: dict[str, str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/storefront/v1/ping", headers=headers).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer within a minute")


async def drive(
    base: str, paths: list[str], headers: dict[str, str], connections: int, seconds: float
) -> dict[str, float]:
    """``connections`` workers loop over ``paths`` for ``seconds``; latencies in ms."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient, offset: int) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < stop:
            begun = time.perf_counter()
            answer = await client.get(paths[i % len(paths)])
            latencies.append((time.perf_counter() - begun) * 1000)
            errors += answer.status_code != 200
            i += connections

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, k) for k in range(connections)))
        elapsed = time.perf_counter() - started
    values = np.asarray(latencies)
    return {
        "requests": float(values.size),
        "errors": float(errors),
        "rps": values.size / elapsed,
        "p50_ms": float(np.percentile(values, 50)),
        "p99_ms": float(np.percentile(values, 99)),
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("STOCKGUARD_DATABASE__URL"))
    parser.add_argument("--seconds", type=float, default=10.0, help="per endpoint run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--skus", type=int, default=50, help="SKUs of the seeded demo shop")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=120)
    url = args.database_url
    if not url or not url.startswith("postgresql"):
        console.print(
            "storefront_load needs PostgreSQL: pass --database-url postgresql+psycopg://... "
            "or set STOCKGUARD_DATABASE__URL (the database's tables are dropped). Skipped."
        )
        return 0
    console.print(f"wrk installed: {bool(shutil.which('wrk'))} (the async client is used)")
    token, skus = seed(url, args.skus)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(url, args.port, args.workers)
    try:
        wait_ready(base, headers)
        availability = [f"/storefront/v1/availability/{sku}" for sku in skus]
        ping = ["/storefront/v1/ping"]
        asyncio.run(drive(base, availability + ping, headers, args.connections, 2.0))  # warm
        runs = {
            "trivial_1": asyncio.run(drive(base, ping, headers, args.connections, args.seconds)),
            "availability": asyncio.run(
                drive(base, availability, headers, args.connections, args.seconds)
            ),
            "trivial_2": asyncio.run(drive(base, ping, headers, args.connections, args.seconds)),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    trivial = {
        key: (runs["trivial_1"][key] + runs["trivial_2"][key]) / 2
        for key in ("rps", "p50_ms", "p99_ms")
    }
    measured = runs["availability"]
    table = Table(title=f"{args.workers} workers, {args.connections} connections, "
                        f"{args.seconds:.0f} s per run, {len(skus)} SKUs")  # fmt: skip
    for column in ("endpoint", "requests/s", "p50 ms", "p99 ms", "errors"):
        table.add_column(column, justify="right")
    for name, run in runs.items():
        table.add_row(name, f"{run['rps']:.0f}", f"{run['p50_ms']:.1f}", f"{run['p99_ms']:.1f}",
                      f"{run['errors']:.0f}")  # fmt: skip
    console.print(table)
    ratio = measured["rps"] / trivial["rps"]
    console.print(f"ratio_to_trivial = {ratio:.2f} (target >= 0.7)")
    payload: dict[str, Any] = {
        "benchmark": "storefront_load",
        "rps": measured["rps"],
        "p50_ms": measured["p50_ms"],
        "p99_ms": measured["p99_ms"],
        "trivial_rps": trivial["rps"],
        "trivial_p50_ms": trivial["p50_ms"],
        "trivial_p99_ms": trivial["p99_ms"],
        "ratio_to_trivial": ratio,
        "runs": runs,
        "tool": "httpx.AsyncClient",
        "workers": args.workers,
        "connections": args.connections,
        "seconds_per_run": args.seconds,
        "skus": len(skus),
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2))
    console.print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
