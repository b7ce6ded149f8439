"""Back-in-stock subscriptions from the product-page widget (storefront scope)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from stockguard.domain import subscriptions as s
from stockguard.entrypoints.api.deps import AppDep, BusDep, Storefront
from stockguard.entrypoints.api.routers.consent import consent_problem
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.consent import customer_tokens
from stockguard.services.consent.ratelimit import RateLimited
from stockguard.services.subscriptions.handlers import SubscribeBackInStock

router = APIRouter(
    prefix="/storefront/v1",
    tags=["storefront"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Storefront],
)


class SubscriptionCreate(BaseModel):
    """A notify-me request as the widget sends it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "MUG-01",
                    "channel": "email",
                    "contact": "ann@example.com",
                    "consent": True,
                    "consent_text": "I agree to receive one message about the availability "
                    "of this product. I can unsubscribe at any time.",
                    "locale": "en",
                    "source": "widget",
                }
            ]
        },
    )

    sku: str = Field(min_length=1, max_length=64, examples=["MUG-01"])
    channel: Literal["email", "sms"] = Field(examples=["email"])
    contact: str = Field(
        min_length=1,
        max_length=s.MAX_EMAIL_LENGTH,
        description="An e-mail address (channel email) or a phone number in E.164 "
        "international format (channel sms), e.g. +33612345678.",
        examples=["ann@example.com"],
    )
    consent: bool = Field(description="The consent checkbox; must be true.")
    consent_text: str = Field(
        min_length=1,
        max_length=s.MAX_CONSENT_TEXT,
        description="The consent sentence shown to the person, stored as given.",
    )
    locale: Literal["fr", "en"] = "en"
    source: Literal["widget", "api"] = "widget"
    any_variant: bool = Field(
        default=False,
        description="Tell me when any variant of this product (another size or colour of "
        "its family) is back, not only this SKU. 422 when the product has no variants.",
    )
    customer_token: str | None = Field(
        default=None,
        min_length=1,
        max_length=customer_tokens.MAX_TOKEN_LENGTH,
        description="The signed-in shopper, as the shop's server signed them (the widget's "
        "data-customer-token, docs/back-in-stock.md): the subscription is linked to the "
        "customer and messages greet them by name. Double opt-in still applies.",
    )


class SubscriptionAccepted(BaseModel):
    """The request was accepted and waits for the contact's confirmation.

    The answer is the same whether the contact was new or already waiting for the SKU,
    so that nobody learns from it who else subscribed.
    """

    sku: str
    channel: Literal["email", "sms"]
    status: Literal["pending"] = "pending"
    any_variant: bool = False


@router.post("/subscriptions", status_code=202, response_model=SubscriptionAccepted)
def create_subscription(
    body: SubscriptionCreate, request: Request, bus: BusDep, stockguard: AppDep
) -> SubscriptionAccepted | JSONResponse:
    """Ask to be told when a SKU is back (202: pending until confirmed; a confirmation
    message with a signed link is queued). 422 ``invalid_subscription`` names the
    ``field`` (contact, consent...) and the ``reason``; 404 ``unknown_sku``; 429
    ``rate_limited`` with ``Retry-After`` (seconds) past the limits per contact and per
    client address. With ``customer_token``: 400 ``invalid_customer_token``, 410
    ``expired_customer_token``, 403 ``customer_tokens_off``."""
    now = datetime.now(UTC)
    customer = None
    if body.customer_token is not None:
        secret = customer_tokens.secret_of(stockguard.settings.consent.customer_token_secret)
        customer = customer_tokens.identify(secret, body.customer_token, now)
    try:
        bus.handle(
            SubscribeBackInStock(
                sku=body.sku,
                channel=body.channel,
                contact=body.contact,
                consent_given=body.consent,
                consent_text=body.consent_text,
                locale=body.locale,
                requested_at=now,
                source=body.source,
                client_ip=request.client.host if request.client else None,
                any_variant=body.any_variant,
                customer=customer,
            )
        )
    except RateLimited as error:
        return consent_problem(error)
    return SubscriptionAccepted(sku=body.sku, channel=body.channel, any_variant=body.any_variant)
