"""Storefront load: the availability endpoint against a trivial one, same server, same run.

Starts ``stockguard serve --workers 2`` on PostgreSQL, after seeding a small demo shop
(``stockguard demo --reset``: it DROPS every table of that database), refreshing the
availability rows and creating a storefront key. Then drives, for ``--seconds`` each,
with ``--connections`` concurrent keep-alive connections:

* ``GET /storefront/v1/ping`` (the trivial endpoint, behind the same key check), then
* ``GET /storefront/v1/availability/{sku}`` over the shop's SKUs in turn, then ping
  again; the trivial figure is the mean of the two ping runs (drift cancels out).

The load tool is ``wrk`` (Debian's ``apt-get install wrk``), a C client that costs the
server's two cores little; ``--tool auto`` (the default) uses it when installed and
otherwise falls back, saying so, to an ``httpx.AsyncClient`` loop. That client spends
more CPU per request than the server does (pure Python, on the same 2 cores): its
figures measure the client as much as the server (90 requests/s where wrk sees 300 on
the same busy machine), so only its ratio is meaningful.

What the server itself spends is measured too, independently of the client: the CPU
time of the server's worker processes and of their PostgreSQL backends during each
run (``/proc``, Linux), per request (``server_cpu_ms_per_request``,
``database_cpu_ms_per_request``). On a machine shared with other jobs this is the
steadier figure; requests/s and latencies move with the load average, which is
recorded before and after the run (``load_average``).

At 50 SKUs nearly every availability request is answered from the endpoint's
in-process cache (2 s per SKU and worker, by design); a worker reads the database at
most ``skus / 2`` times a second.

The database URL comes from ``--database-url`` or ``STOCKGUARD_DATABASE__URL``; without
one the benchmark prints why and exits 0 without a result. The server's log goes to
``storefront_load_server.log`` in the temporary folder. ``--server-pythonpath DIR``
serves another checkout's ``src`` (e.g. an older commit, for before/after figures).

Writes benchmarks/results/storefront_load.json with ``rps``, ``p50_ms``, ``p99_ms``
(availability), ``trivial_rps``, ``trivial_p50_ms``, ``trivial_p99_ms``,
``ratio_to_trivial`` (availability rps / trivial rps; target >= 0.7), ``tool``,
``server_cpu_ms_per_request`` and ``database_cpu_ms_per_request`` (availability and
trivial), ``load_average`` and every run's figures under ``runs`` (with
``sessions_opened``: PostgreSQL sessions the server opened during the run, from
``pg_stat_database``; 0 once its connection pools are warm).

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
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection, create_engine, text

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "storefront_load.json"
STOCKGUARD = [str(Path(sys.executable).with_name("stockguard"))]
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
Run = dict[str, float]


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


def start_server(
    url: str, port: int, workers: int, log: Path, pythonpath: Path | None
) -> subprocess.Popen[bytes]:
    env = os.environ | {"STOCKGUARD_DATABASE__URL": url}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath.resolve())
    with log.open("wb") as sink:
        return subprocess.Popen(
            [*STOCKGUARD, "serve", "--port", str(port), "--workers", str(workers)],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def wait_ready(base: str, headers: dict[str, str], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/storefront/v1/ping", headers=headers).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {seconds:.0f} s; its log:\n"
                     f"{log.read_text(errors='replace')[-3000:]}")  # fmt: skip


# --- CPU spent by the server (Linux /proc) ---------------------------------------------


def _proc_stats() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, user + system CPU seconds) of every readable process."""
    found: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS)
    return found


def _descendants(stats: dict[int, tuple[int, float]], root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _database_backends(database: str) -> set[int]:
    """PostgreSQL backends serving ``database`` (their title: ``postgres: user db ...``)."""
    found = set()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            found.add(int(entry.name))
    return found


def cpu_seconds(server_pid: int, database: str) -> tuple[float, float]:
    """CPU seconds so far of the server's processes and of the database's backends."""
    stats = _proc_stats()
    server = sum(stats[pid][1] for pid in _descendants(stats, server_pid) | {server_pid}
                 if pid in stats)  # fmt: skip
    backends = sum(stats[pid][1] for pid in _database_backends(database) if pid in stats)
    return server, backends


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


# --- load tools -------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
"""


def drive_wrk(
    base: str, paths: list[str], headers: dict[str, str], connections: int, seconds: float
) -> Run:
    """``wrk`` with ``connections`` connections on 2 threads over ``paths`` in turn."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % quoted)
    header = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    try:
        done = subprocess.run(
            ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
             "-d", f"{seconds:.0f}s", "--timeout", "10s", "-s", script.name, *header, base],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        Path(script.name).unlink()
    found = re.search(r"RESULT (\{.*\})", done.stdout)
    if found is None:
        raise SystemExit(f"no result in wrk's output:\n{done.stdout}\n{done.stderr}")
    result = json.loads(found.group(1))
    return {
        "requests": float(result["requests"]),
        "errors": float(result["errors"]),
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
    }


async def _drive_httpx(
    base: str, paths: list[str], headers: dict[str, str], connections: int, seconds: float
) -> Run:
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


def drive_httpx(
    base: str, paths: list[str], headers: dict[str, str], connections: int, seconds: float
) -> Run:
    """``connections`` asyncio workers of one ``httpx.AsyncClient`` loop over ``paths``."""
    return asyncio.run(_drive_httpx(base, paths, headers, connections, seconds))


Driver = Callable[[str, list[str], dict[str, str], int, float], Run]


def pick_tool(wanted: str, console: Console) -> tuple[str, Driver]:
    has_wrk = shutil.which("wrk") is not None
    if wanted == "wrk" and not has_wrk:
        raise SystemExit("--tool wrk: wrk is not installed (apt-get install wrk).")
    if wanted == "wrk" or (wanted == "auto" and has_wrk):
        return "wrk", drive_wrk
    if wanted == "auto":
        console.print(
            "[yellow]wrk is not installed (apt-get install wrk): falling back to "
            "httpx.AsyncClient. That client spends more CPU per request than the server on "
            "the same cores, so requests/s and latencies measure it as much as the server; "
            "the ratio and the server CPU per request stay meaningful.[/yellow]"
        )
    return "httpx.AsyncClient", drive_httpx


def sessions_opened(connection: Connection) -> float:
    """PostgreSQL sessions opened on this database so far (``pg_stat_database``)."""
    found = connection.execute(
        text("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
    ).scalar_one()
    connection.rollback()
    return float(found)


def measured(
    drive: Driver, paths: list[str], server: int, stats: Connection, args: argparse.Namespace,
    base: str, headers: dict[str, str],
) -> Run:  # fmt: skip
    """One run of ``drive`` with the server's and the database's CPU per request and the
    database sessions the server opened meanwhile (0 once its pools are warm)."""
    database = str(stats.engine.url.database)
    opened_before = sessions_opened(stats)
    server_before, database_before = cpu_seconds(server, database)
    run = drive(base, paths, headers, args.connections, args.seconds)
    server_after, database_after = cpu_seconds(server, database)
    run["sessions_opened"] = sessions_opened(stats) - opened_before
    served = max(run["requests"], 1.0)
    run["server_cpu_ms_per_request"] = (server_after - server_before) * 1000 / served
    run["database_cpu_ms_per_request"] = (database_after - database_before) * 1000 / served
    return run


def run_order(ping: list[str], availability: list[str]) -> list[tuple[str, list[str]]]:
    """Ping, availability, ping: the trivial figure is the mean of the two around it."""
    return [("trivial_1", ping), ("availability", availability), ("trivial_2", ping)]


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
    parser.add_argument(
        "--tool", choices=("auto", "wrk", "httpx"), default="auto",
        help="load client: wrk when installed (auto), or the httpx.AsyncClient loop",
    )  # fmt: skip
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--server-pythonpath", type=Path, default=None,
        help="serve the stockguard package found in this folder (another checkout's src)",
    )  # fmt: skip
    return parser.parse_args(argv)


def print_table(console: Console, args: argparse.Namespace, tool: str, runs: dict[str, Run],
                skus: int) -> None:  # fmt: skip
    table = Table(title=f"{tool}, {args.workers} workers, {args.connections} connections, "
                        f"{args.seconds:.0f} s per run, {skus} SKUs")  # fmt: skip
    for column in ("endpoint", "requests/s", "p50 ms", "p99 ms", "errors",
                   "server CPU ms/req", "database CPU ms/req", "sessions opened"):  # fmt: skip
        table.add_column(column, justify="right")
    for name, run in runs.items():
        table.add_row(name, f"{run['rps']:.0f}", f"{run['p50_ms']:.1f}", f"{run['p99_ms']:.1f}",
                      f"{run['errors']:.0f}", f"{run['server_cpu_ms_per_request']:.2f}",
                      f"{run['database_cpu_ms_per_request']:.2f}",
                      f"{run['sessions_opened']:.0f}")  # fmt: skip
    console.print(table)


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
    tool, drive = pick_tool(args.tool, console)
    console.print(f"load tool: {tool}")
    token, skus = seed(url, args.skus)
    headers = {"Authorization": f"Bearer {token}"}
    base = f"http://127.0.0.1:{args.port}"
    log = Path(tempfile.gettempdir()) / "storefront_load_server.log"
    load_before = load_average()
    server = start_server(url, args.port, args.workers, log, args.server_pythonpath)
    engine = create_engine(url)
    try:
        stats = engine.connect()
        wait_ready(base, headers, log)
        availability = [f"/storefront/v1/availability/{sku}" for sku in skus]
        ping = ["/storefront/v1/ping"]
        drive(base, availability + ping, headers, args.connections, 2.0)  # warm up
        runs = {
            name: measured(drive, paths, server.pid, stats, args, base, headers)
            for name, paths in run_order(ping, availability)
        }
    finally:
        engine.dispose()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    load_after = load_average()
    keys = ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request", "database_cpu_ms_per_request")
    trivial = {key: (runs["trivial_1"][key] + runs["trivial_2"][key]) / 2 for key in keys}
    target = runs["availability"]
    print_table(console, args, tool, runs, len(skus))
    ratio = target["rps"] / trivial["rps"]
    console.print(f"ratio_to_trivial = {ratio:.2f} (target >= 0.7); load average "
                  f"{load_before} before, {load_after} after")  # fmt: skip
    payload: dict[str, Any] = {
        "benchmark": "storefront_load",
        **{key: target[key] for key in keys},
        **{f"trivial_{key}": trivial[key] for key in keys},
        "ratio_to_trivial": ratio,
        "runs": runs,
        "tool": tool,
        "server_pythonpath": str(args.server_pythonpath or ""),
        "load_average": {"before": load_before, "after": load_after},
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
