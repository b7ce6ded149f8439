"""Customer messages: the signed click redirect, provider callbacks and message analytics."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from stockguard.adapters.db.messaging import record_event
from stockguard.adapters.db.messaging_analytics import SqlAnalyticsSource, SqlCallbackStore
from stockguard.domain import shops
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep
from stockguard.entrypoints.api.routers.webhooks import SIGNATURE_HEADER, read_body
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.messages import (
    MessageStatsRead,
    ProviderEventCreate,
    ProviderEventRead,
)
from stockguard.entrypoints.api.schemas.webhooks import request_body_schema
from stockguard.services.messaging.analytics import DEFAULT_SUBSTITUTES, message_analytics
from stockguard.services.messaging.analytics_callbacks import Outcome, record_provider_report
from stockguard.services.messaging.links import BadClickToken, verify_click

router = APIRouter(tags=["messages"], responses=PROBLEM_RESPONSES)
operator_router = APIRouter(
    prefix="/api/v1/messages",
    tags=["messages"],
    dependencies=[Planner],
    responses=PROBLEM_RESPONSES,
)
provider_router = APIRouter(
    prefix="/api/v1/messages", tags=["messages"], responses=PROBLEM_RESPONSES
)
UNSIGNED = (
    f"Sign the raw body: {SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of the body with "
    "STOCKGUARD_MESSAGING__PROVIDER_SECRET>."
)
NOT_CONFIGURED = (
    "Provider callbacks are turned off: set STOCKGUARD_MESSAGING__PROVIDER_SECRET and give "
    "the same secret to the provider."
)


@router.get("/m/c/{token}", status_code=302, response_class=RedirectResponse)
def follow_click(
    stockguard: AppDep, session: SessionDep, token: Annotated[str, Path(max_length=4000)]
) -> RedirectResponse:
    """Record the click of a link in a customer message, then redirect to its target.
    A token that does not check out answers 404 (no redirect anywhere)."""
    secret = stockguard.settings.messaging.secret.get_secret_value().encode()
    try:
        click = verify_click(secret, token)
    except BadClickToken as error:
        raise HTTPException(404, f"Unknown link: {error}.") from None
    record_event(
        session,
        message_key=click.message_key,
        kind="clicked",
        template=click.template,
        sku=click.sku,
        occurred_at=datetime.now(UTC),
        detail=click.url[:500],
    )
    session.commit()
    return RedirectResponse(click.url, status_code=302)


def signed_provider_body(
    stockguard: AppDep,
    body: Annotated[bytes, Depends(read_body)],
    signature: Annotated[
        str | None, Header(alias=SIGNATURE_HEADER, description="sha256=<hex HMAC of the body>")
    ] = None,
) -> bytes:
    """The raw body once its signature checks out (compared in constant time)."""
    secret = stockguard.settings.messaging.provider_secret
    if secret is None:
        raise HTTPException(401, NOT_CONFIGURED)
    expected = shops.signature(secret.get_secret_value(), body).encode()
    if not signature or not hmac.compare_digest(expected, signature.strip().encode()):
        raise HTTPException(401, UNSIGNED)
    return body


@provider_router.post(
    "/events", openapi_extra=request_body_schema(ProviderEventCreate), status_code=200
)
def receive_provider_event(
    session: SessionDep, body: Annotated[bytes, Depends(signed_provider_body)]
) -> ProviderEventRead:
    """A provider reports that a message was delivered, bounced (also after the server
    had accepted it) or complained about (body: ``ProviderEventCreate``, signed like the
    shop webhooks). 200 ``recorded`` the first time, 200 ``duplicate`` after (counted
    once); 404 when no customer message has this key (or Message-ID and recipient)."""
    report = _parse_event(body).to_report()
    outcome = record_provider_report(SqlCallbackStore(session), report)
    if outcome is Outcome.UNKNOWN_MESSAGE:
        named = report.message_key or f"{report.message_id} to {report.recipient}"
        raise HTTPException(404, f"No customer message {named!r} was sent by stockguard.")
    session.commit()
    return ProviderEventRead(status=outcome.value, message_key=report.message_key, kind=report.kind)


@operator_router.get("/stats")
def message_stats_by_sku(
    stockguard: AppDep,
    session: SessionDep,
    window_days: Annotated[
        int | None,
        Query(ge=0, le=365, description="Conversion window (default: the configured one)."),
    ] = None,
    substitutes: Annotated[
        int, Query(ge=0, le=50, description="Substitutes per SKU a purchase may be of.")
    ] = DEFAULT_SUBSTITUTES,
) -> MessageStatsRead:
    """Customer messages per SKU and template, and in total: sent, delivered (provider
    reports), bounced, complained, clicked, unsubscribed, converted (a purchase of the
    SKU or one of its best substitutes by the same contact within the window), queued,
    with the rates (see docs/messaging.md, "Analytics")."""
    days = window_days
    if days is None:
        days = stockguard.settings.messaging.conversion_window_days
    report = message_analytics(
        SqlAnalyticsSource(session), window_days=days, substitutes_per_sku=substitutes
    )
    return MessageStatsRead.of(report, datetime.now(UTC))


def _parse_event(body: bytes) -> ProviderEventCreate:
    """Validate the JSON body; errors are reported like FastAPI's, under ``body``."""
    try:
        return ProviderEventCreate.model_validate_json(body)
    except ValidationError as error:
        invalid = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        raise RequestValidationError(invalid) from None
