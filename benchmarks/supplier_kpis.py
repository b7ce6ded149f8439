"""Supplier KPIs on the real SCMS delivery history: per-vendor on-time rate and lead times.

The USAID SCMS file (``../shared/data/scms_delivery_history.csv.gz``, 10,324 shipment
lines, 73 vendors) is imported into a fresh SQLite database with ``stockguard import
scms``'s service (timed), then ``services.suppliers.reports.supplier_kpis`` computes per
vendor (timed): on-time rate (delivered on or before the scheduled day), lead time from
PO sent to delivery (mean, sd, p50/p90/p95 of the observations, and the fitted family:
gamma or lognormal by AIC when a 5 % KS test accepts it, else empirical) and fill rate.

Peers, in the same run:

* pandas: the same figures computed independently from the raw file with pandas
  (``np.quantile``, type 7); ``max_abs_difference`` must be ~0;
* normal: the p95 a classic tool would use, ``mean + 1.645 sd``; ``coverage`` is the
  share of the vendor's own lead times at or below a p95 (in sample; 0.95 is right), for
  the normal p95 and for the fitted distribution's p95.

    python benchmarks/supplier_kpis.py [--data-dir DIR] [--top 12]

A few seconds. Prints a table and writes benchmarks/results/supplier_kpis.json with keys
``vendors`` (per vendor: ``vendor``, ``code``, ``lines``, ``on_time_rate``,
``lead_time_observations``, ``lead_time_mean``, ``lead_time_std``, ``lead_time_p50``,
``lead_time_p90``, ``lead_time_p95``, ``lead_time_family``, ``fitted_p95``,
``normal_p95``, ``coverage_fitted_p95``, ``coverage_normal_p95``, ``fill_rate``),
``import_seconds``, ``kpi_seconds``, ``lines``, ``max_abs_difference_vs_pandas`` and
``mean_coverage`` (fitted and normal, over vendors with at least 20 lead times).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from stockguard.adapters.db.suppliers_kpi import SqlSupplierHistory
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.services.importing import scms
from stockguard.services.suppliers import kpis, reports

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "supplier_kpis.json"
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
FILE = "scms_delivery_history.csv.gz"
Z_95 = 1.6448536269514722
MIN_FOR_COVERAGE = 20


def independent_figures(path: Path) -> pd.DataFrame:
    """Per vendor, from the raw file with pandas: lines, on-time rate, lead-time quantiles."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    scheduled = pd.to_datetime(raw["Scheduled Delivery Date"], format="%d-%b-%y")
    delivered = pd.to_datetime(raw["Delivered to Client Date"], format="%d-%b-%y")
    sent = pd.to_datetime(raw["PO Sent to Vendor Date"], format="%m/%d/%y", errors="coerce")
    frame = pd.DataFrame(
        {
            "vendor": raw["Vendor"].str.strip(),
            "on_time": (delivered <= scheduled).astype(float),
            "lead": (delivered - sent).dt.days.where(sent <= delivered),
        }
    )
    rows = []
    for vendor, group in frame.groupby("vendor"):
        lead = group["lead"].dropna().to_numpy()
        quantiles = np.quantile(lead, [0.5, 0.9, 0.95]) if lead.size else [np.nan] * 3
        rows.append(
            {
                "vendor": vendor,
                "lines": len(group),
                "on_time_rate": group["on_time"].mean(),
                "lead_time_mean": lead.mean() if lead.size else np.nan,
                "lead_time_p50": quantiles[0],
                "lead_time_p90": quantiles[1],
                "lead_time_p95": quantiles[2],
            }
        )
    return pd.DataFrame(rows).set_index("vendor")


def vendor_figures(row: kpis.SupplierKpis, lead_times: np.ndarray) -> dict[str, Any]:
    lead = row.lead_time
    normal = lead.mean + Z_95 * lead.std if lead.mean is not None and lead.std else None
    fitted = lead.fitted.get("p95")
    return {
        "vendor": row.name,
        "code": row.supplier,
        "lines": row.lines,
        "on_time_rate": row.on_time_rate,
        "lead_time_observations": lead.observations,
        "lead_time_mean": lead.mean,
        "lead_time_std": lead.std,
        "lead_time_p50": lead.p50,
        "lead_time_p90": lead.p90,
        "lead_time_p95": lead.p95,
        "lead_time_family": lead.family,
        "fitted_p95": fitted,
        "normal_p95": normal,
        "coverage_fitted_p95": _coverage(lead_times, fitted),
        "coverage_normal_p95": _coverage(lead_times, normal),
        "fill_rate": row.fill_rate,
    }


def _coverage(values: np.ndarray, bound: float | None) -> float | None:
    if bound is None or values.size == 0:
        return None
    return float(np.mean(values <= bound))


def run(data_dir: Path) -> dict[str, Any]:
    path = data_dir / FILE
    if not path.exists():
        sys.exit(f"{FILE} not found in {data_dir}; see DESIGN.md (real data)")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'scms.sqlite3'}"
        stockguard = bootstrap(Settings(database=DatabaseSettings(url=url, auto_migrate=True)))
        started = time.perf_counter()
        report = scms.import_scms(path, stockguard.unit_of_work())
        import_seconds = time.perf_counter() - started
        history = SqlSupplierHistory(stockguard.sessions)
        started = time.perf_counter()
        rows = reports.supplier_kpis(history)
        kpi_seconds = time.perf_counter() - started
        leads: dict[str, list[int]] = {}
        for line in history.order_lines():
            if line.lead_time_days is not None:
                leads.setdefault(line.supplier, []).append(line.lead_time_days)
        stockguard.engine.dispose()
    vendors = [vendor_figures(r, np.array(leads.get(r.supplier, []))) for r in rows]
    return {
        "vendors": vendors,
        "lines": report.rows_read,
        "import_seconds": import_seconds,
        "kpi_seconds": kpi_seconds,
        "max_abs_difference_vs_pandas": _difference(vendors, independent_figures(path)),
        "mean_coverage": _mean_coverage(vendors),
    }


def _difference(vendors: list[dict[str, Any]], peer: pd.DataFrame) -> float:
    gaps = [0.0]
    for v in vendors:
        expected = peer.loc[v["vendor"]]
        gaps.append(abs(v["lines"] - expected["lines"]))
        for key in ("on_time_rate", "lead_time_mean", "lead_time_p50", "lead_time_p90",
                    "lead_time_p95"):  # fmt: skip
            mine, theirs = v[key], expected[key]
            if mine is None or np.isnan(theirs):
                gaps.append(0.0 if mine is None and np.isnan(theirs) else np.inf)
            else:
                gaps.append(abs(mine - theirs))
    return float(max(gaps))


def _mean_coverage(vendors: list[dict[str, Any]]) -> dict[str, float | None]:
    chosen = [v for v in vendors if v["lead_time_observations"] >= MIN_FOR_COVERAGE]
    out: dict[str, float | None] = {}
    for key in ("fitted", "normal"):
        values = [v[f"coverage_{key}_p95"] for v in chosen if v[f"coverage_{key}_p95"] is not None]
        out[key] = float(np.mean(values)) if values else None
    out["vendors"] = float(len(chosen))
    return out


def _cell(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def print_table(results: dict[str, Any], top: int, console: Console) -> None:
    table = Table(title=f"SCMS vendors by lines (top {top}): lead time in days, PO to delivery")
    table.add_column("Vendor", overflow="fold", max_width=34)
    for name in ("Lines", "On time", "n LT", "Mean", "p50", "p90", "p95", "Family",
                 "Fitted p95", "Normal p95", "Cover fit", "Cover normal"):  # fmt: skip
        table.add_column(name, justify="right")
    for v in results["vendors"][:top]:
        table.add_row(
            v["vendor"], f"{v['lines']:,}", _cell(v["on_time_rate"], "{:.1%}"),
            str(v["lead_time_observations"]), _cell(v["lead_time_mean"], "{:.1f}"),
            _cell(v["lead_time_p50"], "{:.1f}"), _cell(v["lead_time_p90"], "{:.1f}"),
            _cell(v["lead_time_p95"], "{:.1f}"), v["lead_time_family"],
            _cell(v["fitted_p95"], "{:.1f}"), _cell(v["normal_p95"], "{:.1f}"),
            _cell(v["coverage_fitted_p95"], "{:.1%}"), _cell(v["coverage_normal_p95"], "{:.1%}"),
        )  # fmt: skip
    console.print(table)
    coverage = results["mean_coverage"]
    console.print(
        f"{results['lines']:,} lines, {len(results['vendors'])} vendors; import "
        f"{results['import_seconds']:.2f} s, KPIs {results['kpi_seconds']:.3f} s; max |difference| "
        f"vs pandas {results['max_abs_difference_vs_pandas']:.2e}; mean in-sample coverage of "
        f"p95 over {coverage['vendors']:.0f} vendors with >= {MIN_FOR_COVERAGE} lead times: "
        f"fitted {_cell(coverage['fitted'], '{:.1%}')}, "
        f"normal {_cell(coverage['normal'], '{:.1%}')}",
        highlight=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--top", type=int, default=12, help="Vendors shown (by lines).")
    args = parser.parse_args()
    results = run(args.data_dir)
    print_table(results, args.top, Console(width=200))
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
