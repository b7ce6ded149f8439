"""Storefront availability models (public, storefront scope)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Lang(enum.StrEnum):
    EN = "en"
    FR = "fr"


class AvailabilityRead(BaseModel):
    """What a product page shows for a SKU.

    ``location`` is ``*`` for every sellable location combined; ``count`` (units) only
    when ``low_stock``; ``promise_on`` only when ``out_of_stock`` or ``preorder``: the
    date by which the SKU is back with probability ``promise_confidence`` (0..1)."""

    model_config = ConfigDict(from_attributes=True)

    sku: str = Field(examples=["MUG-RED-L"])
    location: str = Field(examples=["*"])
    state: str = Field(
        examples=["low_stock"],
        description="in_stock, low_stock, out_of_stock, preorder or discontinued",
    )
    colour: str = Field(examples=["orange"], description="green, orange, red or blue")
    count: int | None = Field(examples=[3])
    message: str = Field(examples=["Plus que 3 en stock"])
    lang: Lang
    promise_on: date | None = Field(examples=[None])
    promise_confidence: float | None = Field(examples=[None])
    updated_at: datetime | None


class AvailabilityBatchRead(BaseModel):
    items: list[AvailabilityRead]
    unknown: list[str] = Field(description="Requested SKUs with no such product.")


class Pong(BaseModel):
    ok: bool = True
