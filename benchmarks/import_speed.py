"""How fast the full UCI Online Retail file imports, against a plain ``csv`` parse of it.

Imports ../shared/data/online_retail_2010_2011.csv.gz (541,909 rows) through the same
service as ``stockguard import online-retail`` into a fresh database (a temporary SQLite
file by default), times each write step, and times a plain ``csv.reader`` pass over the
same file in the same run as the reference peer (the floor any Python importer pays).
Prints a table and writes benchmarks/results/import_speed.json.

    python benchmarks/import_speed.py [--data-dir DIR] [--database URL]

Target (issue): the full file in at most 60 s into a fresh SQLite database.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.services.importing import online_retail

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
DATA_FILE = "online_retail_2010_2011.csv.gz"
RESULTS = REPO / "benchmarks" / "results" / "import_speed.json"
TARGET_SECONDS = 60.0


@dataclass(slots=True)
class StepClock:
    """Records how long each write step of the import took."""

    started: float = field(default_factory=time.perf_counter)
    current: str = "read and check the file"
    seconds: dict[str, float] = field(default_factory=dict)

    def __call__(self, name: str) -> None:
        self._close()
        self.current = name

    def _close(self) -> None:
        now = time.perf_counter()
        self.seconds[self.current] = round(now - self.started, 3)
        self.started = now

    def finish(self) -> dict[str, float]:
        self._close()
        return self.seconds


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Writes {RESULTS.relative_to(REPO)}. Target: {TARGET_SECONDS:.0f} s on SQLite.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help=f"folder holding {DATA_FILE} (default: {DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="database URL to import into; it should be empty "
        "(default: a fresh temporary SQLite file, deleted afterwards)",
    )
    return parser.parse_args(argv)


def plain_csv_parse(path: Path) -> tuple[int, float]:
    """Rows and seconds of the reference peer: gunzip + csv.reader, nothing else."""
    started = time.perf_counter()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
        rows = sum(1 for _row in csv.reader(text)) - 1
    return rows, time.perf_counter() - started


def run_import(path: Path, database_url: str) -> dict[str, Any]:
    """Import the file into ``database_url``; returns the figures."""
    app = bootstrap(Settings(database=DatabaseSettings(url=database_url)))
    clock = StepClock()
    started = time.perf_counter()
    report = online_retail.import_online_retail(path, app.unit_of_work(), on_step=clock)
    seconds = time.perf_counter() - started
    app.engine.dispose()
    return {
        "backend": app.engine.dialect.name,
        "rows": report.rows_read,
        "seconds": seconds,
        "steps": clock.finish(),
        "written": report.written,
        "skipped": report.skipped,
    }


def figures(imported: dict[str, Any], parse_rows: int, parse_seconds: float) -> dict[str, Any]:
    seconds = imported["seconds"]
    return {
        "online_retail_seconds": round(seconds, 3),
        "rows": imported["rows"],
        "rows_per_second": round(imported["rows"] / seconds),
        "backend": imported["backend"],
        "target_seconds": TARGET_SECONDS,
        "meets_target": seconds <= TARGET_SECONDS,
        "step_seconds": imported["steps"],
        "written": imported["written"],
        "skipped": imported["skipped"],
        "reference_peer": "gzip + csv.reader pass over the same file (no mapping, no database)",
        "csv_parse_seconds": round(parse_seconds, 3),
        "csv_parse_rows": parse_rows,
        "csv_parse_rows_per_second": round(parse_rows / parse_seconds),
        "ratio_import_to_csv_parse": round(seconds / parse_seconds, 2),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }


def print_table(result: dict[str, Any], console: Console) -> None:
    table = Table(title=f"Online Retail import speed ({result['backend']})")
    for name in ("run", "rows", "seconds", "rows/s", "ratio"):
        table.add_column(name, justify="left" if name == "run" else "right", no_wrap=True)
    table.add_row(
        "stockguard import online-retail",
        f"{result['rows']:,}",
        f"{result['online_retail_seconds']:.2f}",
        f"{result['rows_per_second']:,}",
        f"{result['ratio_import_to_csv_parse']:.1f}",
    )
    table.add_row(
        "reference: gzip + csv.reader",
        f"{result['csv_parse_rows']:,}",
        f"{result['csv_parse_seconds']:.2f}",
        f"{result['csv_parse_rows_per_second']:,}",
        "1.0",
    )
    console.print(table)
    steps = Table(title="Import steps")
    steps.add_column("step")
    steps.add_column("seconds", justify="right")
    for name, seconds in result["step_seconds"].items():
        steps.add_row(name, f"{seconds:.2f}")
    console.print(steps)
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(f"Target {TARGET_SECONDS:.0f} s: {verdict} it.")


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    path = arguments.data_dir / DATA_FILE
    if not path.exists():
        print(
            f"{DATA_FILE} not found in {arguments.data_dir}; pass --data-dir with the folder "
            "holding it (see ../shared/data/SOURCES.md).",
            file=sys.stderr,
        )
        return 2
    parse_rows, parse_seconds = plain_csv_parse(path)
    with tempfile.TemporaryDirectory(prefix="stockguard-bench-") as folder:
        url = arguments.database or f"sqlite:///{Path(folder) / 'import_speed.sqlite3'}"
        imported = run_import(path, url)
    result = figures(imported, parse_rows, parse_seconds)
    print_table(result, Console())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
