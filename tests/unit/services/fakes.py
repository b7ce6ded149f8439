"""In-memory fakes of the service-layer ports, in Cosmic Python's style.

``FakeUnitOfWork`` keeps a committed ``FakeStore``. Each ``with uow:`` block works on a
deep copy of it, and only ``commit()`` makes that copy the new committed state, so a
handler that fails half-way leaves the store as it was, like a rolled-back transaction.
On commit the events the touched aggregates recorded go to ``outbox``, as the SQL unit
of work writes them to the outbox table.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

import numpy as np

from stockguard.domain import (
    catalog,
    errors,
    events,
    ledger,
    parties,
    purchasing,
    replenishment,
    sales,
    shops,
    stock,
)
from stockguard.services import ports
from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)
from stockguard.services.unit_of_work import UnitOfWork


@dataclass
class FakeStore:
    """Everything a database would hold, as plain domain objects."""

    products: dict[str, catalog.Product] = field(default_factory=dict)
    locations: dict[str, catalog.Location] = field(default_factory=dict)
    suppliers: dict[str, parties.Supplier] = field(default_factory=dict)
    levels: dict[tuple[str, str], stock.StockLevel] = field(default_factory=dict)
    movements: list[ledger.StockMovement] = field(default_factory=list)
    orders: dict[str, purchasing.PurchaseOrder] = field(default_factory=dict)
    shops: dict[str, shops.Shop] = field(default_factory=dict)
    deliveries: set[tuple[str, str]] = field(default_factory=set)
    sales_orders: dict[str, sales.SalesOrder] = field(default_factory=dict)
    customers: dict[str, parties.Customer] = field(default_factory=dict)
    carriers: set[str] = field(default_factory=set)
    planning_runs: list[tuple[ports.PlanningRunRecord, list[dict[str, Any]]]] = field(
        default_factory=list
    )
    offers: list[parties.SupplierOffer] = field(default_factory=list)
    rules: dict[tuple[str, tuple[str, ...]], replenishment.ReplenishmentRule] = field(
        default_factory=dict
    )
    proposals: dict[int, replenishment.ReplenishmentProposal] = field(default_factory=dict)


class FakeCarrierRepository:
    def __init__(self, carriers: set[str]) -> None:
        self._carriers = carriers

    def exists(self, code: str) -> bool:
        return code in self._carriers


class FakeProductRepository:
    def __init__(self, products: dict[str, catalog.Product]) -> None:
        self._products = products

    def get(self, sku: str) -> catalog.Product | None:
        return self._products.get(sku)

    def add(self, product: catalog.Product) -> None:
        self._products[product.sku] = product


class FakeLocationRepository:
    def __init__(self, locations: dict[str, catalog.Location]) -> None:
        self._locations = locations

    def get(self, code: str) -> catalog.Location | None:
        return self._locations.get(code)

    def add(self, location: catalog.Location) -> None:
        self._locations[location.code] = location


class FakeSupplierRepository:
    def __init__(self, suppliers: dict[str, parties.Supplier]) -> None:
        self._suppliers = suppliers

    def get(self, code: str) -> parties.Supplier | None:
        return self._suppliers.get(code)

    def add(self, supplier: parties.Supplier) -> None:
        self._suppliers[supplier.code] = supplier


class FakeStockLevelRepository:
    """Hands out levels (a zero level when none exists yet) and remembers them."""

    def __init__(self, levels: dict[tuple[str, str], stock.StockLevel]) -> None:
        self._levels = levels
        self._seen: dict[tuple[str, str], stock.StockLevel] = {}

    @property
    def seen(self) -> Sequence[stock.StockLevel]:
        return list(self._seen.values())

    def get(self, sku: str, location: str) -> stock.StockLevel:
        key = (sku, location)
        level = self._levels.setdefault(key, stock.StockLevel(sku, location))
        self._seen[key] = level
        return level


class FakeLedgerRepository:
    def __init__(self, movements: list[ledger.StockMovement]) -> None:
        self._movements = movements

    def find(self, idempotency_key: str) -> ledger.StockMovement | None:
        for movement in self._movements:
            if movement.idempotency_key == idempotency_key:
                return movement
        return None

    def append(self, movement: ledger.StockMovement) -> None:
        self._movements.append(movement)


class FakePurchaseOrderRepository:
    def __init__(self, orders: dict[str, purchasing.PurchaseOrder]) -> None:
        self._orders = orders
        self._seen: dict[str, purchasing.PurchaseOrder] = {}

    @property
    def seen(self) -> Sequence[purchasing.PurchaseOrder]:
        return list(self._seen.values())

    def get(self, number: str) -> purchasing.PurchaseOrder | None:
        order = self._orders.get(number)
        if order is not None:
            self._seen[number] = order
        return order

    def add(self, order: purchasing.PurchaseOrder) -> None:
        self._orders[order.number] = order
        self._seen[order.number] = order


class FakeReconciliationSource:
    """The same sums the SQL source computes, over the store of the open unit of work."""

    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def ledger_totals(self, skus: Sequence[str]) -> list[ports.LedgerTotals]:
        totals: dict[tuple[str, str], list[int]] = {}
        for movement in self._store.movements:
            if not skus or movement.sku in skus:
                key = (movement.sku, movement.location)
                totals.setdefault(key, [0, 0])[0] += movement.quantity
        for order in self._store.orders.values():
            if not order.is_open:
                continue
            for line in order.lines:
                if line.outstanding > 0 and (not skus or line.sku in skus):
                    totals.setdefault((line.sku, order.location), [0, 0])[1] += line.outstanding
        return [ports.LedgerTotals(k[0], k[1], v[0], v[1]) for k, v in totals.items()]

    def recorded_levels(self, skus: Sequence[str]) -> list[ports.RecordedLevel]:
        return [
            ports.RecordedLevel(level.sku, level.location, level.on_hand, level.on_order)
            for level in self._store.levels.values()
            if not skus or level.sku in skus
        ]


class FakeShopRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def get(self, code: str) -> shops.Shop | None:
        return self._store.shops.get(code)

    def add(self, shop: shops.Shop) -> None:
        self._store.shops[shop.code] = shop

    def list(self) -> list[shops.Shop]:
        return [self._store.shops[code] for code in sorted(self._store.shops)]

    def record_delivery(
        self, shop: str, delivery_id: str, topic: shops.WebhookTopic, received_at: datetime
    ) -> bool:
        if (shop, delivery_id) in self._store.deliveries:
            return False
        self._store.deliveries.add((shop, delivery_id))
        return True


class FakeSalesOrderRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def exists(self, number: str) -> bool:
        return number in self._store.sales_orders

    def add(self, order: sales.SalesOrder, customer: parties.Customer | None = None) -> None:
        if customer is not None:
            self._store.customers.setdefault(customer.external_id, customer)
        self._store.sales_orders[order.number] = order


class FakeForecastRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def add_run(self, run: ports.PlanningRunRecord, rows: Sequence[Mapping[str, Any]]) -> int:
        self._store.planning_runs.append((run, [dict(row) for row in rows]))
        return len(self._store.planning_runs)


class FakeLedgerHistory:
    """The ledger's movements of the committed store, summed by UTC day."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def _movements(
        self, skus: Sequence[str], locations: Sequence[str]
    ) -> list[ledger.StockMovement]:
        return [
            m
            for m in self._uow.store.movements
            if (not skus or m.sku in skus) and (not locations or m.location in locations)
        ]

    def daily_totals(
        self, *, start: date, end: date, skus: Sequence[str], locations: Sequence[str]
    ) -> list[ports.DailyTotal]:
        sums: dict[tuple[str, str, date], list[int]] = {}
        for m in self._movements(skus, locations):
            day = m.occurred_at.astimezone(UTC).date()
            if start <= day <= end:
                total = sums.setdefault((m.sku, m.location, day), [0, 0])
                total[0] += -m.quantity if m.kind is ledger.MovementKind.SALE else 0
                total[1] += m.quantity
        return [ports.DailyTotal(*key, sold, net) for key, (sold, net) in sums.items()]

    def balances_before(
        self, *, start: date, skus: Sequence[str], locations: Sequence[str]
    ) -> dict[tuple[str, str], int]:
        balances: dict[tuple[str, str], int] = {}
        for m in self._movements(skus, locations):
            if m.occurred_at.astimezone(UTC).date() < start:
                key = (m.sku, m.location)
                balances[key] = balances.get(key, 0) + m.quantity
        return balances


class FakeRuleRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store

    def list(self) -> list[replenishment.ReplenishmentRule]:
        return list(self._store.rules.values())

    def put(self, rule: replenishment.ReplenishmentRule) -> bool:
        key = (rule.scope.value, rule.key)
        replaced = key in self._store.rules
        self._store.rules[key] = rule
        return replaced

    def remove(self, scope: replenishment.RuleScope, key: tuple[str, ...]) -> bool:
        return self._store.rules.pop((scope.value, key), None) is not None


class FakeProposalRepository:
    def __init__(self, store: FakeStore) -> None:
        self._store = store
        self._seen: dict[int, replenishment.ReplenishmentProposal] = {}

    @property
    def seen(self) -> Sequence[replenishment.ReplenishmentProposal]:
        return list(self._seen.values())

    def add(self, proposal: replenishment.ReplenishmentProposal) -> int:
        proposal.id = len(self._store.proposals) + 1
        self._store.proposals[proposal.id] = proposal
        self._seen[proposal.id] = proposal
        return proposal.id

    def get(self, proposal_id: int) -> replenishment.ReplenishmentProposal | None:
        proposal = self._store.proposals.get(proposal_id)
        if proposal is not None:
            self._seen[proposal_id] = proposal
        return proposal


class FakeReplenishmentSource:
    """What a replenishment run reads, from the committed store."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def latest_run(self) -> int | None:
        return len(self._uow.store.planning_runs) or None

    def forecast(self, run_id: int) -> ports.StoredForecast | None:
        runs = self._uow.store.planning_runs
        if not 1 <= run_id <= len(runs):
            return None
        rows = sorted(runs[run_id - 1][1], key=lambda x: (x["sku"], x["location"], x["day"]))
        series = sorted({(x["sku"], x["location"]) for x in rows})
        horizon = len(rows) // max(len(series), 1)

        def matrix(name: str) -> Any:
            return np.array([x[name] for x in rows], dtype=np.float64).reshape(-1, horizon)

        return ports.StoredForecast(
            run_id=run_id,
            first_day=rows[0]["day"] if rows else date(1970, 1, 1),
            skus=tuple(s for s, _ in series),
            locations=tuple(loc for _, loc in series),
            mean=matrix("mean"),
            p10=matrix("lower_80"),
            p90=matrix("p90"),
        )

    def positions(self) -> list[ports.PositionFacts]:
        """Levels plus the outstanding units of draft POs, as the SQL source reads them."""
        drafts: dict[tuple[str, str], int] = {}
        for order in self._uow.store.orders.values():
            if order.status is purchasing.PurchaseOrderStatus.DRAFT:
                for line in order.lines:
                    key = (line.sku, order.location)
                    drafts[key] = drafts.get(key, 0) + line.outstanding
        keys = set(self._uow.store.levels) | set(drafts)
        found = []
        for sku, location in sorted(keys):
            level = self._uow.store.levels.get((sku, location), stock.StockLevel(sku, location))
            counts = (level.on_hand, level.allocated, level.reserved, level.on_order)
            found.append(
                ports.PositionFacts(sku, location, *counts, drafts.get((sku, location), 0))
            )
        return found

    def products(self) -> list[ports.ProductFacts]:
        return [
            ports.ProductFacts(x.sku, x.category, x.price, x.unit_cost)
            for x in self._uow.store.products.values()
        ]

    def offers(self) -> list[parties.SupplierOffer]:
        return list(self._uow.store.offers)

    def deliveries(self) -> list[ports.Delivery]:
        found = []
        for order in self._uow.store.orders.values():
            if order.expected_on is None:
                continue
            first: dict[str, datetime] = {}
            for receipt in order.receipts:
                first.setdefault(receipt.sku, receipt.received_at)
            for at in first.values():
                found.append(ports.Delivery(order.supplier, (at.date() - order.expected_on).days))
        return found

    def supplier_history(self) -> FakeSupplierHistory:
        return FakeSupplierHistory(self._uow)

    def ledger(self) -> FakeLedgerHistory:
        return FakeLedgerHistory(self._uow)

    def rules(self) -> list[replenishment.ReplenishmentRule]:
        return list(self._uow.store.rules.values())


class FakeUnitOfWork(UnitOfWork):
    """A unit of work over a ``FakeStore``.

    ``conflicts`` makes the next that many commits fail with ``ConcurrencyConflict``, as
    if another transaction had changed the same level first; nothing is written then.
    """

    def __init__(
        self,
        *,
        products: Iterable[catalog.Product] = (),
        locations: Iterable[catalog.Location] = (),
        suppliers: Iterable[parties.Supplier] = (),
        carriers: Iterable[str] = (),
        conflicts: int = 0,
    ) -> None:
        self.store = FakeStore(
            products={product.sku: product for product in products},
            locations={location.code: location for location in locations},
            suppliers={supplier.code: supplier for supplier in suppliers},
            carriers=set(carriers),
        )
        self.committed = False
        self.conflicts = conflicts
        self.outbox: list[events.Event] = []
        self.history = FakeLedgerHistory(self)
        self.replenishment = FakeReplenishmentSource(self)
        self._open()

    def __enter__(self) -> Self:
        self._open()
        return super().__enter__()

    def commit(self) -> None:
        if self.conflicts > 0:
            self.conflicts -= 1
            raise errors.ConcurrencyConflict("?", "?")
        self.outbox.extend(self.collect_new_events())
        self.store = self._working
        self.committed = True
        self._open()

    def rollback(self) -> None:
        self._open()

    def _open(self) -> None:
        """Start from a private copy of the committed store, dropping uncommitted work."""
        self._working = working = copy.deepcopy(self.store)
        self.products = FakeProductRepository(working.products)
        self.locations = FakeLocationRepository(working.locations)
        self.suppliers = FakeSupplierRepository(working.suppliers)
        self.carriers = FakeCarrierRepository(working.carriers)
        self.levels = FakeStockLevelRepository(working.levels)
        self.ledger = FakeLedgerRepository(working.movements)
        self.purchase_orders = FakePurchaseOrderRepository(working.orders)
        self.reconciliation = FakeReconciliationSource(working)
        self.shops = FakeShopRepository(working)
        self.sales_orders = FakeSalesOrderRepository(working)
        self.forecasts = FakeForecastRepository(working)
        self.rules = FakeRuleRepository(working)
        self.proposals = FakeProposalRepository(working)


class FakeSupplierHistory:
    """``services.suppliers.ports.SupplierHistory`` over the committed store (no ratings)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._store = uow.store

    def order_lines(
        self, *, supplier: str | None = None, sku: str | None = None, since: date | None = None
    ) -> list[OrderLineFacts]:
        found = []
        for order in self._store.orders.values():
            if order.status.value in ("draft", "cancelled"):
                continue
            first: dict[str, date] = {}
            for receipt in order.receipts:
                first.setdefault(receipt.sku, receipt.received_at.date())
            for line in order.lines:
                found.append(
                    OrderLineFacts(
                        order.supplier,
                        line.sku,
                        order.number,
                        order.status.value,
                        order.ordered_on,
                        order.expected_on,
                        first.get(line.sku),
                        line.quantity,
                        line.received,
                        line.rejected,
                        line.unit_cost,
                        order.currency,
                    )
                )
        return [
            x for x in found
            if (supplier is None or x.supplier == supplier) and (sku is None or x.sku == sku)
            and (since is None or (x.expected_on or x.ordered_on or since) >= since)
        ]  # fmt: skip

    def suppliers(self) -> list[SupplierFacts]:
        return [SupplierFacts(s.code, s.name, s.country) for s in self._store.suppliers.values()]

    def offers(self) -> list[OfferFacts]:
        return [
            OfferFacts(
                o.supplier,
                o.sku,
                o.unit_cost,
                o.currency,
                o.lead_time_days,
                o.minimum_order_quantity,
            )
            for o in self._store.offers
        ]

    def ratings(self) -> list[SupplierRating]:
        return []

    def country_scores(self) -> dict[str, float]:
        return {}

    def product_categories(self) -> dict[str, str | None]:
        return {p.sku: p.category for p in self._store.products.values()}

    def revenue_by_sku(self, *, since: datetime) -> dict[str, Decimal]:
        return {}
