"""Shared helpers of the delay-record tests: the 95% promise one supplier's record gives."""

from __future__ import annotations

from datetime import date

from stockguard.services.storefront import promise, records
from stockguard.services.storefront.ports import Pmf, PromiseBasis

TODAY = date(2026, 11, 25)


def shares(pmf: Pmf | None) -> dict[float, float]:
    """Days late -> probability of ``pmf`` (empty for None)."""
    return dict((days, share) for days, share in pmf or [])


def promised_on(
    found: records.SupplierRecords, supplier: str, expected_on: date, today: date = TODAY
) -> date | None:
    """The 95% promise of a PO of ``supplier`` due ``expected_on``, from ``found``."""
    basis = PromiseBasis(
        "SKU", "LOC", expected_on=expected_on, purchase_order="PO",
        delay_pmf=found.delay_pmf(supplier), delay_count=found.delay_count(supplier),
    )  # fmt: skip
    return promise.promise([basis], today=today, confidence=0.95)[0].promise_on
