"""Merchant-readable alert texts: a subject, a plain-text body and Slack blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from stockguard.services.alerts.rules import AlertEvent, SkuFacts

STATE_WORDS = {
    "ok": "OK",
    "watch": "on watch",
    "at_risk": "at risk",
    "out_of_stock": "out of stock",
}


@dataclass(frozen=True, slots=True)
class AlertText:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class Place:
    """How a message names the SKU and the location."""

    sku: str
    location: str
    currency: str


def compose(event: AlertEvent, facts: SkuFacts | None, location_name: str | None) -> AlertText:
    """The alert's subject and one-sentence body for ``event``."""
    place = Place(
        sku=_sku_label(event.sku, facts),
        location=location_name or event.location or "all locations",
        currency=facts.currency if facts else "",
    )
    writer = WRITERS.get(event.event_type)
    if writer is None:
        return AlertText(f"{event.event_type}: {place.sku}", f"{event.event_type}: {event.payload}")
    return writer(event.payload, place)


def with_suppressed(text: AlertText, suppressed: int, throttle_seconds: int) -> AlertText:
    """Add how many identical alerts the throttle held back since the last message."""
    if suppressed <= 0:
        return text
    hours = throttle_seconds / 3600
    note = (
        f" ({suppressed} similar alert(s) held back since the last message; this rule "
        f"sends at most one per {hours:g} h per SKU and location.)"
    )
    return AlertText(text.subject, text.body + note)


def slack_payload(text: AlertText, rule_name: str) -> dict[str, Any]:
    """Slack-compatible JSON: ``text`` for notifications, ``blocks`` for display."""
    return {
        "text": f"{text.subject}: {text.body}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": text.subject[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text.body[:3000]}},
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"stockguard alert rule *{rule_name}*"}],
            },
        ],
    }


def _sku_label(sku: str | None, facts: SkuFacts | None) -> str:
    if sku is None:
        return "?"
    return f"{sku} ({facts.title})" if facts and facts.title else sku


def _day(text: object) -> str:
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return str(text)
    return f"{day.day} {day:%b %Y}"


def _money(amount: object, currency: str) -> str:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{currency} {amount}".strip()
    return f"{currency} {value:,.0f}".strip()


def _risk_raised(payload: dict[str, Any], place: Place) -> AlertText:
    state = STATE_WORDS.get(str(payload.get("state")), str(payload.get("state")))
    probability = float(payload.get("probability") or 0.0)
    body = (
        f"{place.sku} at {place.location}: {probability:.0%} chance of running out before "
        "the next delivery"
    )
    if payload.get("projected_stockout"):
        body += f"; projected stock-out on {_day(payload['projected_stockout'])}"
    lost = _money(payload.get("expected_lost_revenue", 0), place.currency)
    body += f"; expected lost revenue {lost}."
    return AlertText(f"{place.sku} at {place.location} is {state}", body)


def _risk_cleared(payload: dict[str, Any], place: Place) -> AlertText:
    state = STATE_WORDS.get(str(payload.get("state")), str(payload.get("state")))
    before = STATE_WORDS.get(str(payload.get("previous_state")), str(payload.get("previous_state")))
    body = f"{place.sku} at {place.location} is {state} again (was {before})."
    return AlertText(f"{place.sku} at {place.location}: risk cleared", body)


def _stocked_out(payload: dict[str, Any], place: Place) -> AlertText:
    body = f"{place.sku} at {place.location} is out of stock (on hand: {payload.get('on_hand')})."
    return AlertText(f"Out of stock: {place.sku} at {place.location}", body)


def _back_in_stock(payload: dict[str, Any], place: Place) -> AlertText:
    body = (
        f"{place.sku} at {place.location} is back in stock: {payload.get('available')} available."
    )
    return AlertText(f"Back in stock: {place.sku} at {place.location}", body)


def _reorder_point(payload: dict[str, Any], place: Place) -> AlertText:
    body = (
        f"{place.sku} at {place.location} reached its reorder point: inventory position "
        f"{payload.get('position')} units, reorder point {payload.get('reorder_point')}. "
        "Time to order."
    )
    return AlertText(f"Reorder {place.sku} at {place.location}", body)


def _promotion(payload: dict[str, Any], place: Place) -> AlertText:
    body = (
        f"Promotion {payload.get('promotion')}: {place.sku} at {place.location} would run out "
        f"(projected demand {payload.get('projected_demand')} units, "
        f"{payload.get('available')} available). Order {payload.get('order_quantity')} units "
        f"by {_day(payload.get('last_order_date'))}."
    )
    return AlertText(f"Promotion {payload.get('promotion')} at risk: {place.sku}", body)


WRITERS: dict[str, Callable[[dict[str, Any], Place], AlertText]] = {
    "StockoutRiskRaised": _risk_raised,
    "RiskCleared": _risk_cleared,
    "StockedOut": _stocked_out,
    "BackInStock": _back_in_stock,
    "ReorderPointCrossed": _reorder_point,
    "PromotionAtRisk": _promotion,
}
