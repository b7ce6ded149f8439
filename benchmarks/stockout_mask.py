"""Stock-out mask: what the inferred mask finds in the M5 subset, and how right it is on a
synthetic shop whose stock-outs are known.

* M5 subset (``_forecast_data.load_m5``, 280 item x store series, daily, sales only): the
  mask stockguard's planning run uses for series without stock levels
  (``stockguard.planning.audit.stockouts.stockout_mask``, inferred branch: runs of zero
  sales while the item is priced, too long to be chance at significance 0.001), with
  "on sale" = a sell price is published that week and the item has sold before. Printed:
  periods, series with at least one, share of on-sale days masked, distribution of period
  lengths, lost units estimated by the trailing 28-day mean x days.
* Synthetic shop (``stockguard.planning.audit.synthetic``; 1,000 series x 365 days per
  seed, seeds 1..5): Poisson demand of 1 to 20 units/day (log-uniform) with a weekly
  profile; one off-sale window of 10-40 days on 30% of series; 1 to 3 stock-outs of 7 to
  30 days while priced. Day-level precision and recall of the mask against the truth.
* Slow-mover shop: the same generator with rates of 0.2 to 1 unit/day, where a week
  without a sale is common and short stock-outs cannot be told from chance.
* Peer: the fixed rule "a run of 7 or more zero-sale days while priced is a stock-out",
  as often set by hand in spreadsheets and ERP reports, on the same data.

    python benchmarks/stockout_mask.py [--data-dir DIR] [--seeds 5] [--series 1000]

Keys of benchmarks/results/stockout_mask.json: ``m5_periods``, ``m5_series_with_periods``,
``m5_share_days_masked`` (of on-sale days), ``m5_period_days`` (min, p25, median, p75,
p90, max, mean), ``m5_length_histogram`` (days -> periods), ``m5_lost_units``,
``synthetic_precision``, ``synthetic_recall`` (over all seeds), ``synthetic_per_seed``,
``peer_fixed7_precision``, ``peer_fixed7_recall``, the same four prefixed ``slow_`` for
the slow-mover shop, ``seconds_m5_mask``.
A few seconds on one core.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError, load_m5
from stockguard.planning.audit import stockouts, synthetic
from stockguard.planning.forecasting.censoring import zero_run_lengths

RESULTS = REPO / "benchmarks" / "results" / "stockout_mask.json"
PEER_RUN_DAYS = 7
LENGTH_BINS = ((1, 7), (8, 14), (15, 28), (29, 56), (57, 112), (113, 10_000))


def inferred_mask(sales: np.ndarray, on_sale: np.ndarray) -> stockouts.StockoutMask:
    """The planning run's mask for series without stock levels."""
    return stockouts.stockout_mask(
        sales=sales,
        end_of_day_on_hand=np.zeros_like(sales),
        levels_known=np.zeros(sales.shape[0], dtype=np.bool_),
        on_sale=on_sale,
    )


def fixed_rule(sales: np.ndarray, on_sale: np.ndarray) -> np.ndarray:
    """Peer: every run of >= 7 zero-sale days while on sale."""
    selling = on_sale & ~np.isnan(sales)
    zero = selling & (np.nan_to_num(sales) == 0)
    return zero_run_lengths(zero=zero, skip=~selling) >= PEER_RUN_DAYS


def m5_figures(data_dir: Path) -> dict[str, Any]:
    panel = load_m5(data_dir)
    assert panel.price is not None
    on_sale = ~np.isnan(panel.price) & ~np.isnan(panel.y)
    started = time.perf_counter()
    mask = inferred_mask(panel.y, on_sale)
    seconds = time.perf_counter() - started
    periods = stockouts.stockout_periods(stockouts=mask, sales=panel.y)
    days = periods.days
    quantiles = np.percentile(days, [0, 25, 50, 75, 90, 100]) if days.size else np.zeros(6)
    histogram = {
        f"{low}-{high}" if high < 10_000 else f"{low}+": int(((days >= low) & (days <= high)).sum())
        for low, high in LENGTH_BINS
    }
    return {
        "m5_series": int(panel.y.shape[0]),
        "m5_days": int(panel.y.shape[1]),
        "m5_on_sale_days": int(on_sale.sum()),
        "m5_periods": len(periods),
        "m5_series_with_periods": int(np.unique(periods.series).size),
        "m5_days_masked": int(mask.mask.sum()),
        "m5_share_days_masked": float(mask.mask.sum() / max(on_sale.sum(), 1)),
        "m5_period_days": dict(
            zip(("min", "p25", "median", "p75", "p90", "max"), map(float, quantiles), strict=True)
        )
        | {"mean": float(days.mean()) if days.size else 0.0},
        "m5_length_histogram": histogram,
        "m5_lost_units": float(periods.lost_units.sum()),
        "m5_units_sold": float(np.nansum(panel.y)),
        "peer_fixed7_m5_share_days_masked": float(
            fixed_rule(panel.y, on_sale).sum() / max(on_sale.sum(), 1)
        ),
        "seconds_m5_mask": seconds,
    }


SLOW_RATES = (0.2, 1.0)


def synthetic_figures(
    n_seeds: int, n_series: int, rate_range: tuple[float, float] = synthetic.RATE_RANGE
) -> dict[str, Any]:
    totals = {"ours": np.zeros(3), "peer": np.zeros(3)}  # hits, predicted, true
    per_seed = []
    for seed in range(1, n_seeds + 1):
        shop = synthetic.synthetic_shop(
            n_series=n_series, n_days=365, rng=np.random.default_rng(seed), rate_range=rate_range
        )
        ours = inferred_mask(shop.sales, shop.on_sale).mask
        peer = fixed_rule(shop.sales, shop.on_sale)
        for name, predicted in (("ours", ours), ("peer", peer)):
            totals[name] += [(predicted & shop.truth).sum(), predicted.sum(), shop.truth.sum()]
        precision, recall = stockouts.precision_recall(predicted=ours, truth=shop.truth)
        per_seed.append({"seed": seed, "precision": precision, "recall": recall})
    ours_t, peer_t = totals["ours"], totals["peer"]
    return {
        "synthetic_series_per_seed": n_series,
        "synthetic_days": 365,
        "synthetic_precision": float(ours_t[0] / ours_t[1]),
        "synthetic_recall": float(ours_t[0] / ours_t[2]),
        "synthetic_per_seed": per_seed,
        "peer_fixed7_precision": float(peer_t[0] / peer_t[1]),
        "peer_fixed7_recall": float(peer_t[0] / peer_t[2]),
    }


def print_tables(console: Console, figures: dict[str, Any]) -> None:
    table = Table("M5 subset (inferred mask)", "Value", title="Stock-out mask on real data")
    table.add_row("series x days", f"{figures['m5_series']} x {figures['m5_days']:,}")
    table.add_row("periods", f"{figures['m5_periods']:,}")
    table.add_row("series with a period", f"{figures['m5_series_with_periods']}")
    table.add_row("days masked", f"{figures['m5_days_masked']:,}")
    table.add_row("share of on-sale days masked", f"{figures['m5_share_days_masked']:.2%}")
    table.add_row(
        "peer (>= 7 zero days) share masked", f"{figures['peer_fixed7_m5_share_days_masked']:.2%}"
    )
    lengths = figures["m5_period_days"]
    table.add_row(
        "period days min/p25/median/p75/p90/max",
        "/".join(f"{lengths[k]:.0f}" for k in ("min", "p25", "median", "p75", "p90", "max")),
    )
    table.add_row("mean period days", f"{lengths['mean']:.1f}")
    for name, count in figures["m5_length_histogram"].items():
        table.add_row(f"  periods of {name} days", f"{count:,}")
    lost = figures["m5_lost_units"]
    share = lost / figures["m5_units_sold"]
    table.add_row("lost units (trailing mean x days)", f"{lost:,.0f} ({share:.1%} of units sold)")
    table.add_row("mask seconds", f"{figures['seconds_m5_mask']:.3f}")
    console.print(table)
    synthetic_table = Table("Synthetic shop", "Precision", "Recall", title="Known stock-outs")
    for row in figures["synthetic_per_seed"]:
        synthetic_table.add_row(
            f"stockguard, seed {row['seed']}", f"{row['precision']:.3f}", f"{row['recall']:.3f}"
        )
    synthetic_table.add_row(
        "stockguard, all seeds",
        f"{figures['synthetic_precision']:.3f}",
        f"{figures['synthetic_recall']:.3f}",
    )
    synthetic_table.add_row(
        f"peer: >= {PEER_RUN_DAYS} zero days",
        f"{figures['peer_fixed7_precision']:.3f}",
        f"{figures['peer_fixed7_recall']:.3f}",
    )
    synthetic_table.add_row(
        f"slow movers ({SLOW_RATES[0]}-{SLOW_RATES[1]}/day): stockguard",
        f"{figures['slow_synthetic_precision']:.3f}",
        f"{figures['slow_synthetic_recall']:.3f}",
    )
    synthetic_table.add_row(
        f"slow movers: peer >= {PEER_RUN_DAYS} zero days",
        f"{figures['slow_peer_fixed7_precision']:.3f}",
        f"{figures['slow_peer_fixed7_recall']:.3f}",
    )
    console.print(synthetic_table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--seeds", type=int, default=5, help="synthetic shops (default 5)")
    parser.add_argument("--series", type=int, default=1000, help="series per synthetic shop")
    args = parser.parse_args(argv)
    console = Console()
    try:
        figures = m5_figures(args.data_dir)
    except DataMissingError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    figures |= synthetic_figures(args.seeds, args.series)
    slow = synthetic_figures(args.seeds, args.series, SLOW_RATES)
    figures |= {
        f"slow_{key}": slow[key]
        for key in (
            "synthetic_precision",
            "synthetic_recall",
            "peer_fixed7_precision",
            "peer_fixed7_recall",
        )
    }
    figures["machine"] = {"python": sys.version.split()[0], "platform": platform.platform()}
    print_tables(console, figures)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    console.print(f"Wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
