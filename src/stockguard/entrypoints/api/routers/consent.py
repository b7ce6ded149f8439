"""Double opt-in and unsubscribe links (no API key: the shopper clicks them in a
message; the signed token is the credential), and contact export and erasure
(planner scope)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from stockguard.domain import errors
from stockguard.entrypoints.api.deps import BusDep, Planner
from stockguard.entrypoints.api.errors import problem
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.consent import handlers as h
from stockguard.services.consent import tokens
from stockguard.services.consent.ratelimit import RateLimited

links_router = APIRouter(prefix="/storefront/v1", tags=["storefront"], responses=PROBLEM_RESPONSES)
contacts_router = APIRouter(
    prefix="/api/v1/contacts",
    tags=["contacts"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Planner],
)

Token = Query(min_length=1, max_length=tokens.MAX_TOKEN_LENGTH, description="The signed token.")
STATUS = {
    tokens.ForgedToken: 400,
    tokens.ExpiredToken: 410,
    h.UnknownSubscription: 404,
}


def consent_problem(error: errors.DomainError) -> JSONResponse:
    """A problem document for the consent errors (400 forged, 410 expired, 404 erased,
    429 rate limited with ``Retry-After``)."""
    status = next((code for cls, code in STATUS.items() if isinstance(error, cls)), 400)
    fields = {k: v for k, v in vars(error).items() if isinstance(v, str | int)}
    if isinstance(error, RateLimited):
        response = problem(429, error.code, str(error), **fields)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    return problem(status, error.code, str(error), **fields)


def _page(title: str, text: str, form: str = "") -> HTMLResponse:
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f"<p>{escape(text)}</p>{form}</main></body></html>"
    )
    return HTMLResponse(html)


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@links_router.get("/subscriptions/confirm", response_model=None, response_class=HTMLResponse)
def confirm(request: Request, bus: BusDep, token: str = Token) -> HTMLResponse | JSONResponse:
    """Confirm a subscription (double opt-in) from the link of the confirmation message.
    400 ``invalid_token`` (altered link), 410 ``expired_token``, 404 ``unknown_subscription``."""
    try:
        done = bus.handle(h.ConfirmSubscription(token, datetime.now(UTC), _ip(request)))
    except (tokens.ForgedToken, tokens.ExpiredToken, h.UnknownSubscription) as error:
        return consent_problem(error)
    if done.status.value == "unsubscribed":
        return _page("Alert not active", "You unsubscribed from this alert earlier.")
    return _page(
        "Alert confirmed",
        f"You will get one message when {done.sku} is back in stock. Every message has "
        "an unsubscribe link.",
    )


@links_router.get("/subscriptions/unsubscribe", response_model=None, response_class=HTMLResponse)
def unsubscribe_page(token: str = Token) -> HTMLResponse:
    """A page with an unsubscribe button (a GET never unsubscribes: mail scanners open
    links on their own)."""
    form = (
        f'<form method="post" action="?token={escape(token)}">'
        '<button type="submit">Unsubscribe</button></form>'
    )
    return _page("Unsubscribe", "Stop the back-in-stock alert for this product?", form)


@links_router.post(
    "/subscriptions/unsubscribe",
    response_model=None,
    responses={
        200: {
            "description": "JSON for a one-click request, else a confirmation page.",
            "content": {"application/json": {}, "text/html": {}},
        }
    },
)
async def unsubscribe(request: Request, bus: BusDep, token: str = Token) -> Any:
    """Unsubscribe: RFC 8058 one-click (body ``List-Unsubscribe=One-Click``, from the
    mail client) or the page's button. Unsubscribing twice answers the same.
    400 ``invalid_token``, 410 ``expired_token``, 404 ``unknown_subscription``."""
    body = (await request.body())[:200]
    source = "one_click" if b"List-Unsubscribe=One-Click" in body else "link"
    command = h.UnsubscribeByLink(token, datetime.now(UTC), source, _ip(request))
    try:
        done = bus.handle(command)
    except (tokens.ForgedToken, tokens.ExpiredToken, h.UnknownSubscription) as error:
        return consent_problem(error)
    if source == "one_click":
        return {"subscription_id": done.subscription_id, "status": done.status.value}
    return _page("Unsubscribed", f"You will get no more messages about {done.sku}.")


class ContactRequest(BaseModel):
    """The contact whose data to export or erase."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"contact": "ann@example.com"}]}
    )

    contact: str = Field(
        min_length=3,
        max_length=254,
        description="An e-mail address or an E.164 phone number.",
        examples=["ann@example.com"],
    )


@contacts_router.post("/export")
def export_contact(body: ContactRequest, bus: BusDep) -> dict[str, Any]:
    """Everything stored about a contact (subscriptions, consent log, messages sent);
    the export is logged. 422 ``invalid_subscription`` for a malformed contact."""
    result: dict[str, Any] = bus.handle(
        h.ExportContact(body.contact, datetime.now(UTC), source="api")
    )
    return result


@contacts_router.post("/erase")
def erase_contact(body: ContactRequest, bus: BusDep) -> dict[str, Any]:
    """Anonymise everything stored about a contact (rows kept for counts, contact and
    texts gone, queued messages cancelled); answers the rows touched per table."""
    counts = bus.handle(h.EraseContact(body.contact, datetime.now(UTC), source="api"))
    return {"erased": counts}
