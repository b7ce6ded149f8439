"""Substitutes on SQLite and PostgreSQL: a refresh stores the neighbour lists, a request
reads them and proposes only products in stock at the requested locations."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.adapters.db.tables import table_of
from stockguard.adapters.db.tables_substitutes import SubstituteNeighbourRow
from stockguard.bootstrap import App
from stockguard.services.importing import service
from stockguard.services.substitutes.query import SubstituteList, substitutes_for
from stockguard.services.substitutes.refresh import refresh_substitutes

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class MugShop:
    """SKUs of a small shop whose red mug is out of stock (``tag`` makes them unique).

    Blue mug: same family, in stock at PAR; green mug: same family, out of stock
    everywhere; old mug: same family, discontinued but in stock; red cup: same colour and
    category, in stock at LYS only; saucer: bought with the red mug in 3 orders; tea:
    bought with it once, and by the customer before."""

    tag: str

    def __getattr__(self, name: str) -> str:
        return f"{name.upper().replace('_', '-')}-{self.tag}"


def shop_files(shop: MugShop) -> dict[str, str]:
    """CSV files (entity -> text) that build the shop through the importer, in order."""
    s = shop
    products = (
        "sku,title,price,family,category,attributes,status\n"
        f"{s.mug_red},Red mug large,12.90,mug-{s.tag},Mugs,colour=red;size=L,active\n"
        f"{s.mug_blue},Blue mug large,12.90,mug-{s.tag},Mugs,colour=blue;size=L,active\n"
        f"{s.mug_green},Green mug large,13.50,mug-{s.tag},Mugs,colour=green;size=L,active\n"
        f"{s.mug_old},Old red mug,11.00,mug-{s.tag},Mugs,colour=red;size=L,discontinued\n"
        f"{s.cup_red},Red cup,9.90,,Mugs,colour=red,active\n"
        f"{s.saucer},Saucer,5.00,,Tableware,,active\n"
        f"{s.tea},Earl grey tea,7.00,,Food,,active\n"
    )
    locations = f"code,name,sellable\nPAR-{s.tag[:6]},Paris,true\nLYS-{s.tag[:6]},Lyon,true\n"
    customers = f"external_id,email,name\nADA-{s.tag},ada-{s.tag}@example.com,Ada\n"
    par, lys = f"PAR-{s.tag[:6]}", f"LYS-{s.tag[:6]}"
    lines = ["order_number,line_no,ordered_at,customer,sku,quantity,unit_price,location"]
    baskets = [
        [s.mug_red, s.saucer],
        [s.mug_red, s.saucer],
        [s.mug_red, s.saucer, s.mug_blue],
        [s.mug_red, s.tea],
        [s.cup_red, s.saucer],
    ]
    for number, basket in enumerate(baskets, start=1):
        for line_no, sku in enumerate(basket, start=1):
            lines.append(
                f"SO{number}-{s.tag},{line_no},2026-10-0{number}T10:00:00Z,,{sku},1,9,{par}"
            )
    lines.append(f"SO9-{s.tag},1,2026-10-09T10:00:00Z,ADA-{s.tag},{s.tea},1,7,{par}")
    levels = ["sku,location,on_hand"]
    stock = {s.mug_red: 0, s.mug_blue: 4, s.mug_green: 0, s.mug_old: 9, s.saucer: 7, s.tea: 3}
    levels += [f"{sku},{par},{units}" for sku, units in stock.items()]
    levels.append(f"{s.cup_red},{lys},2")
    return {
        "products": products,
        "locations": locations,
        "customers": customers,
        "orders": "\n".join(lines) + "\n",
        "stock-levels": "\n".join(levels) + "\n",
    }


def new_shop() -> MugShop:
    return MugShop(uuid.uuid4().hex[:8].upper())


def seed(stockguard: App, shop: MugShop) -> None:
    for entity, text in shop_files(shop).items():
        service.import_file(entity, io.StringIO(text), f"{entity}.csv", stockguard.unit_of_work())


def _ask(stockguard: App, sku: str, **options: object) -> SubstituteList:
    with stockguard.reader() as session:
        return substitutes_for(SqlSubstituteRepository(session), sku, **options)  # type: ignore[arg-type]


def test_refresh_stores_ranked_neighbours_and_requests_keep_only_in_stock_products(
    app: App,
) -> None:
    shop = new_shop()
    seed(app, shop)
    summary = refresh_substitutes(app.unit_of_work(), now=NOW)
    assert summary.baskets == 6
    assert summary.rows > 0
    with app.reader() as session:
        table = table_of(SubstituteNeighbourRow)
        stored = session.execute(
            select(func.count()).where(table.c.sku == shop.mug_red)
        ).scalar_one()
    assert stored > 0

    found = _ask(app, shop.mug_red)
    substitutes = [s.sku for s in found.substitutes]
    assert found.available == 0
    assert substitutes[0] == shop.mug_blue  # same family, attributes, price, in stock
    assert shop.mug_green not in substitutes  # out of stock
    assert shop.mug_old not in substitutes  # discontinued: never proposed
    assert found.complements[0].sku == shop.saucer
    every = found.substitutes + found.complements
    assert all(s.available > 0 for s in every)


def test_a_discontinued_product_gets_active_in_stock_alternatives(app: App) -> None:
    shop = new_shop()
    seed(app, shop)
    refresh_substitutes(app.unit_of_work(), now=NOW)
    found = _ask(app, shop.mug_old)
    substitutes = [s.sku for s in found.substitutes]
    assert substitutes[0] == shop.mug_blue  # same family and size, in stock
    assert shop.mug_old not in substitutes
    assert shop.mug_green not in substitutes  # out of stock everywhere
    assert all(s.available > 0 for s in found.substitutes)


def test_the_requested_locations_decide_what_is_in_stock(app: App) -> None:
    shop = new_shop()
    seed(app, shop)
    refresh_substitutes(app.unit_of_work(), now=NOW)
    at_lyon = _ask(app, shop.mug_red, locations=[f"LYS-{shop.tag[:6]}"])
    assert [s.sku for s in at_lyon.substitutes] == [shop.cup_red]  # the only stock in Lyon
    at_paris = _ask(app, shop.mug_red, locations=[f"PAR-{shop.tag[:6]}"])
    assert shop.cup_red not in [s.sku for s in at_paris.substitutes]


def test_a_second_refresh_replaces_the_lists(app: App) -> None:
    shop = new_shop()
    seed(app, shop)
    first = refresh_substitutes(app.unit_of_work(), now=NOW)
    after_first, lists_after_first = _stored_rows(app), _ask(app, shop.mug_red)
    second = refresh_substitutes(app.unit_of_work(), now=NOW)
    assert after_first == first.rows > 0
    assert _stored_rows(app) == after_first  # replaced, not appended
    assert second.rows == first.rows
    assert _ask(app, shop.mug_red) == lists_after_first


def _stored_rows(stockguard: App) -> int:
    with stockguard.reader() as session:
        table = table_of(SubstituteNeighbourRow)
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())
