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

As-of check (open lines, same run): the file's lines are all received, so today's
figures have no open line. To see what counting open lines does, the history is cut at
fixed days (1 January and 1 July, 2008 to 2015; chosen before any figure was seen, no
parameter is tuned): at a cut-off ``d`` a line sent before ``d`` and delivered after it
is open (shipped, nothing received), and ``services.suppliers.kpis.compute_kpis`` is
run on that record twice, receipts only (``today=None``) and with open lines
(``today=d``: Kaplan-Meier lead times, overdue lines late). Each is compared with what
the vendor's lines sent before ``d`` turned out to be (eventual mean lead time; eventual
on-time share of the lines due before ``d``), per vendor with at least 20 receipts and
one open line at the cut-off.

    python benchmarks/supplier_kpis.py [--data-dir DIR] [--top 12]

A few seconds. Prints a table and writes benchmarks/results/supplier_kpis.json with keys
``vendors`` (per vendor: ``vendor``, ``code``, ``lines``, ``on_time_rate``,
``lead_time_observations``, ``lead_time_mean``, ``lead_time_std``, ``lead_time_p50``,
``lead_time_p90``, ``lead_time_p95``, ``lead_time_family``, ``fitted_p95``,
``normal_p95``, ``coverage_fitted_p95``, ``coverage_normal_p95``, ``fill_rate``),
``import_seconds``, ``kpi_seconds``, ``lines``, ``max_abs_difference_vs_pandas``,
``mean_coverage`` (fitted and normal, over vendors with at least 20 lead times) and
``as_of`` (``cutoffs``, ``cases`` (vendor x cut-off), ``open_lines`` and
``overdue_lines`` summed over the cases, and for ``receipts_only`` and
``open_lines_counted``: ``lead_time_mean_bias_days``, ``lead_time_mean_mae_days``,
``on_time_bias_points``, ``on_time_mae_points``; error = estimate - eventual).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import tempfile
import time
from datetime import date
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
from stockguard.services.suppliers.model import OrderLineFacts

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
        all_lines = history.order_lines()
        for line in all_lines:
            if line.lead_time_days is not None:
                leads.setdefault(line.supplier, []).append(line.lead_time_days)
        suppliers, offers = history.suppliers(), history.offers()
        stockguard.engine.dispose()
    vendors = [vendor_figures(r, np.array(leads.get(r.supplier, []))) for r in rows]
    return {
        "vendors": vendors,
        "lines": report.rows_read,
        "import_seconds": import_seconds,
        "kpi_seconds": kpi_seconds,
        "max_abs_difference_vs_pandas": _difference(vendors, independent_figures(path)),
        "mean_coverage": _mean_coverage(vendors),
        "as_of": as_of_check(all_lines, suppliers, offers),
    }


CUTOFFS = [date(year, month, 1) for year in range(2008, 2016) for month in (1, 7)]
MIN_RECEIPTS_AS_OF = 20


def as_of(lines: list[OrderLineFacts], cutoff: date) -> list[OrderLineFacts]:
    """The record as it stood on ``cutoff``: lines sent before it; those delivered after
    it open (shipped, nothing received)."""
    found = []
    for line in lines:
        if line.ordered_on is None or line.ordered_on >= cutoff:
            continue
        late = line.first_received_on is not None and line.first_received_on > cutoff
        found.append(
            dataclasses.replace(
                line, status="shipped", first_received_on=None, received=0, rejected=0
            )
            if late
            else line
        )
    return found


def as_of_check(lines: list[OrderLineFacts], suppliers: Any, offers: Any) -> dict[str, Any]:
    """Receipts-only and open-lines-counted KPIs at each cut-off against the eventual
    figures (module docstring)."""
    errors: dict[str, dict[str, list[float]]] = {
        k: {"lead": [], "on_time": []} for k in ("receipts_only", "open_lines_counted")
    }
    open_counts = [0, 0]
    for cutoff in CUTOFFS:
        sent = [x for x in lines if x.ordered_on is not None and x.ordered_on < cutoff]
        record = as_of(lines, cutoff)
        plain = {r.supplier: r for r in kpis.compute_kpis(record, suppliers=suppliers,
                                                          offers=offers)}  # fmt: skip
        counted = kpis.compute_kpis(record, suppliers=suppliers, offers=offers, today=cutoff)
        for row in counted:
            if row.lead_time.open_orders < 1 or row.lead_time.observations < MIN_RECEIPTS_AS_OF:
                continue
            own = [x for x in sent if x.supplier == row.supplier]
            eventual_lead = float(np.mean([x.lead_time_days for x in own
                                           if x.lead_time_days is not None]))  # fmt: skip
            due = [x.delay_days for x in own if x.expected_on is not None
                   and x.expected_on < cutoff and x.delay_days is not None]  # fmt: skip
            eventual_on_time = float(np.mean(np.array(due) <= 0)) if due else np.nan
            open_counts[0] += row.lead_time.open_orders
            open_counts[1] += row.overdue_open
            for name, found in (
                ("receipts_only", plain[row.supplier]),
                ("open_lines_counted", row),
            ):
                errors[name]["lead"].append((found.lead_time.mean or np.nan) - eventual_lead)
                rate = found.on_time_rate if found.on_time_rate is not None else np.nan
                errors[name]["on_time"].append(100 * (rate - eventual_on_time))
    out: dict[str, Any] = {
        "cutoffs": [d.isoformat() for d in CUTOFFS],
        "cases": len(errors["receipts_only"]["lead"]),
        "open_lines": open_counts[0],
        "overdue_lines": open_counts[1],
    }
    for name, gaps in errors.items():
        lead, on_time = np.array(gaps["lead"]), np.array(gaps["on_time"])
        out[name] = {
            "lead_time_mean_bias_days": float(np.nanmean(lead)) if lead.size else None,
            "lead_time_mean_mae_days": float(np.nanmean(np.abs(lead))) if lead.size else None,
            "on_time_bias_points": float(np.nanmean(on_time)) if on_time.size else None,
            "on_time_mae_points": float(np.nanmean(np.abs(on_time))) if on_time.size else None,
        }
    return out


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
    print_as_of(results["as_of"], console)


def print_as_of(found: dict[str, Any], console: Console) -> None:
    table = Table(
        title=f"As of {len(found['cutoffs'])} cut-offs ({found['cases']} vendor x cut-off cases; "
        f"{found['open_lines']:,} open lines, {found['overdue_lines']:,} overdue): error = "
        "figure then - what the lines turned out to be"
    )
    table.add_column("KPIs")
    for name in ("LT mean bias (d)", "LT mean MAE (d)", "On-time bias (pt)", "On-time MAE (pt)"):
        table.add_column(name, justify="right")
    for name in ("receipts_only", "open_lines_counted"):
        v = found[name]
        table.add_row(
            name.replace("_", " "), _cell(v["lead_time_mean_bias_days"], "{:+.1f}"),
            _cell(v["lead_time_mean_mae_days"], "{:.1f}"),
            _cell(v["on_time_bias_points"], "{:+.1f}"), _cell(v["on_time_mae_points"], "{:.1f}"),
        )  # fmt: skip
    console.print(table)


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
