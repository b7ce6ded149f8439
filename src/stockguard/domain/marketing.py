"""Promotions and marketing events that move demand."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


class PromotionKind(enum.StrEnum):
    DISCOUNT = "discount"
    BUNDLE = "bundle"
    FREE_SHIPPING = "free_shipping"
    NEWSLETTER = "newsletter"
    AD_CAMPAIGN = "ad_campaign"
    EVENT = "event"


@dataclass(eq=False, slots=True)
class Promotion:
    """A promotion on one SKU or a whole category between two dates (inclusive)."""

    code: str
    kind: PromotionKind
    starts_on: date
    ends_on: date
    sku: str | None = None
    category: str | None = None
    discount_percent: Decimal | None = None
    owner: str | None = None

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("a promotion cannot end before it starts")
        if (self.sku is None) == (self.category is None):
            raise ValueError("a promotion targets either one SKU or one category")
