"""Substitute and complement models (storefront) and their operator side."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from stockguard.services.substitutes.ports import SubstituteAction


class SuggestionRead(BaseModel):
    """An in-stock product proposed instead of (substitute) or with (complement) a SKU."""

    model_config = ConfigDict(from_attributes=True)

    sku: str = Field(examples=["MUG-BLUE-L"])
    title: str = Field(examples=["Blue mug, large"])
    category: str | None = Field(examples=["Mugs"])
    price: Decimal = Field(examples=["12.90"])
    currency: str = Field(examples=["EUR"])
    available: int = Field(gt=0, description="Units available at the requested locations.")
    score: float = Field(ge=0, description="Ranking score (higher is better).")
    discount_percent: Decimal | None = Field(
        description="Promotion on this substitute, percent (substitutes only)."
    )
    discounted_price: Decimal | None = Field(description="Price after the discount.")
    reason: str = Field(examples=["similar and bought together"])


class SubstitutesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    available: int = Field(description="The SKU's own available units at the locations.")
    substitutes: list[SuggestionRead]
    complements: list[SuggestionRead]


class SubstituteEventCreate(BaseModel):
    """What the widget saw the shopper do with a proposed substitute."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"sku": "MUG-RED-L", "substitute": "MUG-BLUE-L", "action": "clicked"}]
        },
    )

    sku: str = Field(min_length=1, max_length=64, description="The SKU that was out of stock.")
    substitute: str = Field(min_length=1, max_length=64)
    action: SubstituteAction


class SubstituteStatRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    substitute: str
    shown: int
    clicked: int
    converted: int


class SubstitutePromotionUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"discount_percent": "10"}]}
    )

    discount_percent: Decimal = Field(gt=0, lt=100, examples=["10"])


class SubstitutePromotionRead(BaseModel):
    scope: str = Field(description="A source SKU, or * for every SKU without its own.")
    discount_percent: Decimal


class SubstituteRefreshRead(BaseModel):
    products: int
    baskets: int
    rows: int
    seconds: float
    refreshed_at: datetime
