"""Back-in-stock waves: the planner's view of restocks in progress and of waiting
subscribers; the storefront's product views (from the widget)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.waves import SqlWaveStore
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep, Storefront
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.consent import customer_tokens
from stockguard.services.waves.views import record_view

router = APIRouter(tags=["waves"], responses=PROBLEM_RESPONSES, dependencies=[Planner])
storefront_router = APIRouter(
    prefix="/storefront/v1", tags=["waves"], responses=PROBLEM_RESPONSES, dependencies=[Storefront]
)


class WaveEpisodeRead(BaseModel):
    id: int
    sku: str
    kind: str = Field(description="restock, or discontinued (substitutes were sent).")
    status: str = Field(description="open, sold_out (paused until the next restock) or done.")
    opened_at: datetime
    available_at_open: int
    waves: int
    last_wave_at: datetime | None
    closed_at: datetime | None
    notified: int = Field(description="Contacts told in this episode.")
    waiting: int = Field(description="Confirmed subscribers of the SKU still subscribed.")


class WaitingRead(BaseModel):
    sku: str
    waiting: int


class ProductViewCreate(BaseModel):
    """An identified customer looked at an out-of-stock product page (from the widget)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "MUG-RED-L",
                    "customer_token": "Qy0xMDQy.1767225600.2bT1...",
                }
            ]
        },
    )

    sku: str = Field(min_length=1, max_length=64)
    customer_token: str = Field(
        min_length=1,
        max_length=customer_tokens.MAX_TOKEN_LENGTH,
        description="The signed-in shopper, as the shop's server signed it "
        "(docs/back-in-stock.md); e-mail and consent come from the customer record.",
    )


class ProductViewRead(BaseModel):
    recorded: bool = Field(
        description="False when the SKU is in stock or the customer record has no e-mail "
        "address or no marketing consent."
    )


@router.get("/waves")
def list_waves(
    session: SessionDep,
    sku: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    all_episodes: Annotated[
        bool, Query(alias="all", description="Include sold-out and finished episodes.")
    ] = False,
) -> list[WaveEpisodeRead]:
    """Restock episodes (open ones unless ``all``): waves sent, contacts told, waiting."""
    rows = SqlWaveStore(session).episodes(sku, open_only=not all_episodes)
    return [
        WaveEpisodeRead(
            id=r.episode.id,
            sku=r.episode.sku,
            kind=r.episode.kind.value,
            status=r.episode.status.value,
            opened_at=r.episode.opened_at,
            available_at_open=r.episode.available_at_open,
            waves=r.episode.waves,
            last_wave_at=r.episode.last_wave_at,
            closed_at=r.episode.closed_at,
            notified=r.notified,
            waiting=r.waiting,
        )
        for r in rows
    ]


@router.get("/waves/waiting")
def waiting(
    session: SessionDep,
    sku: Annotated[list[str] | None, Query(description="SKUs (repeat); default all.")] = None,
) -> list[WaitingRead]:
    """Confirmed subscribers waiting per SKU (the buyers' demand signal), most first."""
    counts = SqlWaveStore(session).waiting_counts(sku)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [WaitingRead(sku=code, waiting=count) for code, count in ordered]


@storefront_router.post("/views", status_code=202)
def record_product_view(stockguard: AppDep, view: ProductViewCreate) -> ProductViewRead:
    """A product page seen by a signed-in customer. Kept only when the SKU is out of
    stock and the shop's record of the customer has an e-mail address and marketing
    consent; such customers may be told after the subscribers when the shop enables it.
    400 ``invalid_customer_token``, 410 ``expired_customer_token``, 403
    ``customer_tokens_off`` (no secret set), 404 ``unknown_sku`` / ``unknown_customer``."""
    now = datetime.now(UTC)
    secret = customer_tokens.secret_of(stockguard.settings.consent.customer_token_secret)
    customer = customer_tokens.identify(secret, view.customer_token, now)
    kept = record_view(lambda: SqlRelayUnitOfWork(stockguard.sessions), view.sku, customer, now)
    return ProductViewRead(recorded=kept)
