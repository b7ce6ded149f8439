"""The application factory: ``create_app(settings)`` wires everything; nothing at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute

from stockguard import __version__
from stockguard.adapters.db.engine import POOL_SIZE
from stockguard.bootstrap import App, bootstrap
from stockguard.config import Settings
from stockguard.entrypoints.api.errors import register_error_handlers
from stockguard.entrypoints.api.routers import (
    alerts,
    audit,
    carriers,
    checkout,
    compensation,
    consent,
    contracts,
    customers,
    imports,
    messages,
    orders,
    planning,
    products,
    promotions,
    purchase_orders,
    register,
    replenishment,
    risk,
    scenarios,
    stock,
    storefront,
    subscriptions,
    substitutes,
    supplier_kpis,
    suppliers,
    waves,
    webhooks,
    widget,
)
from stockguard.entrypoints.api.storefront_cors import StorefrontCors
from stockguard.entrypoints.web import install_dashboard

DESCRIPTION = """
The stockguard REST API. Every endpoint needs an API key (`stockguard keys create`) sent as
`Authorization: Bearer sg_…`, and declares the scope it needs: **admin** (everything),
**planner** (stock, purchasing, parties, imports, planning, replenishment) or
**storefront** (public catalogue data only). Errors are RFC 9457
`application/problem+json` documents with a stable `code`.
"""

TAGS = [
    {"name": "catalogue", "description": "Products and locations."},
    {"name": "stock", "description": "Stock levels and the movement ledger."},
    {"name": "purchasing", "description": "Suppliers and purchase orders."},
    {"name": "parties", "description": "Customers and sales orders."},
    {
        "name": "suppliers",
        "description": "Supplier KPIs from purchase history (on-time rate, lead-time "
        "distribution, fill rate, quality, price variance), scorecards, risk score, the "
        "buyer's ratings and the diversification report.",
    },
    {"name": "planning", "description": "Planning runs and the demand forecasts they stored."},
    {
        "name": "replenishment",
        "description": "Purchase proposals from the forecast (with the reasons for every "
        "quantity), their approval into draft purchase orders, rules and policies.",
    },
    {
        "name": "risk",
        "description": "Stock-out risk per SKU x location (probability before the next "
        "receipt, projected date, expected lost revenue), updated by every movement.",
    },
    {
        "name": "alerts",
        "description": "Operator alerts (e-mail, webhook) on stock-outs, risk and "
        "promotions: the alert log and its rules; `stockguard worker` sends them.",
    },
    {
        "name": "audit",
        "description": "Stock audit (ABC x XYZ, dead, excess and slow stock, stock-out "
        "history) and cycle counts recorded through the ledger.",
    },
    {
        "name": "promotions",
        "description": "Promotion readiness: demand with its uplift against stock and "
        "inbound supply, the quantity to order and the last day to order it.",
    },
    {
        "name": "register",
        "description": "Risk register: each risk's likelihood x impact score, the scenario "
        "that models it, its action plan, owner, KPIs and last rehearsal by simulation.",
    },
    {
        "name": "scenarios",
        "description": "Crisis scenarios rehearsed by Monte Carlo; contingency plans compared.",
    },
    {"name": "imports", "description": "CSV uploads, validated entirely before any write."},
    {"name": "webhooks", "description": "Signed order and inventory events from shops."},
    {
        "name": "storefront",
        "description": "What a shop's product page calls (storefront key): the widget "
        "script, availability, pre-orders and back-in-stock subscriptions.",
    },
    {
        "name": "checkout",
        "description": "Storefront checkout: stock held for carts with expiry (never "
        "oversold), confirmed into order allocations, and pre-orders against open POs.",
    },
    {
        "name": "substitutes",
        "description": "In-stock substitutes and complements of a SKU (storefront), their "
        "refresh, promotions and shown/clicked/converted counts.",
    },
    {
        "name": "compensation",
        "description": "Compensation for late orders: rules, codes (redeemed once) and "
        "the delay notices sent.",
    },
    {
        "name": "waves",
        "description": "Back-in-stock waves in progress, subscribers waiting per SKU, and "
        "the widget's out-of-stock product views.",
    },
    {
        "name": "contacts",
        "description": "A contact's data: export everything stored about them, or erase it.",
    },
    {
        "name": "messages",
        "description": "Customer messages: signed click links and statistics per SKU and template.",
    },
]


def _operation_id(route: APIRoute) -> str:
    return route.name


@asynccontextmanager
async def _threads_within_the_pool(_app: FastAPI) -> AsyncIterator[None]:
    """Run at most ``POOL_SIZE`` synchronous endpoints and dependencies at once (anyio's
    default is 40 threads): each holds at most one pooled database connection, so a
    busy worker queues requests for a thread instead of opening and closing overflow
    PostgreSQL connections (a backend fork and a SCRAM handshake each)."""
    to_thread.current_default_thread_limiter().total_tokens = POOL_SIZE
    yield


def create_app(settings: Settings, *, stockguard: App | None = None) -> FastAPI:
    """Build the API (and dashboard) around ``stockguard`` or a freshly wired app."""
    app = FastAPI(
        lifespan=_threads_within_the_pool,
        title="stockguard",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        generate_unique_id_function=_operation_id,
    )
    app.state.stockguard = stockguard or bootstrap(settings)
    for router in (
        products.router,
        stock.router,
        purchase_orders.router,
        supplier_kpis.router,
        suppliers.router,
        customers.router,
        orders.router,
        imports.router,
        webhooks.router,
        planning.router,
        replenishment.router,
        audit.router,
        alerts.router,
        risk.router,
        promotions.router,
        contracts.router,
        carriers.router,
        register.router,
        checkout.router,
        scenarios.router,
        substitutes.router,
        substitutes.operator_router,
        consent.links_router,
        consent.contacts_router,
        subscriptions.router,
        widget.router,
        storefront.router,
        waves.router,
        waves.storefront_router,
        compensation.router,
        messages.router,
        messages.operator_router,
        messages.provider_router,
    ):
        app.include_router(router)
    register_error_handlers(app)
    app.add_middleware(StorefrontCors)
    install_dashboard(app, settings)
    return app
