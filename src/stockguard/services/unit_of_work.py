"""The unit-of-work port: one atomic transaction over all repositories."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from datetime import datetime
from types import TracebackType
from typing import Self

from stockguard.domain import events
from stockguard.planning.risk.figures import DEFAULT_THRESHOLDS, RiskThresholds
from stockguard.services import ports
from stockguard.services.audit import ports as audit_ports
from stockguard.services.carriers import ports as carrier_ports
from stockguard.services.consent import ports as consent_ports
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.contracts import ports as contract_ports
from stockguard.services.promotions import ports as promotion_ports
from stockguard.services.register import ports as register_ports
from stockguard.services.reservations import ports as reservation_ports
from stockguard.services.risk import incremental as risk_incremental
from stockguard.services.risk import ports as risk_ports
from stockguard.services.storefront import follow as storefront_follow
from stockguard.services.storefront import ports as storefront_ports
from stockguard.services.subscriptions import ports as subscription_ports
from stockguard.services.substitutes import ports as substitute_ports


class UnitOfWork(abc.ABC):
    """``with uow: ...; uow.commit()``; leaving the block without commit rolls back.

    On commit the implementation writes every event the touched aggregates recorded
    to the outbox in the same transaction.
    """

    products: ports.ProductRepository
    locations: ports.LocationRepository
    suppliers: ports.SupplierRepository
    carriers: ports.CarrierRepository
    levels: ports.StockLevelRepository
    ledger: ports.LedgerRepository
    purchase_orders: ports.PurchaseOrderRepository
    reconciliation: ports.ReconciliationSource
    bulk: ports.BulkWriter
    api_keys: ports.ApiKeyRepository
    shops: ports.ShopRepository
    sales_orders: ports.SalesOrderRepository
    forecasts: ports.ForecastRepository
    history: ports.LedgerHistory
    """Read-only ledger history in its own short transactions, outside this unit of
    work's transaction, so a long planning run does not hold the write lock."""
    rules: ports.RuleRepository
    proposals: ports.ProposalRepository
    replenishment: ports.ReplenishmentSource
    """Read-only inputs of a replenishment run, read like ``history``."""
    risk: risk_ports.StockRiskRepository = risk_ports.NoStockRisk()
    """Stock-out risk rows; ``follow_risk`` keeps them in step with the levels touched."""
    risk_inputs: risk_ports.RiskInputs
    """Read-only extra inputs of a risk refresh (open receipts, prices), read like ``history``."""
    risk_thresholds: RiskThresholds = DEFAULT_THRESHOLDS
    """Probabilities of the ``at_risk`` and ``watch`` states (settings ``risk``)."""
    cycle_counts: audit_ports.CycleCountRepository
    """The cycle-count schedule and recorded counts (audit area)."""
    promotions: promotion_ports.PromotionRepository = promotion_ports.NoPromotions()
    """Planned promotions, their inbound supply and the readiness warnings sent."""
    contracts: contract_ports.ContractRepository = contract_ports.NoContracts()
    """Supplier contract clauses and the penalties they charged."""
    shipments: carrier_ports.ShipmentRepository = carrier_ports.NoShipments()
    """Carrier shipments, their tracking reports and lane alternates."""
    register: register_ports.RiskRegisterRepository = register_ports.NoRegister()
    """The risk register: risks, their scenarios, plans and rehearsals."""
    storefront: storefront_ports.AvailabilityRepository = storefront_ports.NoAvailability()
    """Storefront availability rows; ``follow_storefront`` keeps them in step."""
    reservations: reservation_ports.ReservationRepository = reservation_ports.NoReservations()
    """Checkout reservations and pre-orders (lock the level before changing them)."""
    substitutes: substitute_ports.SubstituteRepository = substitute_ports.NoSubstitutes()
    """Precomputed substitutes and complements, their promotions and event counts."""
    subscriptions: subscription_ports.SubscriptionRepository = subscription_ports.NoSubscriptions()
    """Back-in-stock subscriptions, one per (contact, SKU)."""
    consent: consent_ports.ConsentRepository = consent_ports.NoConsent()
    """Consent log, rate-limit windows, confirmation messages, export and erasure."""
    consent_policy: ConsentPolicy = ConsentPolicy()
    """Signed links and rate limits (settings ``messaging`` and ``consent``)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    def follow_risk(self, now: datetime) -> int:
        """Update the risk rows of the levels this unit of work touched (call before the
        outbox is written, so the risk events join it); returns the rows updated."""
        return risk_incremental.follow_levels(
            self.levels.seen, self.risk, now=now, thresholds=self.risk_thresholds
        )

    def follow_storefront(
        self, now: datetime, new_events: list[events.Event]
    ) -> list[events.Event]:
        """Update the availability rows of the levels touched and re-promise the SKUs of
        the purchase orders touched or whose shipment ``new_events`` reports delayed;
        returns the storefront events to add to the outbox (call after
        ``collect_new_events``)."""
        storefront_follow.follow_levels(self.levels.seen, self.storefront, now=now)
        ordered = {(ln.sku, po.location) for po in self.purchase_orders.seen for ln in po.lines}
        storefront_follow.repromise(ordered, self.storefront, now=now, reason="purchase_order")
        others = [lv for lv in self.levels.seen if (lv.sku, lv.location) not in ordered]
        storefront_follow.follow_unavailable(others, self.storefront, now=now)
        late = {e.purchase_order for e in new_events if isinstance(e, events.ShipmentDelayed)}
        shipped = {
            (ln.sku, po.location)
            for number in sorted(n for n in late if n is not None)
            if (po := self.purchase_orders.get(number)) is not None
            for ln in po.lines
        }
        storefront_follow.repromise(
            shipped - ordered, self.storefront, now=now, reason="shipment_delayed"
        )
        drained: list[events.Event] = []
        for row in self.storefront.seen:
            drained.extend(row.events)
            row.events.clear()
        return drained

    def collect_new_events(self) -> Iterator[events.Event]:
        """Drain events recorded by aggregates touched in this unit of work."""
        for level in self.levels.seen:
            while level.events:
                yield level.events.pop(0)
        for order in self.purchase_orders.seen:
            while order.events:
                yield order.events.pop(0)
        for proposal in self.proposals.seen:
            while proposal.events:
                yield proposal.events.pop(0)
        for risk in self.risk.seen:
            while risk.events:
                yield risk.events.pop(0)
        yield from self.promotions.drain_events()
        yield from self.contracts.drain_events()
        yield from self.shipments.drain_events()
