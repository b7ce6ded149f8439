"""Stock level and movement models."""

from __future__ import annotations

import enum
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, computed_field


class StockLevelRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str = Field(examples=["MUG-RED-L"])
    location: str = Field(examples=["PAR-GEN"])
    on_hand: int = Field(examples=[42])
    allocated: int = Field(examples=[3])
    reserved: int = Field(examples=[1])
    on_order: int = Field(examples=[120])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def available(self) -> int:
        return self.on_hand - self.allocated - self.reserved


class MovementKindIn(enum.StrEnum):
    """Movements a client may post (a transfer has its own shape; counts use ``counted``)."""

    SALE = "sale"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    COUNT = "count"


class MovementCreate(BaseModel):
    """A movement to record. Sales and returns take a positive ``quantity``; an adjustment
    is signed; a count gives the units counted in ``quantity``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "MUG-RED-L",
                    "location": "PAR-GEN",
                    "kind": "sale",
                    "quantity": 2,
                    "occurred_at": "2026-09-01T14:30:00Z",
                    "idempotency_key": "order-1001:1",
                    "reference": "order 1001",
                }
            ]
        },
    )

    sku: str = Field(min_length=1, max_length=64)
    location: str = Field(min_length=1, max_length=32)
    kind: MovementKindIn
    quantity: int = Field(ge=-1_000_000, le=1_000_000)
    occurred_at: AwareDatetime | None = Field(
        default=None, description="When it happened (timezone required); default: now."
    )
    idempotency_key: str = Field(
        min_length=1, max_length=200, description="The same key twice records once."
    )
    reference: str | None = Field(default=None, max_length=120)


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sku: str
    location: str
    kind: str
    quantity: int = Field(description="Signed change of on_hand.")
    occurred_at: datetime
    idempotency_key: str
    reference: str | None = None


class MovementResultRead(BaseModel):
    """What posting a movement did; ``recorded`` is false for a replayed key."""

    recorded: bool
    movements: list[MovementRead]
    on_hand: dict[str, int] = Field(description="Units on hand afterwards, per location.")
