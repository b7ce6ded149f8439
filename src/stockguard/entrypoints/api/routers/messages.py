"""Customer messages: the signed click redirect and message analytics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import RedirectResponse

from stockguard.adapters.db.messaging import message_stats, record_event
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.messaging.links import BadClickToken, verify_click

router = APIRouter(tags=["messages"], responses=PROBLEM_RESPONSES)
operator_router = APIRouter(
    prefix="/api/v1/messages",
    tags=["messages"],
    dependencies=[Planner],
    responses=PROBLEM_RESPONSES,
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


@operator_router.get("/stats")
def message_stats_by_sku(session: SessionDep) -> list[dict[str, Any]]:
    """Messages per SKU and template by event: sent (accepted by the server), bounced
    (refused for good), queued, clicked (distinct messages)."""
    rows: dict[tuple[str | None, str], dict[str, Any]] = {}
    for sku, template, kind, count in message_stats(session):
        row = rows.setdefault((sku, template), {"sku": sku, "template": template})
        row[kind] = count
    return list(rows.values())
