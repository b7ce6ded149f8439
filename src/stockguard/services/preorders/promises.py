"""Promised dates of pre-orders: the storefront's restock promise for each open PO.

For every purchase order that brings units of the SKU x location, the promise is the
``confidence``-quantile (95% by default) of its arrival: the PO's expected date plus
ITS supplier's lateness distribution (``services.storefront.promise``: conditioned on
the lateness so far when the date has passed, plus a handling day), and never earlier
than the expected date itself. A PO without an expected date gets no date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from stockguard.domain import reservations as r
from stockguard.services.storefront import promise as promising
from stockguard.services.storefront.model import DEFAULT_CONFIDENCE
from stockguard.services.storefront.ports import PromiseBasis
from stockguard.services.unit_of_work import UnitOfWork


def promise_supplies(
    uow: UnitOfWork,
    sku: str,
    location: str,
    supplies: Sequence[r.Supply],
    *,
    today: date,
    confidence: float = DEFAULT_CONFIDENCE,
) -> list[r.Supply]:
    """``supplies`` with ``promised_on`` set to the promise of their purchase order."""
    dated = [s for s in supplies if s.expected_on is not None]
    if not dated:
        return [dataclasses.replace(s, promised_on=None) for s in supplies]
    facts = uow.storefront.bases([(sku, location)], today=today)
    delay = facts[0] if facts else PromiseBasis(sku, location)
    first = (delay.delay_pmf, delay.delay_count)
    own = {o.purchase_order: (o.delay_pmf, o.delay_count) for o in delay.other_orders}
    records = [own.get(s.purchase_order, first) for s in dated]
    bases = [
        PromiseBasis(
            sku,
            location,
            expected_on=s.expected_on,
            purchase_order=s.purchase_order,
            delay_pmf=pmf,
            delay_count=count,
            delay_mean=delay.delay_mean,
            delay_var=delay.delay_var,
        )
        for s, (pmf, count) in zip(dated, records, strict=True)
    ]
    made = promising.promise(bases, today=today, confidence=confidence)
    by_po = {
        s.purchase_order: max(p.promise_on, s.expected_on) if p.promise_on and s.expected_on
        else s.expected_on
        for s, p in zip(dated, made, strict=True)
    }  # fmt: skip
    return [dataclasses.replace(s, promised_on=by_po.get(s.purchase_order)) for s in supplies]
