"""The "Messages" page: customer message analytics per SKU x template (sent, delivered,
bounced, clicked, unsubscribed, converted and the rates), and the subscribers still
waiting per SKU (the demand signal buyers and the forecast see)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.messaging_analytics import SqlAnalyticsSource
from stockguard.adapters.db.waves import SqlWaveStore
from stockguard.entrypoints.web.deps import AppDep, SessionDep, require_operator
from stockguard.entrypoints.web.rendering import render
from stockguard.services.messaging.analytics import DEFAULT_SUBSTITUTES, message_analytics

router = APIRouter(dependencies=[Depends(require_operator)])

WAITING_ROWS = 50


@router.get("/messages", name="messages")
def messages_page(
    request: Request,
    stockguard: AppDep,
    session: SessionDep,
    window_days: Annotated[int | None, Query(ge=0, le=365)] = None,
    substitutes: Annotated[int, Query(ge=0, le=50)] = DEFAULT_SUBSTITUTES,
) -> Response:
    """Analytics with the configured conversion window (adjustable), waiting subscribers."""
    days = window_days
    if days is None:
        days = stockguard.settings.messaging.conversion_window_days
    report = message_analytics(
        SqlAnalyticsSource(session), window_days=days, substitutes_per_sku=substitutes
    )
    waiting = sorted(
        SqlWaveStore(session).waiting_counts().items(), key=lambda item: (-item[1], item[0])
    )
    context = {
        "nav": "messages",
        "report": report,
        "waiting": waiting[:WAITING_ROWS],
        "waiting_total": sum(count for _sku, count in waiting),
        "waiting_skus": len(waiting),
        "filters": {"window_days": days, "substitutes": substitutes},
    }
    return render(request, "messages.html", context)
