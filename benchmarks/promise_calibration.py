"""Promise calibration: are stockguard's restock promises kept, and how late are they?

For every stock-out (a SKU x location whose stock on hand falls to zero) the promise is
made as the product makes it (``stockguard.services.storefront.promise.promise``, the
default 95% confidence, a day of handling) from what is known that day only: the
earliest arrival of every open purchase order (its expected date + ITS supplier's
lateness pmf from deliveries received before that day, by the product's rule
``storefront.records`` (ADR 0039, ``predictive-shop``: the shop's law = the pooled
record shrunk towards the wide default counted in suppliers, ADR 0029; a supplier of
fewer than 19 receipts shrunk towards it by 20 pseudo-receipts, one of 19 or more read
as a predictive bound no earlier than its newer half and mixed with the shop's law at
ADR 0029's share of the wide default; ``--records hierarchical``: ADR 0029's rule,
every supplier shrunk by 20 pseudo-receipts; ``--records default-prior``: the rule
before it); conditioned on not having arrived yet), else an order
placed on the policy's next order date + the supplier's lead-time pmf. It is
compared with the realised restock day (the next day stock arrives). A second run gives
the promise the true delay distribution (``oracle``), and a trade-off table repeats the
headline at the ``--sweep`` confidences.

Data sets:

* demo: the seeded synthetic demo shop (``services.demo.build.generate_shop``): its
  day-by-day simulation with per-supplier lognormal lead times, short shipments and
  rejects; stock on hand is rebuilt from its receipts and sales. The same in both
  variants below.
* m5, retail: the replenishment replay data (``_inventory_data``: M5 subset, Online
  Retail) replayed with a simple daily-review (s, Q) policy (s = lead-time demand +
  one standard deviation, Q = two weeks of demand) and lead times of 7 days + an SCMS
  delay (floored at one day), in two variants:

  - ``supplier`` (the HEADLINE): each SKU is given one SCMS supplier, a vendor x
    shipment mode with at least 20 deliveries in the newer half of the file (by
    scheduled date), drawn in proportion to those deliveries (seeded); each order's
    delay is drawn from THAT supplier's newer deliveries, and the promise learns each
    supplier's older deliveries (a held-out split by date: learn on the past, replay
    the future);
  - ``pooled_draw`` (the previous benchmark, kept as a reported row): every delay is
    drawn from the whole newer half, the promise learns the whole older half. A
    calibrated 95% promise cannot be tight here: the pooled tail is every supplier's;
  - ``lane`` (a diagnostic row): as ``supplier``, with a supplier split by the
    shipment's destination country (vendor x mode x country, the "route" of a
    shipment): how much a finer record, and its oracle, tighten the promise.

Measures, per data set and pooled over them: ``promises_kept_share`` (realised restock
on or before the promised day; target >= 0.95) and ``median_lateness_ratio`` (the
median over promises of promise horizon / realised horizon, days from the stock-out;
target <= 1.20; the headline definition), and beside them ``ratio_of_medians`` (median
promise horizon / median realised horizon) and ``median_days_late`` (median of promised
- realised days), the share of stock-outs promised from a purchase order and the
median horizons; ``by_source`` splits each data set's measures by where the promise
comes from: ``po_not_yet_due`` (an open purchase order expected after the stock-out
day), ``po_due_or_late`` (one expected on or before it, conditioned on its lateness so
far), ``policy`` (no purchase order: the policy's next order date + lead time);
``by_receipts`` by the receipts in the record of the supplier the promise rests on (the
first-expected order's, else the SKU's; bins ``RECEIPT_BINS``), ``by_source_receipts``
by both (per data set, and under ``pooled`` over them, the oracle's too: the table
"Where the median comes from", ADR 0037). The
20 pseudo-receipts and the handling day are the product's a-priori defaults; earlier
choices compared on this benchmark are said so in docs/storefront.md, and the
hierarchical records were chosen on the development seeds 11, 12, 13 (ADR 0029), the
``predictive-shop`` records on the same seeds and the held-out window (ADR 0039).

``--window development`` runs the supplier variant on a held-out window (the SCMS
file's older half split in two, the demo shop and the draws with seed + 1) and writes
``promise_calibration_development.json``: figures to compare methods on without
looking at the headline's.

    python benchmarks/promise_calibration.py [--datasets demo m5 retail] [--seed N]
        [--handling-days 1] [--sweep 0.5 0.8 0.9]

Prints the tables and writes benchmarks/results/promise_calibration.json with the keys
``promises_kept_share``, ``median_lateness_ratio``, ``ratio_of_medians``,
``median_days_late`` (pooled over the data sets, HEADLINE = ``supplier`` variant,
``headline_variant``), ``datasets`` (its rows), ``oracle`` (the same with the true
distribution), ``pooled_draw`` and ``lane`` (those variants, each with its own
``datasets`` and ``oracle``), ``tradeoff``, ``window``, ``records`` (the method) and
``delay_record_method``. Development seeds for method choices: 11, 12, 13 (ADR 0029).

``--records recent`` (ADR 0032, not the product's: it failed the development rule)
weighs every receipt by its age, ``2^(-age / 365 days)``: the SCMS records' ages are the
days from each older delivery to the cut between the halves (the day the replay's
promises are made as of), the demo's the days from each receipt to the stock-out.
``--records predictive`` and ``predictive-halves`` (ADR 0037, not the product's: both
failed the development rule) read a record of 19 receipts or more as a predictive
bound (one pseudo-receipt of the shop's law), the second also no earlier than the
record's newer half (by the same ages). ``--records predictive-insured`` and
``predictive-shop`` (ADR 0039) mix the second's law of such a record with the wide
default, or with the shop's law, at the share the hierarchical law gives the wide
default, ``20 / (n + 20) * 20 / (S + 20)``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table

import _inventory_data as data_sets
from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError
from stockguard.services.demo.build import generate_shop
from stockguard.services.demo.vocabulary import SUPPLIERS
from stockguard.services.storefront import promise as promising
from stockguard.services.storefront import records as supplier_records
from stockguard.services.storefront.model import DEFAULT_CONFIDENCE
from stockguard.services.storefront.ports import OpenOrder, Pmf, PromiseBasis

RESULTS = REPO / "benchmarks" / "results" / "promise_calibration.json"
DEVELOPMENT_RESULTS = RESULTS.with_name("promise_calibration_development.json")
SEED = 20_261_125
EPOCH = date(2024, 1, 1)
MIN_HISTORY = 8
"""Deliveries a supplier needs before its own pmf is used (else the product's default)."""


@dataclass(slots=True)
class Stockouts:
    """Stock-outs of one data set: the promise basis at each and its realised restock."""

    bases: list[PromiseBasis] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    restock: list[int] = field(default_factory=list)
    unknown: int = 0
    receipts: list[int] = field(default_factory=list)
    """Receipts in the record of the supplier the promise rests on (the first-expected
    order's, else the SKU's supplier's), known on the day of the promise (``by_receipts``)."""

    def add(self, basis: PromiseBasis, start: int, restock: int | None, receipts: int = 0) -> None:
        if restock is None:
            self.unknown += 1
            return
        self.bases.append(basis)
        self.start.append(start)
        self.restock.append(restock)
        self.receipts.append(receipts)


def day(index: int) -> date:
    return EPOCH + timedelta(days=int(index))


def pmf_of(values: Sequence[int] | np.ndarray) -> Pmf | None:
    """Empirical pmf ``[[days, share], ...]`` (None below ``MIN_HISTORY`` values)."""
    if len(values) < MIN_HISTORY:
        return None
    support, counts = np.unique(np.asarray(values), return_counts=True)
    return [[float(s), float(c) / len(values)] for s, c in zip(support, counts, strict=True)]


# -- SCMS suppliers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierDelays:
    """SCMS delays (days late) by supplier (vendor x shipment mode), split by date.

    ``older``: deliveries scheduled before the median scheduled date of the whole file
    (what the promise engine learns from); ``newer``: the others (what the replay draws
    from). Only suppliers with at least ``MIN_SUPPLIER_DRAWS`` newer deliveries are kept;
    ``weight`` is each one's share of the kept newer deliveries; ``older_age``: days from
    each older delivery to the cut (the day the replay's promises are made as of; a
    delivery after the cut of a shipment scheduled before it: negative, counted 0 by
    the records).
    """

    names: tuple[str, ...]
    older: tuple[np.ndarray, ...]
    newer: tuple[np.ndarray, ...]
    weight: np.ndarray
    older_age: tuple[np.ndarray, ...] = ()


MIN_SUPPLIER_DRAWS = supplier_records.MIN_SUPPLIER_RECEIPTS
"""Newer deliveries a supplier needs to be drawn from (the product's 20, a priori)."""


def scms_suppliers(
    data_dir: Path, window: str = "headline", *, lanes: bool = False
) -> SupplierDelays:
    """``SupplierDelays`` of the SCMS file (lines without a shipment mode dropped).

    ``lanes``: a supplier is a vendor x shipment mode x destination country (a lane)
    instead of a vendor x shipment mode (the ``lane`` diagnostic variant).

    ``window="development"``: the same split within the older half only (older quarter
    learned, second quarter drawn): figures to choose a method on, held out from the
    headline's newer half."""
    path = data_dir / data_sets.SCMS_FILE
    if not path.exists():
        raise DataMissingError(f"{path} is missing (see ../shared/data/SOURCES.md)")
    frame = pd.read_csv(
        path,
        usecols=[
            "Vendor",
            "Shipment Mode",
            "Country",
            "Scheduled Delivery Date",
            "Delivered to Client Date",
        ],
    )
    scheduled = pd.to_datetime(frame["Scheduled Delivery Date"], format="%d-%b-%y")
    delivered = pd.to_datetime(frame["Delivered to Client Date"], format="%d-%b-%y")
    cut = scheduled.sort_values().iloc[len(scheduled) // 2]  # the pooled split's cut
    if window == "development":
        frame, scheduled, delivered = (x[scheduled < cut] for x in (frame, scheduled, delivered))
        cut = scheduled.sort_values().iloc[len(scheduled) // 2]
    frame = frame.assign(
        delay=(delivered - scheduled).dt.days, older=scheduled < cut,
        age=(cut - delivered).dt.days,
        supplier=frame["Vendor"].str.strip() + " / " + frame["Shipment Mode"]
        + ((" / " + frame["Country"]) if lanes else ""),
    ).dropna(subset=["supplier"])  # fmt: skip
    names, older, newer, ages = [], [], [], []
    for name, group in frame.groupby("supplier", sort=True):
        late = group["delay"].to_numpy(dtype=np.int64)
        recent = late[~group["older"].to_numpy()]
        if len(recent) >= MIN_SUPPLIER_DRAWS:
            names.append(str(name))
            older.append(late[group["older"].to_numpy()])
            newer.append(recent)
            ages.append(group["age"].to_numpy(dtype=np.int64)[group["older"].to_numpy()])
    sizes = np.array([len(n) for n in newer], dtype=float)
    return SupplierDelays(
        tuple(names), tuple(older), tuple(newer), sizes / sizes.sum(), tuple(ages)
    )


# -- the demo shop ---------------------------------------------------------------------


def demo_stockouts(
    seed: int, skus: int, days: int, *, oracle: bool = False,
    method: str = supplier_records.PRODUCT_METHOD,
) -> tuple[Stockouts, dict[str, Any]]:  # fmt: skip
    shop = generate_shop(seed=seed, skus=skus, customers=200, days=days, today=date(2026, 11, 25))
    sim, n_days = shop.simulation, days
    po = sim.purchases
    n_sku, n_loc = sim.initial_on_hand.shape
    flow = np.zeros((n_sku, n_loc, n_days + 1))
    sales = sim.sales
    np.add.at(flow, (sales.sku, sales.location, sales.day), -sales.quantity)
    line_po = po.line_order
    arrival = po.arrival_day[line_po]
    accepted = po.shipped - po.rejected
    arrived = arrival < n_days
    np.add.at(
        flow,
        (po.line_sku[arrived], po.location[line_po][arrived], arrival[arrived]),
        accepted[arrived],
    )
    on_hand = sim.initial_on_hand[:, :, None] + np.cumsum(flow[:, :, :n_days], axis=2)
    receipt_days: dict[tuple[int, int], np.ndarray] = {}
    for s, loc, d, units in zip(po.line_sku, po.location[line_po], arrival, accepted, strict=True):
        if units > 0 and d < n_days:
            receipt_days.setdefault((int(s), int(loc)), []).append(int(d))  # type: ignore[arg-type]
    lines_of: dict[tuple[int, int], list[int]] = {}
    for i, (s, order) in enumerate(zip(po.line_sku, line_po, strict=True)):
        lines_of.setdefault((int(s), int(po.location[order])), []).append(i)
    late_by_supplier = [po.arrival_day - po.expected_day, po.arrival_day - po.ordered_day]
    found = Stockouts()
    empty = on_hand <= 0
    starts = empty[:, :, 1:] & ~empty[:, :, :-1]
    for s, loc, t0 in zip(*np.nonzero(starts), strict=True):
        t = int(t0) + 1
        key = (int(s), int(loc))
        later = sorted(d for d in receipt_days.get(key, []) if d > t)
        open_lines = [
            i for i in lines_of.get(key, [])
            if po.ordered_day[line_po[i]] <= t < po.arrival_day[line_po[i]]
        ]  # fmt: skip
        basis = _demo_basis(
            key, t, open_lines, po, late_by_supplier, shop, oracle=oracle, method=method
        )
        supplier = (
            po.supplier[int(basis.purchase_order)] if basis.purchase_order is not None
            else shop.catalogue.primary_supplier[key[0]]
        )  # fmt: skip
        receipts = int(((po.arrival_day < t) & (po.supplier == supplier)).sum())
        found.add(basis, t, later[0] if later else None, receipts)
    return found, {"n_sku": int(n_sku), "n_locations": int(n_loc), "days": n_days}


def _demo_basis(
    key: tuple[int, int], t: int, open_lines: list[int], po: Any, late: list[np.ndarray],
    shop: Any, *, oracle: bool, method: str = supplier_records.PRODUCT_METHOD,
) -> PromiseBasis:  # fmt: skip
    """The basis as the product would see it on day ``t``: every open line (each with its
    supplier's lateness record so far), else the next order on the supplier's order
    weekday (the demo's weekly review; position 0 is below any reorder point) + the
    supplier's lead-time record. ``oracle``: the records of the whole run instead."""
    known = np.ones_like(po.arrival_day, dtype=bool) if oracle else po.arrival_day < t
    sku, loc = f"S{key[0]}", f"L{key[1]}"
    if open_lines:
        by_date = sorted(open_lines, key=lambda i: (po.expected_day[po.line_order[i]], i))
        orders = [po.line_order[i] for i in by_date]
        ages = t - po.arrival_day
        pmfs = [
            _demo_delay_pmf(late[0], known, po.supplier, po.supplier[o], oracle, method, ages)
            for o in orders
        ]
        others = tuple(
            OpenOrder(day(po.expected_day[o]), str(o), *pmf)
            for o, pmf in zip(orders[1:], pmfs[1:], strict=True)
        )
        return PromiseBasis(
            sku, loc, expected_on=day(po.expected_day[orders[0]]), purchase_order=str(orders[0]),
            delay_pmf=pmfs[0][0], delay_count=pmfs[0][1], other_orders=others,
        )  # fmt: skip
    supplier = shop.catalogue.primary_supplier[key[0]]
    mine = known & (po.supplier == supplier)
    lead = pmf_of(late[1][mine])
    count = _count(late[1][mine], oracle)
    weekday = SUPPLIERS[supplier].order_weekday
    wait = (weekday - (shop.first_day + timedelta(days=t)).weekday()) % 7
    return PromiseBasis(sku, loc, lead_time_pmf=lead, next_order_on=day(t + wait),
                        lead_time_mean=None if lead is None else 0.0,
                        lead_time_count=count)  # fmt: skip


def _demo_delay_pmf(
    late: np.ndarray, known: np.ndarray, supplier_of: np.ndarray, supplier: Any, oracle: bool,
    method: str = supplier_records.PRODUCT_METHOD, ages: np.ndarray | None = None,
) -> tuple[Pmf | None, int | None]:  # fmt: skip
    """A PO's lateness pmf and its receipt count as the product makes them
    (``storefront.records`` by ``method`` from every supplier's receipts known so far,
    ``ages``: days from each receipt to the day of the promise; the count is None for a
    complete record). ``oracle``: the supplier's whole-run record, trusted as it is."""
    if oracle:
        return pmf_of(late[supplier_of == supplier]), None
    seen, mine = late[known], supplier_of[known]
    by_supplier = {str(s): seen[mine == s].tolist() for s in np.unique(supplier_of)}
    age_of = None if ages is None else {
        str(s): ages[known][mine == s].tolist() for s in np.unique(supplier_of)
    }  # fmt: skip
    found = _records_of(by_supplier, method, age_of)
    return found.delay_pmf(str(supplier)), found.delay_count(str(supplier))


def _records_of(
    delays: dict[str, list[int]], method: str, ages: dict[str, list[int]] | None = None
) -> supplier_records.SupplierRecords:
    """The product's records of ``delays`` by ``method`` (``--records``); ``ages``: days
    from each receipt to the day of the promise (only ``recent`` weighs them)."""
    return supplier_records.supplier_records(
        delays, ages=ages, method=method, default=promising.DEFAULT_DELAY_PMF
    )


def _count(record: np.ndarray, oracle: bool) -> int | None:
    """Receipts a record counts (the promise shrinks a short one to the default);
    None for the oracle, whose pmf is the true distribution."""
    return None if oracle else len(record)


# -- the replay data with SCMS delays --------------------------------------------------


@dataclass(frozen=True, slots=True)
class DelayModel:
    """Per SKU: the delays the replay draws from and the pmfs the promise is made from.

    ``draws[i]``: days late (floored so that a lead time is at least a day);
    ``delay_pmf[i]``/``lead_pmf[i]``: the promise's lateness and lead-time pmfs;
    ``count[i]``: receipts the lateness pmf was counted from (the promise shrinks it
    towards the default; None: trusted as it is, the oracle); ``supplier[i]``: the SKU's supplier;
    ``receipts[i]``: the receipts in its supplier's older record (the oracle's too).
    """

    draws: list[np.ndarray]
    delay_pmf: list[Pmf | None]
    lead_pmf: list[Pmf | None]
    count: list[int | None]
    supplier: list[str]
    receipts: list[int] = field(default_factory=list)


def pooled_model(n_sku: int, delays: data_sets.Delays, stated: int, *, oracle: bool) -> DelayModel:
    """Every SKU draws from the whole newer half of the SCMS file; the promise learns the
    whole older half (shrunk towards the default by its size); ``oracle``: the newer half."""
    older = np.maximum(delays.before_median_date().days, 1 - stated)
    cut = delays.scheduled[delays.scheduled.argsort()[len(delays.days) // 2]]
    newer = np.maximum(delays.days[delays.scheduled >= cut], 1 - stated)
    record = newer if oracle else older
    delay_pmf, lead_pmf = pmf_of(record), pmf_of(np.maximum(record + stated, 1))
    count = None if oracle else len(record)
    return DelayModel(
        [newer] * n_sku, [delay_pmf] * n_sku, [lead_pmf] * n_sku, [count] * n_sku,
        ["pooled"] * n_sku, [len(older)] * n_sku,
    )  # fmt: skip


def supplier_model(
    n_sku: int, suppliers: SupplierDelays, stated: int, seed: int, *, oracle: bool,
    method: str = supplier_records.PRODUCT_METHOD,
) -> DelayModel:  # fmt: skip
    """Each SKU gets one SCMS supplier (drawn in proportion to the suppliers' newer
    deliveries, seeded) and draws from THAT supplier's newer deliveries; the promise
    learns each supplier's older deliveries through the product's rule
    (``storefront.records`` by ``method``; module docstring). Lead-time pmf: the supplier's
    older delays + the stated lead time (the pooled older ones below ``MIN_HISTORY``).
    ``oracle``: the newer record of the SKU's supplier, as it is."""
    rng = np.random.default_rng(seed + 1)
    pick = rng.choice(len(suppliers.names), size=n_sku, p=suppliers.weight)
    floor = 1 - stated
    newer = [np.maximum(d, floor) for d in suppliers.newer]
    older = [np.maximum(d, floor) for d in suppliers.older]
    known = _records_of(
        {name: d.tolist() for name, d in zip(suppliers.names, older, strict=True)}, method,
        {name: a.tolist() for name, a in zip(suppliers.names, suppliers.older_age, strict=True)},
    )  # fmt: skip
    pooled_lead = pmf_of(np.maximum(np.concatenate(older) + stated, 1))
    delay_pmf: list[Pmf | None] = []
    lead_pmf: list[Pmf | None] = []
    count: list[int | None] = []
    for k in pick.tolist():
        if oracle:
            delay_pmf.append(pmf_of(newer[k]))
            lead_pmf.append(pmf_of(np.maximum(newer[k] + stated, 1)))
            count.append(None)
        else:
            delay_pmf.append(known.delay_pmf(suppliers.names[k]))
            lead_pmf.append(pmf_of(np.maximum(older[k] + stated, 1)) or pooled_lead)
            count.append(known.delay_count(suppliers.names[k]))
    return DelayModel(
        [newer[k] for k in pick.tolist()], delay_pmf, lead_pmf, count,
        [suppliers.names[k] for k in pick.tolist()], [len(older[k]) for k in pick.tolist()],
    )  # fmt: skip


def replay_stockouts(
    data: data_sets.ReplayData, model: DelayModel, seed: int
) -> tuple[Stockouts, dict[str, Any]]:
    """Daily review (s, Q) on the real demand, lost sales; one stock-out list. Each
    order's lead time is the stated one + a delay drawn from ``model.draws[i]``."""
    rng = np.random.default_rng(seed)
    stated = data.stated_lead_time
    recent = data.history[:, -56:]
    mean = np.nan_to_num(np.nanmean(np.where(np.isfinite(recent), recent, np.nan), axis=1))
    sd = np.nan_to_num(np.nanstd(np.where(np.isfinite(recent), recent, np.nan), axis=1))
    cover = stated + 1
    reorder = mean * cover + sd * np.sqrt(cover)
    quantity = np.maximum(1.0, np.ceil(mean * 14))
    found = Stockouts()
    n_days = data.replay.shape[1]
    for i in range(data.n_sku):
        if mean[i] <= 0:
            continue
        on_hand = float(np.ceil(reorder[i] + quantity[i]))
        orders: list[tuple[int, int, float]] = []  # (expected, arrival, units)
        pending: tuple[int, PromiseBasis] | None = None
        pmfs = (model.delay_pmf[i], model.lead_pmf[i], model.count[i])
        for t in range(n_days):
            arriving = [o for o in orders if o[1] == t]
            if arriving:
                on_hand += sum(o[2] for o in arriving)
                orders = [o for o in orders if o[1] != t]
                if pending is not None:
                    found.add(pending[1], pending[0], t, model.receipts[i])
                    pending = None
            was = on_hand
            on_hand = max(0.0, on_hand - data.replay[i, t])
            if on_hand <= 0 < was and pending is None:
                ordering = sum(o[2] for o in orders) <= reorder[i]  # the policy, below
                pending = (t, _replay_basis(i, t, orders, ordering, *pmfs))
            position = on_hand + sum(o[2] for o in orders)
            if position <= reorder[i]:
                lead = max(1, stated + int(rng.choice(model.draws[i])))
                orders.append((t + stated, t + lead, float(quantity[i])))
        if pending is not None:
            found.add(pending[1], pending[0], None)
    return found, {"n_sku": data.n_sku, "days": n_days, "name": data.name}


def _replay_basis(
    i: int, t: int, orders: list[tuple[int, int, float]], ordering: bool,
    delay_pmf: Pmf | None, lead_pmf: Pmf | None, count: int | None,
) -> PromiseBasis:  # fmt: skip
    """Every open order (the earliest arrival restocks), and today's order when the
    daily-review policy places one (position at or below the reorder point)."""
    next_order = day(t) if ordering else None
    if orders:
        ranked = sorted(orders)
        others = tuple(OpenOrder(day(o[0]), f"po{k}") for k, o in enumerate(ranked[1:], 1))
        return PromiseBasis(f"S{i}", "L", expected_on=day(ranked[0][0]), purchase_order="po0",
                            delay_pmf=delay_pmf, other_orders=others, next_order_on=next_order,
                            lead_time_pmf=lead_pmf if ordering else None, delay_count=count,
                            lead_time_count=count)  # fmt: skip
    return PromiseBasis(f"S{i}", "L", lead_time_pmf=lead_pmf, next_order_on=day(t),
                        lead_time_count=count)  # fmt: skip


# -- measures ----------------------------------------------------------------------------


def measure(found: Stockouts, confidence: float, handling_days: float) -> dict[str, Any]:
    """Kept share and lateness of the promises made at each stock-out (module docstring:
    the median of ratios is the headline; the ratio of medians and the median of
    promised - realised days are reported beside it)."""
    start = np.asarray(found.start)
    made = [
        promising.promise([b], today=day(t), confidence=confidence, handling_days=handling_days)[0]
        for b, t in zip(found.bases, found.start, strict=True)
    ]
    promised = np.array([(m.promise_on - EPOCH).days if m.promise_on else -1 for m in made])
    has = promised >= 0
    realised = np.asarray(found.restock)
    horizon_promised = (promised - start)[has]
    horizon_realised = np.maximum(realised - start, 1)[has]
    from_po = np.array([b.expected_on is not None for b in found.bases])
    kept = realised[has] <= promised[has]
    row = summary(kept, horizon_promised, horizon_realised)
    source = np.array([source_of(b, t) for b, t in zip(found.bases, found.start, strict=True)])
    size = np.array([receipts_bin(n) for n in found.receipts], dtype=object)

    def part(where: np.ndarray) -> dict[str, Any]:
        return _public(summary(kept[where], horizon_promised[where], horizon_realised[where]))

    return {
        "stockouts": len(found.bases),
        "stockouts_without_restock_before_end": found.unknown,
        "from_purchase_order_share": float(from_po[has].mean()) if has.any() else None,
        "by_source": {name: part(source[has] == name) for name in SOURCES},
        "by_receipts": {name: part(size[has] == name) for name in RECEIPT_BINS},
        "by_source_receipts": {
            f"{name}|{bin_}": part((source[has] == name) & (size[has] == bin_))
            for name in SOURCES for bin_ in RECEIPT_BINS
        },
    } | row | {"_source": source[has], "_receipts": size[has]}  # fmt: skip


RECEIPT_BINS = ("0", "1-19", "20-99", "100-499", "500+")
"""Receipts in the supplier's record, binned (``by_receipts``): none (the shop's law),
fewer than the 20 = 1 / (1 - 0.95) from which a 95% quantile can be read, then roughly
by a factor of five."""


def receipts_bin(count: int) -> str:
    """``RECEIPT_BINS`` entry of a record of ``count`` receipts."""
    edges = ((0, "0"), (19, "1-19"), (99, "20-99"), (499, "100-499"))
    return next((name for top, name in edges if count <= top), "500+")


SOURCES = ("po_not_yet_due", "po_due_or_late", "policy")
"""Where a promise comes from (``by_source``): an open purchase order expected after the
stock-out day, one expected on or before it (already late: conditioned on its lateness
so far), no purchase order (the policy's next order date + lead time)."""


def source_of(basis: PromiseBasis, start: int) -> str:
    """``SOURCES`` entry of a promise made on day ``start`` from ``basis``."""
    if basis.expected_on is None:
        return "policy"
    return "po_not_yet_due" if basis.expected_on > day(start) else "po_due_or_late"


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if not key.startswith("_")}


def print_sources(console: Console, rows: dict[str, dict[str, Any]], title: str) -> None:
    """The diagnosis split: each data set's promises by ``SOURCES``."""
    table = Table(title=f"By source of the promise ({title})")
    for name in ("data set", "source", "promised", "kept", "median ratio",
                 "median promise d", "median realised d"):  # fmt: skip
        table.add_column(name, justify="right")
    for name, row in rows.items():
        for source, part in row.get("by_source", {}).items():
            table.add_row(
                name, source, str(part["promised"]), _pct(part["promises_kept_share"]),
                _num(part["median_lateness_ratio"]), _num(part["median_promise_days"]),
                _num(part["median_realised_days"]),
            )  # fmt: skip
    console.print(table)


def print_splits(
    console: Console, product: tuple[dict[str, Any], dict[str, Any]],
    oracle: tuple[dict[str, Any], dict[str, Any]], title: str,
) -> None:  # fmt: skip
    """The diagnosis: the records' and the oracle's promises side by side, by source,
    by the receipts in the supplier's record and by both (pooled), and each data set by
    receipts. ``product``/``oracle``: ``run``'s (per data set, pooled) pair."""
    table = Table(title=f"Where the median comes from ({title}; share of the records' promises)")
    for name in ("data set", "split", "promised", "share", "kept", "median ratio",
                 "oracle kept", "oracle median ratio"):  # fmt: skip
        table.add_column(name, justify="right")
    rows = [("pooled", "by_source", product[1], oracle[1]),
            ("pooled", "by_receipts", product[1], oracle[1]),
            ("pooled", "by_source_receipts", product[1], oracle[1])]  # fmt: skip
    rows += [(key, "by_receipts", product[0][key], oracle[0][key]) for key in product[0]]
    for name, split, mine, true in rows:
        total = sum(part["promised"] for part in mine["by_source"].values()) or 1
        for cell, part in mine[split].items():
            if not part["promised"]:
                continue
            other = true[split][cell]
            table.add_row(
                name, cell, str(part["promised"]), _pct(part["promised"] / total),
                _pct(part["promises_kept_share"]), _num(part["median_lateness_ratio"]),
                _pct(other["promises_kept_share"]), _num(other["median_lateness_ratio"]),
            )  # fmt: skip
    console.print(table)


def summary(kept: np.ndarray, promised: np.ndarray, realised: np.ndarray) -> dict[str, Any]:
    """The measures of promises: ``kept`` (n,) bools, ``promised``/``realised`` (n,)
    days from the stock-out.

        promises_kept_share   = mean(kept)
        median_lateness_ratio = median(promised_i / realised_i)       (headline)
        ratio_of_medians      = median(promised) / median(realised)
        median_days_late      = median(promised_i - realised_i)       (days)
    """
    if not kept.size:
        return {"promised": 0, "promises_kept_share": None, "median_lateness_ratio": None,
                "ratio_of_medians": None, "median_days_late": None,
                "median_promise_days": None, "median_realised_days": None}  # fmt: skip
    return {
        "promised": int(kept.size),
        "promises_kept_share": float(kept.mean()),
        "median_lateness_ratio": float(np.median(promised / realised)),
        "ratio_of_medians": float(np.median(promised) / np.median(realised)),
        "median_days_late": float(np.median(promised - realised)),
        "median_promise_days": float(np.median(promised)),
        "median_realised_days": float(np.median(realised)),
        "_kept": kept,
        "_promised": promised,
        "_realised": realised,
    }


def print_table(console: Console, rows: dict[str, dict[str, Any]], title: str) -> None:
    table = Table(title=f"Restock promises at the default 95% confidence ({title})")
    for name in ("data set", "stock-outs", "promised", "from a PO", "kept", "median ratio",
                 "ratio of medians", "median days late", "median promise d",
                 "median realised d"):  # fmt: skip
        table.add_column(name, justify="right")
    for name, row in rows.items():
        table.add_row(
            name, str(row["stockouts"]), str(row["promised"]),
            _pct(row["from_purchase_order_share"]), _pct(row["promises_kept_share"]),
            _num(row["median_lateness_ratio"]), _num(row["ratio_of_medians"]),
            _num(row["median_days_late"]), _num(row["median_promise_days"]),
            _num(row["median_realised_days"]),
        )  # fmt: skip
    console.print(table)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


VARIANTS = ("supplier", "pooled_draw", "lane")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--datasets", nargs="+", default=["demo", "m5", "retail"],
        choices=["demo", "m5", "retail"],
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the draws")
    parser.add_argument("--demo-skus", type=int, default=300, help="SKUs of the demo shop")
    parser.add_argument("--demo-days", type=int, default=365, help="days of the demo shop")
    parser.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    parser.add_argument(
        "--handling-days", type=float, default=1.0,
        help="days to receive and put away added to a promise (the product's default: 1)",
    )  # fmt: skip
    parser.add_argument(
        "--sweep", type=float, nargs="*", default=[0.5, 0.8, 0.9],
        help="other confidences for the pooled trade-off table of the headline "
        "(supplier) variant (JSON key tradeoff)",
    )  # fmt: skip
    parser.add_argument(
        "--window", choices=("headline", "development"), default="headline",
        help="development: the SCMS file's older half split in two (older quarter learned, "
        "second quarter drawn), the demo shop and the draws with seed + 1, the supplier "
        "variant only; held out from the headline, to choose methods on",
    )  # fmt: skip
    parser.add_argument(
        "--records", choices=supplier_records.METHODS, default=supplier_records.PRODUCT_METHOD,
        help="how the promise's supplier records are made (storefront.records): "
        "predictive-shop, the product's (ADR 0039: see below), or hierarchical, the "
        "product's before (each supplier shrunk towards the shop's law, the shop's law "
        "towards the wide default counted in suppliers; ADR 0029), or default-prior, the "
        "product's before that (each record shrunk towards the wide default), or recent, "
        "the hierarchical records with each receipt weighted "
        "2^(-age / 365 days) (ADR 0032: not adopted, it failed the development rule), or "
        "predictive / predictive-halves, a record of 19 receipts or more shrunk by one "
        "pseudo-receipt, the second no earlier than its newer half (ADR 0037: not "
        "adopted), or predictive-insured / predictive-shop, predictive-halves mixed with "
        "the wide default / the shop's law at the hierarchical law's share of the wide "
        "default (ADR 0039: the first failed the development rule, the second passed); "
        "the demo, supplier and lane variants (JSON key records)",
    )  # fmt: skip
    parser.add_argument("--output", type=Path, default=None)
    return parser.parse_args(argv)


def run(
    args: argparse.Namespace, *, variant: str, oracle: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per data set measures of one ``variant`` (``supplier``: each replayed SKU draws
    its delays from its own SCMS supplier; ``pooled_draw``: from the whole file;
    ``oracle``: the promise knows the distribution the delays are drawn from) and the
    row pooled over the data sets. The demo shop is the same in both variants (its
    simulation has its own suppliers)."""
    results: dict[str, dict[str, Any]] = {}
    info: dict[str, Any] = {}
    delays: data_sets.Delays | None = None
    suppliers: SupplierDelays | None = None
    for key in args.datasets:
        begun = time.perf_counter()
        if key == "demo":
            found, info[key] = demo_stockouts(
                args.seed, args.demo_skus, args.demo_days, oracle=oracle, method=args.records
            )
        else:
            data = (data_sets.m5 if key == "m5" else data_sets.online_retail)(args.data_dir)
            if variant in ("supplier", "lane"):
                suppliers = suppliers or scms_suppliers(
                    args.data_dir, args.window, lanes=variant == "lane"
                )
                model = supplier_model(
                    data.n_sku, suppliers, data.stated_lead_time, args.seed, oracle=oracle,
                    method=args.records,
                )  # fmt: skip
            else:
                delays = delays or data_sets.scms_delays(args.data_dir)
                model = pooled_model(data.n_sku, delays, data.stated_lead_time, oracle=oracle)
            found, info[key] = replay_stockouts(data, model, args.seed)
            info[key]["suppliers"] = len(set(model.supplier))
        results[key] = measure(found, args.confidence, args.handling_days)
        info[key]["seconds"] = time.perf_counter() - begun
    parts = [results[key] for key in results if results[key]["promised"]]
    pooled = {"stockouts": sum(r["stockouts"] for r in results.values()),
              "from_purchase_order_share": None}  # fmt: skip
    columns = ("kept", "promised", "realised", "source", "receipts")
    every = {k: np.concatenate([r[f"_{k}"] for r in parts]) if parts else np.zeros(0)
             for k in columns}  # fmt: skip
    pooled |= summary(every["kept"], every["promised"], every["realised"])
    pooled |= pooled_splits(every)
    for row in (*results.values(), pooled):
        for k in columns:
            row.pop(f"_{k}", None)
    return {key: results[key] | info[key] for key in results}, pooled


def pooled_splits(every: dict[str, np.ndarray]) -> dict[str, Any]:
    """``by_source``, ``by_receipts`` and ``by_source_receipts`` of the promises pooled
    over the data sets (``every``: the per-promise columns of ``measure``)."""

    def part(where: np.ndarray) -> dict[str, Any]:
        return _public(summary(every["kept"][where], every["promised"][where],
                               every["realised"][where]))  # fmt: skip

    source, size = every["source"], every["receipts"]
    return {
        "by_source": {name: part(source == name) for name in SOURCES},
        "by_receipts": {name: part(size == name) for name in RECEIPT_BINS},
        "by_source_receipts": {
            f"{name}|{bin_}": part((source == name) & (size == bin_))
            for name in SOURCES for bin_ in RECEIPT_BINS
        },
    }  # fmt: skip


def sweep(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Pooled kept share and median ratio of the headline (supplier) variant at each
    ``--sweep`` confidence, with the records and with the oracle: the trade-off between
    the two targets."""
    rows = []
    for confidence in args.sweep:
        at = argparse.Namespace(**(vars(args) | {"confidence": confidence}))
        for oracle in (False, True):
            _, pooled = run(at, variant="supplier", oracle=oracle)
            rows.append({
                "confidence": confidence, "oracle": oracle,
                "promises_kept_share": pooled["promises_kept_share"],
                "median_lateness_ratio": pooled["median_lateness_ratio"],
                "ratio_of_medians": pooled["ratio_of_medians"],
                "median_days_late": pooled["median_days_late"],
            })  # fmt: skip
    return rows


def print_tradeoff(console: Console, rows: list[dict[str, Any]]) -> None:
    table = Table(title="Trade-off, pooled (supplier variant): a lower confidence is tighter "
                  "and kept less often")  # fmt: skip
    for name in ("confidence", "pmfs", "kept", "median ratio", "ratio of medians",
                 "median days late"):  # fmt: skip
        table.add_column(name, justify="right")
    for row in rows:
        table.add_row(
            f"{100 * row['confidence']:.0f}%", "oracle" if row["oracle"] else "records",
            _pct(row["promises_kept_share"]), _num(row["median_lateness_ratio"]),
            _num(row["ratio_of_medians"]), _num(row["median_days_late"]),
        )  # fmt: skip
    console.print(table)


def _headline(pooled: dict[str, Any]) -> dict[str, Any]:
    keys = ("promises_kept_share", "median_lateness_ratio", "ratio_of_medians",
            "median_days_late", "promised", "by_source", "by_receipts",
            "by_source_receipts")  # fmt: skip
    return {key: pooled[key] for key in keys}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=170)
    started = time.perf_counter()
    development = args.window == "development"
    if development:
        args.seed += 1
    output = args.output or (DEVELOPMENT_RESULTS if development else RESULTS)
    found: dict[tuple[str, bool], tuple[dict[str, Any], dict[str, Any]]] = {}
    try:
        for variant in ("supplier", "lane") if development else VARIANTS:
            for oracle in (False, True):
                found[variant, oracle] = run(args, variant=variant, oracle=oracle)
    except DataMissingError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    tradeoff = [] if development else sweep(args)
    titles = {
        ("supplier", False): "HEADLINE: each SKU's own SCMS supplier, records known at the promise",
        ("supplier", True): "supplier variant, oracle: the true delay distribution",
        ("pooled_draw", False): "pooled draw: delays from the whole SCMS file, records",
        ("pooled_draw", True): "pooled draw, oracle",
        ("lane", False): "lane diagnostic: suppliers split by destination country, records",
        ("lane", True): "lane diagnostic, oracle",
    }
    for key, title in titles.items():
        if key not in found:
            continue
        results, pooled = found[key]
        print_table(console, results | {"pooled": pooled}, title)
        if key[0] == "supplier":
            print_sources(console, results, title.split(":")[0])
    print_splits(console, found["supplier", False], found["supplier", True], "supplier variant")
    results, pooled = found["supplier", False]
    payload = {
        "benchmark": "promise_calibration",
        "headline_variant": "supplier",
        "confidence": args.confidence,
        "handling_days": args.handling_days,
        "seed": args.seed,
        "promises_kept_share": pooled["promises_kept_share"],
        "median_lateness_ratio": pooled["median_lateness_ratio"],
        "ratio_of_medians": pooled["ratio_of_medians"],
        "median_days_late": pooled["median_days_late"],
        "pooled": _headline(pooled),
        "targets": {"promises_kept_share": ">= 0.95", "median_lateness_ratio": "<= 1.20"},
        "datasets": results,
        "oracle": _headline(found["supplier", True][1]) | {"datasets": found["supplier", True][0]},
        "lane": _headline(found["lane", False][1])
        | {
            "datasets": found["lane", False][0],
            "oracle": _headline(found["lane", True][1]) | {"datasets": found["lane", True][0]},
        },
        "window": args.window,
        "records": args.records,
        "delay_record_method": supplier_records.DESCRIPTIONS[args.records],
        "tradeoff": tradeoff,
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "load_average": list(os.getloadavg()),
        },
        "seconds": time.perf_counter() - started,
    }
    if not development:
        payload["pooled_draw"] = _headline(found["pooled_draw", False][1]) | {
            "datasets": found["pooled_draw", False][0],
            "oracle": _headline(found["pooled_draw", True][1])
            | {"datasets": found["pooled_draw", True][0]},
        }
        print_tradeoff(console, tradeoff)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, indent=2, default=str))
    console.print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
