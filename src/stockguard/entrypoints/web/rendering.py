"""Jinja2 templates, their filters, and the one function that renders a page."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from stockguard.entrypoints.web import auth
from stockguard.entrypoints.web.flash import pop_flashes

TEMPLATES = Path(__file__).parent / "templates"
CENT = Decimal("0.01")
DASH = "\u2013"  # shown for missing values

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
"""Sent with every page. Plotly styles its SVG inline, hence ``style-src 'unsafe-inline'``;
scripts come only from the dashboard itself (chart data sits in JSON blocks)."""


def money(value: Decimal | None, currency: str = "") -> str:
    """``Decimal('1234.5')`` -> ``'1,234.50'`` (with the currency code first when given)."""
    if value is None:
        return DASH
    text = f"{Decimal(value).quantize(CENT):,.2f}"
    return f"{currency} {text}" if currency else text


def quantity(value: int | None) -> str:
    return DASH if value is None else f"{int(value):,}"


def day(value: date | datetime | None) -> str:
    return DASH if value is None else f"{value:%Y-%m-%d}"


def moment(value: datetime | None) -> str:
    return DASH if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES)
    templates.env.filters.update(money=money, quantity=quantity, day=day, moment=moment)
    templates.env.globals.update(path=path, query=query)
    return templates


def path(request: Request, name: str, **params: Any) -> str:
    """The URL path of the dashboard route ``name``, wherever the dashboard is mounted."""
    root = request.scope.get("root_path", "")
    return f"{root}{request.app.url_path_for(name, **params)}"


def query(request: Request, **changes: Any) -> str:
    """This page's query string with ``changes`` applied; empty values are dropped."""
    params = {**request.query_params, **changes}
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else "?"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> Response:
    """Render ``template`` with the operator, the CSRF token, waiting flash messages and
    the security headers."""
    templates: Jinja2Templates = request.app.state.templates
    values = {
        "operator": auth.operator_email(request),
        "csrf_token": auth.csrf_token(request),
        "flashes": pop_flashes(request),
        **(context or {}),
    }
    return templates.TemplateResponse(
        request, template, values, status_code=status, headers=SECURITY_HEADERS
    )
