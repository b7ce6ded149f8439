"""The SQLAlchemy unit of work: one session, one transaction, outbox on commit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from stockguard.adapters.db import repositories, tables
from stockguard.adapters.db.access import SqlApiKeyRepository
from stockguard.adapters.db.audit import SqlCycleCountRepository
from stockguard.adapters.db.bulk import SqlBulkWriter
from stockguard.adapters.db.carriers import SqlShipmentRepository
from stockguard.adapters.db.consent import SqlConsentRepository
from stockguard.adapters.db.contracts import SqlContractRepository
from stockguard.adapters.db.forecasts import SqlForecastRepository
from stockguard.adapters.db.history import SqlLedgerHistory
from stockguard.adapters.db.promotions import SqlPromotionRepository
from stockguard.adapters.db.proposals import SqlProposalRepository
from stockguard.adapters.db.reconciliation import SqlReconciliationSource
from stockguard.adapters.db.register import SqlRiskRegisterRepository
from stockguard.adapters.db.replenishment_source import SqlReplenishmentSource
from stockguard.adapters.db.reservations import SqlReservationRepository
from stockguard.adapters.db.risk import SqlRiskInputs, SqlStockRiskRepository
from stockguard.adapters.db.rules import SqlRuleRepository
from stockguard.adapters.db.shops import SqlSalesOrderRepository, SqlShopRepository
from stockguard.adapters.db.storefront import SqlAvailabilityRepository
from stockguard.adapters.db.subscriptions import SqlSubscriptionRepository
from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.domain import errors, events
from stockguard.planning.risk.figures import RiskThresholds
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.unit_of_work import UnitOfWork

SessionFactory = Callable[[], Session]


class SqlAlchemyUnitOfWork(UnitOfWork):
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        now: Callable[[], datetime] | None = None,
        history_sessions: SessionFactory | None = None,
        risk_thresholds: RiskThresholds | None = None,
        consent_policy: ConsentPolicy | None = None,
    ) -> None:
        """``history_sessions`` opens the sessions ``history`` reads with (read-only
        ones on SQLite, so reading never takes the write lock); default: ``session_factory``.
        ``risk_thresholds``: the risk states' probabilities (default 0.5 and 0.2)."""
        self._session_factory = session_factory
        if risk_thresholds is not None:
            self.risk_thresholds = risk_thresholds
        if consent_policy is not None:
            self.consent_policy = consent_policy
        self._now = now or (lambda: datetime.now(UTC))
        self.history = SqlLedgerHistory(history_sessions or session_factory)
        self.replenishment = SqlReplenishmentSource(history_sessions or session_factory)
        self.risk_inputs = SqlRiskInputs(history_sessions or session_factory)

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.products = repositories.SqlProductRepository(self.session)
        self.locations = repositories.SqlLocationRepository(self.session)
        self.suppliers = repositories.SqlSupplierRepository(self.session)
        self.carriers = repositories.SqlCarrierRepository(self.session)
        self.ledger = self._ledger = repositories.SqlLedgerRepository(self.session)
        self.levels = self._levels = repositories.SqlStockLevelRepository(self.session)
        self.purchase_orders = self._orders = repositories.SqlPurchaseOrderRepository(self.session)
        self.reconciliation = SqlReconciliationSource(self.session)
        self.bulk = SqlBulkWriter(self.session)
        self.api_keys = self._api_keys = SqlApiKeyRepository(self.session)
        self.shops = self._shops = SqlShopRepository(self.session)
        self.sales_orders = self._sales_orders = SqlSalesOrderRepository(self.session)
        self.forecasts = SqlForecastRepository(self.session)
        self.rules = SqlRuleRepository(self.session)
        self.proposals = self._proposals = SqlProposalRepository(self.session)
        self.risk = self._risk = SqlStockRiskRepository(self.session)
        self.cycle_counts = SqlCycleCountRepository(self.session)
        self.promotions = SqlPromotionRepository(self.session)
        self.contracts = SqlContractRepository(self.session)
        self.shipments = SqlShipmentRepository(self.session)
        self.register = SqlRiskRegisterRepository(self.session)
        self.storefront = SqlAvailabilityRepository(self.session)
        self.reservations = SqlReservationRepository(self.session)
        self.substitutes = SqlSubstituteRepository(self.session)
        self.subscriptions = SqlSubscriptionRepository(self.session)
        self.consent = SqlConsentRepository(self.session)
        return super().__enter__()

    def __exit__(self, *args: Any) -> None:
        super().__exit__(*args)
        self.session.close()

    def commit(self) -> None:
        try:
            self._api_keys.flush()
            self._shops.flush()
            self._sales_orders.flush()
            self._orders.flush()
            self._levels.flush()
            self._ledger.flush()
            self._proposals.flush()
            self.follow_risk(self._now())
            self._risk.flush()
            new_events = list(self.collect_new_events())
            new_events += self.follow_storefront(self._now(), new_events)
            self._write_outbox(new_events)
            self.session.commit()
        except (StaleDataError, IntegrityError) as error:
            self.session.rollback()
            if isinstance(error, IntegrityError) and "idempotency_key" not in str(error):
                raise
            raise errors.ConcurrencyConflict("?", "?") from error

    def rollback(self) -> None:
        self.session.rollback()

    def _write_outbox(self, new_events: list[events.Event]) -> None:
        if not new_events:
            return
        now = self._now()
        rows = [
            {
                "event_type": type(event).__name__,
                "payload": dataclasses.asdict(event),  # type: ignore[call-overload]
                "created_at": now,
            }
            for event in new_events
        ]
        self.session.execute(insert(tables.OutboxRow), rows)
