"""benchmarks/promise_calibration.py splits each data set's promises by their source
(``by_source``: an open PO not yet due, one due or late, no PO) for the diagnosis of
ADR 0029; the split adds up to the data set's row."""

from __future__ import annotations

import pytest

from stockguard.services.storefront.ports import PromiseBasis
from unit.planning._benchmark_modules import benchmark_module


def test_promises_are_split_by_source_and_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = benchmark_module(monkeypatch, "promise_calibration")
    found = bench.Stockouts()
    on_time = [[0.0, 1.0]]
    # day 10: a PO due on day 15 (restocked day 15), one due day 8 (late; restocked day
    # 40, beyond a punctual record's promise), no PO with a 3-day lead time (day 13)
    due_later = PromiseBasis("A", "L", expected_on=bench.day(15), purchase_order="P1",
                             delay_pmf=on_time)  # fmt: skip
    late = PromiseBasis("B", "L", expected_on=bench.day(8), purchase_order="P2",
                        delay_pmf=on_time)  # fmt: skip
    policy = PromiseBasis("C", "L", lead_time_pmf=[[3.0, 1.0]], next_order_on=bench.day(10))
    for basis, restock in ((due_later, 15), (late, 40), (policy, 13)):
        found.add(basis, 10, restock)

    row = bench.measure(found, 0.95, 1.0)

    split = row["by_source"]
    assert [bench.source_of(b, 10) for b in (due_later, late, policy)] == list(bench.SOURCES)
    assert sum(part["promised"] for part in split.values()) == row["promised"] == 3
    assert split["po_not_yet_due"]["promises_kept_share"] == 1.0  # day 16 for day 15
    assert split["po_due_or_late"]["promises_kept_share"] == 0.0  # day 11 against day 40
    assert split["policy"]["median_lateness_ratio"] == pytest.approx(4 / 3)  # 14 vs 13
