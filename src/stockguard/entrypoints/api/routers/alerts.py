"""Operator alerts: the alert log and the rules that decide who hears of what."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from stockguard.adapters.db.alerts import read_rules
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.views import alerts as views
from stockguard.entrypoints.api.deps import AppDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.alerts import AlertRead, AlertRuleCreate, AlertRuleRead
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.services.alerts import handlers
from stockguard.services.alerts.rules import AlertStatus
from stockguard.services.alerts.validation import UnknownAlertRule

router = APIRouter(tags=["alerts"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

RuleName = Annotated[str, Path(min_length=1, max_length=120, description="Rule name.")]


@router.get("/alerts")
def list_alerts(
    session: SessionDep,
    status: AlertStatus | None = None,
    rule: Annotated[str | None, Query(max_length=120)] = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AlertRead]:
    """Alerts newest first: ``sent`` (a message was queued; ``suppressed_before`` counts the
    alerts the throttle held back since the previous one), ``suppressed`` or ``digested``
    (waiting for the rule's daily digest)."""
    found = views.alerts(
        session, status=status.value if status else None, rule=rule, sku=sku,
        limit=limit, offset=offset,
    )  # fmt: skip
    items = [AlertRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/alerts/rules")
def list_alert_rules(session: SessionDep) -> list[AlertRuleRead]:
    """Every alert rule, by name."""
    return [AlertRuleRead.from_rule(rule) for rule in read_rules(session)]


@router.post("/alerts/rules", status_code=201, responses={200: {"description": "Replaced."}})
def put_alert_rule(body: AlertRuleCreate, stockguard: AppDep, response: Response) -> AlertRuleRead:
    """Create the rule, or replace the rule of the same name (200). Locations, categories
    and SKUs it names must exist (422 ``invalid_alert_rules`` naming them; nothing is
    written)."""
    rule = body.to_rule()
    existed = handlers.save_rules(
        [rule], "request", lambda: SqlRelayUnitOfWork(stockguard.sessions), datetime.now(UTC)
    )
    response.status_code = 200 if existed[0] else 201
    return AlertRuleRead.from_rule(rule)


@router.delete("/alerts/rules/{name}", status_code=204)
def delete_alert_rule(name: RuleName, stockguard: AppDep) -> Response:
    """Delete the rule; the alerts it raised stay in the log. 404 when there is none."""
    if not handlers.remove_rule(name, lambda: SqlRelayUnitOfWork(stockguard.sessions)):
        raise UnknownAlertRule(name)
    return Response(status_code=204)
