"""The message bus: routes each command to its handler and retries on conflicts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from stockguard.domain import commands, errors
from stockguard.services.audit import commands as audit_commands
from stockguard.services.audit import counts as audit_counts
from stockguard.services.carriers import handlers as carriers
from stockguard.services.consent import handlers as consent
from stockguard.services.contracts import handlers as contracts
from stockguard.services.handlers import access, purchasing, reconcile, shops, stock, webhooks
from stockguard.services.planning import run as planning_run
from stockguard.services.preorders import handlers as preorders
from stockguard.services.replenishment import handlers as replenishment
from stockguard.services.replenishment import propose
from stockguard.services.reservations import handlers as reservations
from stockguard.services.subscriptions import handlers as subscriptions
from stockguard.services.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

Handler = Callable[[Any, UnitOfWork], Any]

COMMAND_HANDLERS: dict[type[commands.Command], Handler] = {
    commands.RecordSale: stock.record_sale,
    commands.RecordReturn: stock.record_return,
    commands.RecordAdjustment: stock.record_adjustment,
    commands.RecordStockCount: stock.record_stock_count,
    commands.TransferStock: stock.transfer_stock,
    commands.CreatePurchaseOrder: purchasing.create_purchase_order,
    commands.UpdatePurchaseOrder: purchasing.update_purchase_order,
    commands.ChangePurchaseOrderStatus: purchasing.change_purchase_order_status,
    commands.ReceivePurchaseOrderLine: purchasing.receive_purchase_order_line,
    commands.ReconcileStockLevels: reconcile.reconcile_stock_levels,
    commands.CreateApiKey: access.create_api_key,
    commands.RevokeApiKey: access.revoke_api_key,
    commands.CreateShop: shops.create_shop,
    commands.RotateShopSecret: shops.rotate_shop_secret,
    commands.RecordOrderWebhook: webhooks.record_shop_order,
    commands.RecordInventoryWebhook: webhooks.record_shop_inventory,
    commands.RunForecast: planning_run.handle_run_forecast,
    commands.ProposeReplenishment: propose.handle_propose_replenishment,
    commands.ApproveProposal: replenishment.approve_proposal,
    commands.RejectProposal: replenishment.reject_proposal,
    commands.SetReplenishmentRule: replenishment.set_rule,
    commands.RemoveReplenishmentRule: replenishment.remove_rule,
    audit_commands.ScheduleCycleCounts: audit_counts.schedule_cycle_counts,
    audit_commands.StoreCycleCount: audit_counts.store_cycle_count,
    contracts.SetContractClause: contracts.set_contract_clause,
    carriers.BookShipment: carriers.book_shipment,
    carriers.UpdateShipment: carriers.update_shipment,
    carriers.SetLaneAlternate: carriers.set_lane_alternate,
    reservations.Reserve: reservations.reserve,
    reservations.ReleaseReservation: reservations.release_reservation,
    reservations.ConfirmReservation: reservations.confirm_reservation,
    reservations.ShipReservation: reservations.ship_reservation,
    reservations.GetReservation: reservations.get_reservation,
    reservations.ReleaseExpired: reservations.release_expired,
    preorders.PlacePreorder: preorders.place_preorder,
    preorders.GetPreorder: preorders.get_preorder,
    preorders.CancelPreorder: preorders.cancel_preorder,
    preorders.ShipPreorder: preorders.ship_preorder,
    subscriptions.SubscribeBackInStock: subscriptions.subscribe_back_in_stock,
    consent.ConfirmSubscription: consent.confirm_subscription,
    consent.UnsubscribeByLink: consent.unsubscribe_by_link,
    consent.ExportContact: consent.export_contact,
    consent.EraseContact: consent.erase_contact,
}


class MessageBus:
    """Handles commands through one unit-of-work factory.

    A ``ConcurrencyConflict`` (another transaction changed the same row first) is
    retried up to ``max_attempts`` times with a short growing pause.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        *,
        max_attempts: int = 10,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.uow_factory = uow_factory
        self.max_attempts = max_attempts
        self._sleep = sleep

    def handle(self, command: commands.Command) -> Any:
        handler = COMMAND_HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler registered for {type(command).__name__}")
        for attempt in range(1, self.max_attempts + 1):
            try:
                return handler(command, self.uow_factory())
            except errors.ConcurrencyConflict:
                if attempt == self.max_attempts:
                    raise
                logger.info("retrying %s after a conflict (attempt %d)", command, attempt)
                self._sleep(0.005 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover
