"""Product and location models. The storefront sees ``ProductRead``; costs stay private."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProductRead(BaseModel):
    """Public product data, safe for a storefront key."""

    model_config = ConfigDict(from_attributes=True)

    sku: str = Field(examples=["MUG-RED-L"])
    title: str = Field(examples=["Stoneware mug, red, large"])
    price: Decimal = Field(examples=["12.90"])
    currency: str = Field(examples=["EUR"])
    family: str | None = Field(default=None, examples=["MUG"])
    category: str | None = Field(default=None, examples=["Kitchen"])
    attributes: dict[str, Any] = Field(default_factory=dict, examples=[{"colour": "red"}])
    status: str = Field(examples=["active"])
    image_url: str | None = None


class ProductDetailRead(ProductRead):
    """Product data for planners, including the unit cost."""

    unit_cost: Decimal | None = Field(default=None, examples=["4.10"])


class LocationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(examples=["PAR-GEN"])
    name: str = Field(examples=["Paris Gennevilliers"])
    kind: str = Field(examples=["warehouse"])
    sellable: bool
    country: str | None = Field(default=None, examples=["FR"])
