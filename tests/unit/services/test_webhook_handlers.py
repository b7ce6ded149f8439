"""Shop and webhook handlers over the in-memory unit of work."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from stockguard.domain import commands, errors, ledger, shops
from stockguard.services.handlers.webhooks import WebhookResult
from stockguard.services.messagebus import MessageBus
from unit.services.fakes import FakeUnitOfWork

from builders import NOW, a_location, a_product

MUG, TEA = "MUG-RED", "TEA-EARL"
SHOP = "acme-web"
WAREHOUSE, STORE = "WH1", "STORE1"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(
        products=[a_product(MUG), a_product(TEA)],
        locations=[a_location(WAREHOUSE), a_location(STORE)],
    )
    a_bus(uow).handle(commands.CreateShop(SHOP, "Acme web shop", WAREHOUSE, "s3cret", NOW))
    return uow


def a_bus(uow: FakeUnitOfWork) -> MessageBus:
    return MessageBus(lambda: uow, sleep=lambda _seconds: None)


def an_order(delivery_id: str = "d-1", **overrides: object) -> commands.RecordOrderWebhook:
    values: dict[str, object] = {
        "shop": SHOP,
        "delivery_id": delivery_id,
        "received_at": NOW,
        "order_number": "1001",
        "ordered_at": NOW - timedelta(minutes=5),
        "lines": (
            commands.WebhookOrderLine(MUG, 2, Decimal("12.90")),
            commands.WebhookOrderLine(TEA, 1, Decimal("6.50")),
        ),
        "customer": commands.WebhookCustomer("C-1", "ada@example.com"),
    }
    values.update(overrides)
    return commands.RecordOrderWebhook(**values)  # type: ignore[arg-type]


def an_inventory(
    *adjustments: commands.WebhookAdjustment, delivery_id: str = "inv-1"
) -> commands.RecordInventoryWebhook:
    return commands.RecordInventoryWebhook(SHOP, delivery_id, NOW, NOW, adjustments)


def on_hand(uow: FakeUnitOfWork, sku: str, location: str = WAREHOUSE) -> int:
    level = uow.store.levels.get((sku, location))
    return level.on_hand if level else 0


def test_an_order_records_the_sales_order_the_customer_and_one_sale_per_line(
    uow: FakeUnitOfWork,
) -> None:
    result: WebhookResult = a_bus(uow).handle(an_order())
    assert result.processed
    assert [m.idempotency_key for m in result.movements] == [
        f"webhook:{SHOP}:1001:1",
        f"webhook:{SHOP}:1001:2",
    ]
    assert (on_hand(uow, MUG), on_hand(uow, TEA)) == (-2, -1)
    order = uow.store.sales_orders["1001"]
    assert (order.channel, order.customer, len(order.lines)) == (SHOP, "C-1", 2)
    assert uow.store.customers["C-1"].email == "ada@example.com"
    assert (SHOP, "d-1") in uow.store.deliveries


def test_an_order_sells_from_the_location_it_names_instead_of_the_shops(
    uow: FakeUnitOfWork,
) -> None:
    a_bus(uow).handle(an_order(location=STORE))
    assert (on_hand(uow, MUG, STORE), on_hand(uow, MUG, WAREHOUSE)) == (-2, 0)


def test_a_replayed_delivery_is_a_duplicate_and_writes_nothing(uow: FakeUnitOfWork) -> None:
    bus = a_bus(uow)
    bus.handle(an_order())
    movements_before = list(uow.store.movements)
    again: WebhookResult = bus.handle(an_order())
    assert not again.processed
    assert again.movements == ()
    assert uow.store.movements == movements_before
    assert on_hand(uow, MUG) == -2


def test_an_unknown_sku_writes_nothing_so_a_corrected_retry_with_the_same_id_succeeds(
    uow: FakeUnitOfWork,
) -> None:
    bus = a_bus(uow)
    bad_lines = (
        commands.WebhookOrderLine(MUG, 1, Decimal("1")),
        commands.WebhookOrderLine("NOPE", 1, Decimal("1")),
    )
    with pytest.raises(errors.UnknownSku) as raised:
        bus.handle(an_order(lines=bad_lines))
    assert raised.value.sku == "NOPE"
    assert (uow.store.movements, uow.store.sales_orders, uow.store.deliveries) == ([], {}, set())
    assert bus.handle(an_order()).processed


def test_an_unknown_location_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(errors.UnknownLocation):
        a_bus(uow).handle(an_order(location="MOON"))
    assert uow.store.movements == []


def test_the_same_order_under_a_new_delivery_id_is_refused_as_a_duplicate_order(
    uow: FakeUnitOfWork,
) -> None:
    bus = a_bus(uow)
    bus.handle(an_order("d-1"))
    with pytest.raises(errors.DuplicateOrder):
        bus.handle(an_order("d-2"))
    assert on_hand(uow, MUG) == -2


def test_a_webhook_for_an_unknown_shop_is_refused(uow: FakeUnitOfWork) -> None:
    with pytest.raises(errors.UnknownShop):
        a_bus(uow).handle(an_order(shop="ghost"))


def test_inventory_counts_become_variances_and_adjustments_are_signed(
    uow: FakeUnitOfWork,
) -> None:
    bus = a_bus(uow)
    result: WebhookResult = bus.handle(
        an_inventory(
            commands.WebhookAdjustment(MUG, ledger.MovementKind.COUNT, 40),
            commands.WebhookAdjustment(MUG, ledger.MovementKind.ADJUSTMENT, -3),
            commands.WebhookAdjustment(TEA, ledger.MovementKind.ADJUSTMENT, 5, STORE),
        )
    )
    assert [m.quantity for m in result.movements] == [40, -3, 5]
    assert result.movements[0].idempotency_key == f"webhook:{SHOP}:inv-1:1"
    assert (on_hand(uow, MUG), on_hand(uow, TEA, STORE)) == (37, 5)
    assert not bus.handle(
        an_inventory(commands.WebhookAdjustment(MUG, ledger.MovementKind.COUNT, 0))
    ).processed


def test_a_zero_adjustment_refuses_the_whole_inventory_webhook(uow: FakeUnitOfWork) -> None:
    with pytest.raises(errors.InvalidQuantity):
        a_bus(uow).handle(
            an_inventory(
                commands.WebhookAdjustment(MUG, ledger.MovementKind.ADJUSTMENT, 4),
                commands.WebhookAdjustment(TEA, ledger.MovementKind.ADJUSTMENT, 0),
            )
        )
    assert (uow.store.movements, uow.store.deliveries) == ([], set())


def test_a_shop_needs_a_known_location_and_a_free_valid_code(uow: FakeUnitOfWork) -> None:
    bus = a_bus(uow)
    with pytest.raises(errors.UnknownLocation):
        bus.handle(commands.CreateShop("other", "Other", "MOON", "x", NOW))
    with pytest.raises(errors.DuplicateShop):
        bus.handle(commands.CreateShop(SHOP, "Again", WAREHOUSE, "x", NOW))
    with pytest.raises(errors.InvalidShopCode):
        bus.handle(commands.CreateShop("bad:code", "Bad", WAREHOUSE, "x", NOW))


def test_rotating_the_secret_changes_which_signatures_are_accepted(uow: FakeUnitOfWork) -> None:
    body = b'{"order_number": "1"}'
    old = shops.signature("s3cret", body)
    shop: shops.Shop = a_bus(uow).handle(commands.RotateShopSecret(SHOP, "n3w"))
    assert not shop.signed(body, old)
    assert shop.signed(body, shops.signature("n3w", body))
    assert uow.store.shops[SHOP].webhook_secret == "n3w"
    with pytest.raises(errors.UnknownShop):
        a_bus(uow).handle(commands.RotateShopSecret("ghost", "x"))


def test_a_signature_is_refused_when_missing_or_over_another_body() -> None:
    shop = shops.Shop(SHOP, "Acme", WAREHOUSE, "s3cret", NOW)
    body = b'{"a": 1}'
    assert shop.signed(body, shops.signature("s3cret", body))
    assert not shop.signed(body, None)
    assert not shop.signed(body, "")
    assert not shop.signed(b'{"a": 2}', shops.signature("s3cret", body))
    assert not shop.signed(body, shops.signature("s3cret", body).removeprefix("sha256="))
