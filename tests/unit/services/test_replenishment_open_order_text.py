"""Proposal lines say when open orders went into their supplier's lead time
(``open_orders.open_order_counts`` -> explanation -> ``lead_time_text``)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from stockguard.domain import purchasing
from stockguard.domain import replenishment as r
from stockguard.services.replenishment import lead_time_text
from stockguard.services.replenishment.propose import propose_replenishment
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import TODAY, a_shop, propose


def _split_mug_shop() -> FakeUnitOfWork:
    """BOLT has 8 receipts of MUG (an observed lead time); MUG is split across ACME and
    BOLT, so both get a line."""
    uow = a_shop(late_deliveries=8)
    uow.store.rules[("sku", ("MUG",))] = r.ReplenishmentRule(
        r.RuleScope.SKU, sku="MUG", max_supplier_share=0.5
    )
    return uow


def _open_order(uow: FakeUnitOfWork, supplier: str, number: str, days_ago: int) -> None:
    ordered = TODAY - timedelta(days=days_ago)
    uow.store.orders[number] = purchasing.PurchaseOrder(
        number=number, supplier=supplier, location="PAR",
        lines=[purchasing.PurchaseOrderLine("MUG", 10, Decimal("3.80"))],
        status=purchasing.PurchaseOrderStatus.SHIPPED, ordered_on=ordered,
        expected_on=ordered + timedelta(days=21),
    )  # fmt: skip


def _mug_lines(uow: FakeUnitOfWork) -> dict[str, r.ProposalLine]:
    propose_replenishment(propose(uow), uow)
    return {x.supplier: x for x in uow.store.proposals[1].lines if x.sku == "MUG"}


def test_lines_say_which_open_orders_went_into_the_lead_time() -> None:
    uow = _split_mug_shop()
    _open_order(uow, "BOLT", "OPEN-1", 60)
    _open_order(uow, "BOLT", "OPEN-2", 45)
    _open_order(uow, "ACME", "OPEN-A", 30)  # ACME has no delivery: its lead time is stated
    lines = _mug_lines(uow)
    bolt, acme = lines["BOLT"].explanation, lines["ACME"].explanation
    # ages on the day before the forecast's first day: 59 and 44
    assert bolt["supplier_open_orders"] == 2
    assert bolt["supplier_oldest_open_days"] == 59
    assert bolt["supplier_lead_time_receipts"] == 8
    assert bolt["supplier_lead_time_days"] == pytest.approx(0.8 * 31 + 0.2 * 59, abs=1e-3)
    assert "supplier_open_orders" not in acme  # no receipt for an open line to weigh on
    text = lead_time_text.from_explanation("BOLT", bolt)
    assert text == (
        "BOLT's lead time 36.6 days rests on 8 receipts and 2 open orders still out, the "
        "oldest ordered 59 days ago (an open order counts as taking at least its age so far)."
    )
    assert lead_time_text.from_explanation("ACME", acme) == ""


def test_lines_without_open_orders_keep_their_explanation() -> None:
    lines = _mug_lines(_split_mug_shop())
    assert lines, "the split MUG shop proposes no line to check"
    for line in lines.values():
        assert not {k for k in line.explanation if "open" in k}
        assert lead_time_text.from_explanation(line.supplier, line.explanation) == ""
