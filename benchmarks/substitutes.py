"""Substitutes and complements evaluated offline on UCI "Online Retail" (2010-12 to 2011-12).

Protocol (fixed before looking at the figures, seeded):

1. **Lines**: rows whose StockCode is a product code (5 digits and up to 2 letters), not on
   a cancellation invoice (``C...``), with quantity > 0 and price > 0.
2. **Time split**: invoices are ordered by date; those before the date at which
   ``--train-share`` (default 80%) of invoices have been issued train, the later ones test.
3. **Catalogue** (train items only): title = the code's most frequent description, price =
   its median unit price, family = the numeric stem of codes with a letter suffix (85123A
   and 85123B are variants of 85123), no category, no attributes (so the attribute tokens
   are the title words). Baskets = train invoices.
4. **Ranking**: stockguard's own refresh (``services.substitutes.refresh.compute_neighbours``,
   30 neighbours per SKU and kind, default weights), then the request-time ranking
   (``services.substitutes.query.rank_candidates``) with every item in stock. When the test
   invoice has a CustomerID, the customer's train purchases personalise it, as a storefront
   would pass ``customer=``.
5. **Cases**: every test invoice with >= 2 distinct train items. A seeded draw picks the
   hidden item and, among the others, the query item. A case is a hit when the hidden item
   is among the top 5 of the query item's list. ``hit_rate_at_5`` uses the complements
   list (what is bought with the query item); also reported: the substitutes list, the
   two merged (best score first) and the complements without personalisation.
6. **Baseline**: the 5 items in most train baskets, the query item left out.
7. **Stock check**: a seeded stock state (``--out-of-stock-share`` of items with nothing
   available, 5% discontinued); the same cases are ranked under it and every proposal
   pointing at an unavailable or discontinued item is a violation (must be 0).

Keys of benchmarks/results/substitutes.json: ``hit_rate_at_5`` (complements, personalised),
``baseline_hit_rate_at_5`` (popularity), ``hit_rate_at_5_anonymous``,
``substitutes_hit_rate_at_5``, ``merged_hit_rate_at_5``, ``cases``, ``train_invoices``,
``test_invoices``, ``items``, ``neighbour_rows``, ``refresh_seconds``,
``stock_violations`` (must be 0), ``stock_check_proposals``, ``seconds``.

    python benchmarks/substitutes.py [--data-dir ../shared/data] [--train-share 0.8]
        [--max-cases 0] [--out-of-stock-share 0.3] [--seed 8]

Needs ``online_retail_2010_2011.csv.gz`` (see ../shared/data/SOURCES.md); without it the
script says so and exits with code 2.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

from stockguard.services.substitutes.ports import (
    Candidate,
    CatalogueItem,
    NeighbourKind,
    NeighbourRecord,
)
from stockguard.services.substitutes.query import rank_candidates
from stockguard.services.substitutes.refresh import RefreshSettings, compute_neighbours

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = REPO.parent / "shared" / "data"
RETAIL_FILE = "online_retail_2010_2011.csv.gz"
RESULTS = REPO / "benchmarks" / "results" / "substitutes.json"
PRODUCT_CODE = r"^\d{5}[A-Z]{0,2}$"
TOP = 5


class DataMissingError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Split:
    items: list[CatalogueItem]
    train_lines: list[tuple[str, str]]
    test_baskets: list[tuple[str | None, list[str]]]
    """(customer, distinct train-known SKUs in first-seen order) per test invoice."""
    history: dict[str, set[str]]
    """Train SKUs bought per customer."""
    train_invoices: int
    test_invoices: int


def load_lines(data_dir: Path, max_invoices: int | None = None) -> pd.DataFrame:
    """Sale lines of product codes (step 1), ordered by date then invoice."""
    path = data_dir / RETAIL_FILE
    if not path.exists():
        raise DataMissingError(
            f"{RETAIL_FILE} not found in {data_dir}; pass --data-dir with the folder holding "
            "it (see ../shared/data/SOURCES.md)."
        )
    frame = pd.read_csv(
        path,
        usecols=["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
                 "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "StockCode": str, "Description": str},
    )  # fmt: skip
    frame["StockCode"] = frame["StockCode"].str.upper()
    keep = (
        frame["StockCode"].str.match(PRODUCT_CODE)
        & ~frame["InvoiceNo"].str.startswith("C")
        & (frame["Quantity"] > 0)
        & (frame["UnitPrice"] > 0)
    )
    frame = frame[keep].copy()
    frame["InvoiceDate"] = pd.to_datetime(frame["InvoiceDate"])
    frame = frame.sort_values(["InvoiceDate", "InvoiceNo"], kind="stable")
    if max_invoices:
        first = frame["InvoiceNo"].drop_duplicates().iloc[:max_invoices]
        frame = frame[frame["InvoiceNo"].isin(set(first))]
    return frame


def _family(code: str) -> str | None:
    return code[:5] if len(code) > 5 else None


def split(frame: pd.DataFrame, train_share: float) -> Split:
    """Steps 2 and 3 of the protocol."""
    invoices = frame.drop_duplicates("InvoiceNo")[["InvoiceNo", "InvoiceDate"]]
    cut = invoices["InvoiceDate"].iloc[int(len(invoices) * train_share)]
    train = frame[frame["InvoiceDate"] < cut]
    test = frame[frame["InvoiceDate"] >= cut]
    titles = train.groupby("StockCode")["Description"].agg(
        lambda d: d.mode().iloc[0] if d.notna().any() else ""
    )
    prices = train.groupby("StockCode")["UnitPrice"].median()
    items = [
        CatalogueItem(
            sku=code,
            title=str(titles.get(code, "") or ""),
            family=_family(code),
            category=None,
            attributes={},
            price=float(prices[code]),
        )
        for code in sorted(prices.index)
    ]
    known = set(prices.index)
    train_lines = list(zip(train["InvoiceNo"], train["StockCode"], strict=True))
    history: dict[str, set[str]] = defaultdict(set)
    for customer, code in zip(train["CustomerID"], train["StockCode"], strict=True):
        if not pd.isna(customer):
            history[str(int(customer))].add(code)
    baskets: list[tuple[str | None, list[str]]] = []
    for _, group in test.groupby("InvoiceNo", sort=False):
        codes = list(dict.fromkeys(code for code in group["StockCode"] if code in known))
        if len(codes) >= 2:
            customer = group["CustomerID"].iloc[0]
            baskets.append((None if pd.isna(customer) else str(int(customer)), codes))
    return Split(
        items=items,
        train_lines=train_lines,
        test_baskets=baskets,
        history=dict(history),
        train_invoices=int(train["InvoiceNo"].nunique()),
        test_invoices=int(test["InvoiceNo"].nunique()),
    )


def _candidates(
    records: Sequence[NeighbourRecord],
    items: dict[str, CatalogueItem],
    available: dict[str, int],
    status: dict[str, str],
) -> list[Candidate]:
    return [
        Candidate(
            neighbour=r.neighbour,
            kind=r.kind,
            rank=r.rank,
            score=r.score,
            similarity=r.similarity,
            copurchase=r.copurchase,
            title=items[r.neighbour].title,
            category=None,
            price=Decimal("1"),
            currency="GBP",
            status=status.get(r.neighbour, "active"),
            available=available.get(r.neighbour, 1),
        )
        for r in records
    ]


def evaluate(
    data: Split,
    *,
    seed: int = 8,
    max_cases: int = 0,
    out_of_stock_share: float = 0.3,
    settings: RefreshSettings | None = None,
) -> dict[str, Any]:
    """Steps 4 to 7; returns the figures named in the module docstring."""
    started = time.perf_counter()
    records, _ = compute_neighbours(data.items, data.train_lines, settings or RefreshSettings())
    refresh_seconds = time.perf_counter() - started
    by_sku: dict[str, list[NeighbourRecord]] = defaultdict(list)
    for record in records:
        by_sku[record.sku].append(record)
    items = {item.sku: item for item in data.items}
    baskets_of: dict[str, int] = defaultdict(int)
    for _, code in set(data.train_lines):
        baskets_of[code] += 1
    popular = sorted(baskets_of, key=lambda code: (-baskets_of[code], code))[: TOP + 1]

    rng = np.random.default_rng(seed)
    cases = []
    for customer, codes in data.test_baskets:
        hidden, query = rng.choice(len(codes), size=2, replace=False)
        cases.append((customer, codes[query], codes[hidden]))
    if max_cases and len(cases) > max_cases:
        cases = [cases[i] for i in sorted(rng.choice(len(cases), max_cases, replace=False))]

    hits: dict[str, int] = defaultdict(int)
    for customer, query, hidden in cases:
        candidates = _candidates(by_sku.get(query, []), items, {}, {})
        bought = data.history.get(customer or "", set())
        personal = rank_candidates(candidates, bought_skus=bought, limit=TOP)
        anonymous = rank_candidates(candidates, limit=TOP)
        merged = rank_candidates(candidates, bought_skus=bought, limit=TOP * 2)
        merged_list = sorted(
            (s for kind in merged.values() for s in kind), key=lambda s: (-s.score, s.sku)
        )
        merged_top = list(dict.fromkeys(s.sku for s in merged_list))[:TOP]
        baseline = [code for code in popular if code != query][:TOP]
        comps = [s.sku for s in personal[_kind("complement")]]
        hits["complements"] += hidden in comps
        hits["anonymous"] += hidden in [s.sku for s in anonymous[_kind("complement")]]
        hits["substitutes"] += hidden in [s.sku for s in personal[_kind("substitute")]]
        hits["merged"] += hidden in merged_top
        hits["baseline"] += hidden in baseline

    violations, proposals = _stock_check(cases, by_sku, items, data, rng, out_of_stock_share)
    n = max(len(cases), 1)
    return {
        "hit_rate_at_5": hits["complements"] / n,
        "baseline_hit_rate_at_5": hits["baseline"] / n,
        "hit_rate_at_5_anonymous": hits["anonymous"] / n,
        "substitutes_hit_rate_at_5": hits["substitutes"] / n,
        "merged_hit_rate_at_5": hits["merged"] / n,
        "cases": len(cases),
        "train_invoices": data.train_invoices,
        "test_invoices": data.test_invoices,
        "items": len(data.items),
        "neighbour_rows": len(records),
        "refresh_seconds": round(refresh_seconds, 2),
        "stock_violations": violations,
        "stock_check_proposals": proposals,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _kind(name: str) -> NeighbourKind:
    return NeighbourKind(name)


def _stock_check(
    cases: list[tuple[str | None, str, str]],
    by_sku: dict[str, list[NeighbourRecord]],
    items: dict[str, CatalogueItem],
    data: Split,
    rng: np.random.Generator,
    out_of_stock_share: float,
) -> tuple[int, int]:
    """Step 7: proposals under a simulated stock state, and how many are not sellable."""
    codes = sorted(items)
    draw = rng.uniform(size=len(codes))
    available = {code: (0 if u < out_of_stock_share else 1 + int(u * 10)) for code, u in
                 zip(codes, draw, strict=True)}  # fmt: skip
    status = {code: "discontinued" for code, u in zip(codes, rng.uniform(size=len(codes)),
              strict=True) if u < 0.05}  # fmt: skip
    violations = proposals = 0
    for customer, query, _ in cases:
        candidates = _candidates(by_sku.get(query, []), items, available, status)
        bought = data.history.get(customer or "", set())
        ranked = rank_candidates(candidates, bought_skus=bought, limit=TOP)
        for suggestions in ranked.values():
            for s in suggestions:
                proposals += 1
                violations += available[s.sku] <= 0 or s.sku in status
    return violations, proposals


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--train-share",
        type=float,
        default=0.8,
        help="Share of invoices (by date) that train (default 0.8).",
    )
    parser.add_argument(
        "--max-cases", type=int, default=0, help="Evaluate at most this many test baskets (0: all)."
    )
    parser.add_argument(
        "--out-of-stock-share",
        type=float,
        default=0.3,
        help="Share of items with nothing available in the stock check.",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=120)
    try:
        frame = load_lines(args.data_dir)
    except DataMissingError as error:
        console.print(f"[yellow]Skipped:[/] {error}")
        return 2
    data = split(frame, args.train_share)
    figures = evaluate(
        data,
        seed=args.seed,
        max_cases=args.max_cases,
        out_of_stock_share=args.out_of_stock_share,
    )
    table = Table(title=f"Online Retail, hit rate@5 over {figures['cases']:,} held-out baskets")
    table.add_column("ranking")
    table.add_column("hit rate@5", justify="right")
    rows = [
        ("stockguard complements (personalised) = hit_rate_at_5", "hit_rate_at_5"),
        ("stockguard complements (anonymous)", "hit_rate_at_5_anonymous"),
        ("stockguard substitutes (personalised)", "substitutes_hit_rate_at_5"),
        ("stockguard both lists merged", "merged_hit_rate_at_5"),
        ("popularity baseline (top 5 in train)", "baseline_hit_rate_at_5"),
    ]
    for label, key in rows:
        table.add_row(label, f"{figures[key]:.3f}")
    console.print(table)
    ratio = figures["hit_rate_at_5"] / max(figures["baseline_hit_rate_at_5"], 1e-9)
    console.print(
        f"{figures['items']:,} items, {figures['train_invoices']:,} train / "
        f"{figures['test_invoices']:,} test invoices; refresh {figures['refresh_seconds']} s "
        f"({figures['neighbour_rows']:,} neighbour rows); stockguard / baseline = {ratio:.2f}x.\n"
        f"Stock check: {figures['stock_check_proposals']:,} proposals under a simulated stock "
        f"state, {figures['stock_violations']} out of stock or discontinued (must be 0)."
    )
    payload = {
        **figures,
        "ratio_to_baseline": round(ratio, 3),
        "protocol": {
            "train_share": args.train_share,
            "seed": args.seed,
            "max_cases": args.max_cases,
            "out_of_stock_share": args.out_of_stock_share,
        },
        "machine": platform.platform(),
        "python": sys.version.split()[0],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2))
    console.print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
