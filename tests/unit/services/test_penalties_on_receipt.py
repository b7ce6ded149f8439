"""Penalties charged by the receive handler, in the receipt's own transaction (fakes)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from stockguard.domain import commands, contracts, errors, events
from stockguard.services.contracts.handlers import SetContractClause
from stockguard.services.contracts.penalties import charged_event
from stockguard.services.messagebus import MessageBus
from unit.services.fakes import FakeUnitOfWork

from builders import a_location, a_product, a_supplier

D = Decimal
PO = "PO-1"
ORDERED = date(2026, 3, 1)
EXPECTED = date(2026, 3, 10)


class FakeContractRepository:
    def __init__(
        self,
        clauses: dict[tuple[str, date], contracts.ContractClause],
        penalties: dict[str, contracts.Penalty],
    ) -> None:
        self.clauses_by_key = clauses
        self.penalties = penalties
        self._events: list[events.Event] = []

    def clauses(self, supplier: str) -> list[contracts.ContractClause]:
        return [c for (s, _), c in sorted(self.clauses_by_key.items()) if s == supplier]

    def put(self, clause: contracts.ContractClause) -> bool:
        key = (clause.supplier, clause.valid_from)
        replaced = key in self.clauses_by_key
        self.clauses_by_key[key] = clause
        return replaced

    def add_penalty(self, penalty: contracts.Penalty) -> bool:
        if penalty.key in self.penalties:
            return False
        self.penalties[penalty.key] = penalty
        self._events.append(charged_event(penalty))
        return True

    def drain_events(self) -> list[events.Event]:
        drained, self._events = self._events, []
        return drained


class ContractUnitOfWork(FakeUnitOfWork):
    """The fake unit of work plus clauses and penalties, committed like the rest."""

    def __init__(self, **kwargs: Any) -> None:
        self.committed_contracts: tuple[dict[Any, Any], dict[str, Any]] = ({}, {})
        super().__init__(**kwargs)

    def _open(self) -> None:
        super()._open()
        clauses, penalties = copy.deepcopy(self.committed_contracts)
        self.contracts = FakeContractRepository(clauses, penalties)

    def commit(self) -> None:
        pending = (self.contracts.clauses_by_key, self.contracts.penalties)  # type: ignore[attr-defined]
        super().commit()
        self.committed_contracts = pending
        self._open()

    @property
    def penalties(self) -> list[contracts.Penalty]:
        return list(self.committed_contracts[1].values())


@pytest.fixture
def uow() -> ContractUnitOfWork:
    return ContractUnitOfWork(
        products=[a_product("MUG")], locations=[a_location("WH1")], suppliers=[a_supplier("ACME")]
    )


@pytest.fixture
def bus(uow: ContractUnitOfWork) -> MessageBus:
    return MessageBus(lambda: uow, sleep=lambda _seconds: None)


def contract(bus: MessageBus, **overrides: Any) -> None:
    values: dict[str, Any] = {
        "supplier": "ACME",
        "valid_from": date(2026, 1, 1),
        "max_lead_time_days": 14,
        "late_penalty_percent": D("0.5"),
        "late_cap_percent": D("10"),
        "quality_threshold": D("0.02"),
        "quality_penalty_percent": D("5"),
        "guaranteed_fill_rate": D("0.95"),
        "short_fill_penalty_percent": D("20"),
    }
    values.update(overrides)
    bus.handle(SetContractClause(contracts.ContractClause(**values)))


def sent_order(
    bus: MessageBus, *, ordered_on: date = ORDERED, expected_on: date | None = EXPECTED
) -> None:
    line = commands.PurchaseOrderLineInput("MUG", 100, D("10.00"))
    bus.handle(
        commands.CreatePurchaseOrder(
            PO, "ACME", "WH1", (line,), ordered_on=ordered_on, expected_on=expected_on
        )
    )
    bus.handle(commands.ChangePurchaseOrderStatus(PO, "sent"))


def receive(bus: MessageBus, quantity: int, day: date, key: str, rejected: int = 0) -> None:
    at = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    bus.handle(commands.ReceivePurchaseOrderLine(PO, "MUG", quantity, at, key, rejected))


def test_a_late_receipt_charges_the_capped_rate_in_the_receipt_transaction(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 100, date(2026, 3, 14), "r-1")  # 4 days late: 2 % of 1,000.00
    [penalty] = uow.penalties
    assert (penalty.kind, penalty.amount, penalty.days_late) == ("late", D("20.00"), 4)
    assert (penalty.basis, penalty.clause_from, penalty.currency) == (
        D("1000.00"),
        date(2026, 1, 1),
        "EUR",
    )
    charged = [e for e in uow.outbox if isinstance(e, events.PenaltyCharged)]
    assert charged == [events.PenaltyCharged("ACME", PO, "MUG", "late", "20.00", "EUR", "r-1:late")]


def test_the_late_penalty_stops_at_its_cap(bus: MessageBus, uow: ContractUnitOfWork) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 100, date(2026, 4, 30), "r-1")  # 51 days late: capped at 10 %
    assert [p.amount for p in uow.penalties] == [D("100.00")]


def test_an_on_time_receipt_charges_nothing(bus: MessageBus, uow: ContractUnitOfWork) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 100, EXPECTED, "r-1")
    assert uow.penalties == []
    assert not [e for e in uow.outbox if isinstance(e, events.PenaltyCharged)]


def test_partial_receipts_are_charged_one_by_one_on_their_own_value(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 40, date(2026, 3, 9), "r-1")  # on time
    receive(bus, 60, date(2026, 3, 16), "r-2")  # 6 days late: 3 % of 600.00
    assert [(p.key, p.amount) for p in uow.penalties] == [("r-2:late", D("18.00"))]


def test_without_an_expected_date_the_maximum_lead_time_sets_the_due_date(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus)
    sent_order(bus, expected_on=None)
    receive(bus, 100, date(2026, 3, 17), "r-1")  # due 03-15 (+14 days): 2 days late
    assert [(p.days_late, p.amount) for p in uow.penalties] == [(2, D("10.00"))]


def test_a_receipt_after_a_clause_change_uses_the_clause_valid_on_the_po_date(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus, valid_to=date(2026, 3, 11))
    contract(bus, valid_from=date(2026, 3, 12), late_penalty_percent=D("2"))
    sent_order(bus)  # ordered 03-01, under the first clause
    receive(bus, 100, date(2026, 3, 14), "r-1")
    assert [(p.amount, p.clause_from) for p in uow.penalties] == [(D("20.00"), date(2026, 1, 1))]


def test_a_receipt_with_too_many_rejects_also_owes_the_quality_penalty(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 100, EXPECTED, "r-1", rejected=5)  # 5 % > 2 %: 5 % of 1,000.00
    assert [(p.kind, p.amount, p.units) for p in uow.penalties] == [("quality", D("50.00"), 5)]


def test_a_refused_receipt_charges_nothing(bus: MessageBus, uow: ContractUnitOfWork) -> None:
    contract(bus)
    sent_order(bus)
    with pytest.raises(errors.OverReceipt):
        receive(bus, 101, date(2026, 3, 30), "r-1")
    assert uow.penalties == []
    assert not [e for e in uow.outbox if isinstance(e, events.PenaltyCharged)]


def test_a_replayed_receipt_charges_once(bus: MessageBus, uow: ContractUnitOfWork) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 50, date(2026, 3, 14), "r-1")
    receive(bus, 50, date(2026, 3, 14), "r-1")
    assert [p.key for p in uow.penalties] == ["r-1:late"]


def test_closing_a_po_below_the_guaranteed_fill_rate_charges_the_shortfall(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    contract(bus)
    sent_order(bus)
    receive(bus, 90, EXPECTED, "r-1")
    bus.handle(commands.ChangePurchaseOrderStatus(PO, "received"))
    # guarantee 95 of 100, 90 received: 5 units x 10.00 x 20 %
    [penalty] = uow.penalties
    assert (penalty.kind, penalty.units, penalty.amount) == ("short_fill", 5, D("10.00"))
    assert penalty.incurred_on == EXPECTED


def test_a_supplier_without_a_contract_owes_nothing(
    bus: MessageBus, uow: ContractUnitOfWork
) -> None:
    sent_order(bus)
    receive(bus, 100, date(2026, 5, 1), "r-1")
    assert uow.penalties == []


def test_a_contract_for_an_unknown_supplier_is_refused(bus: MessageBus) -> None:
    with pytest.raises(errors.UnknownSupplier):
        contract(bus, supplier="NOPE")
