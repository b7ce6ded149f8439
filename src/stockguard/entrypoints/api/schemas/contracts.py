"""Contract clauses and supplier penalties, as the API reads and writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class ContractTerms(BaseModel):
    """A supplier's terms from ``valid_from``; terms left out are not in the contract.
    Shares are fractions (0.95), percentages in percent (0.5 = 0.5 % per day)."""

    valid_from: date
    valid_to: date | None = None
    guaranteed_fill_rate: Decimal | None = Field(default=None, ge=0, le=1, examples=["0.95"])
    max_lead_time_days: int | None = Field(default=None, ge=0, le=3650, examples=[14])
    late_penalty_percent: Decimal | None = Field(default=None, ge=0, le=100, examples=["0.5"])
    late_cap_percent: Decimal | None = Field(default=None, ge=0, le=100, examples=["10"])
    quality_threshold: Decimal | None = Field(default=None, ge=0, le=1, examples=["0.02"])
    quality_penalty_percent: Decimal | None = Field(default=None, ge=0, le=100)
    short_fill_penalty_percent: Decimal | None = Field(default=None, ge=0, le=100)


class ContractClauseWrite(ContractTerms):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "valid_from": "2026-01-01",
                    "guaranteed_fill_rate": "0.95",
                    "max_lead_time_days": 14,
                    "late_penalty_percent": "0.5",
                    "late_cap_percent": "10",
                    "quality_threshold": "0.02",
                    "quality_penalty_percent": "5",
                }
            ]
        },
    )


class ContractClauseRead(ContractTerms):
    model_config = ConfigDict(from_attributes=True)

    supplier: str


class PenaltyRead(BaseModel):
    """A penalty a supplier owes: ``amount`` = rate applied to ``basis`` (both money)."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    supplier: str
    order_number: str
    sku: str
    kind: str = Field(examples=["late"])
    amount: Decimal
    currency: str
    basis: Decimal
    days_late: int
    units: int
    incurred_on: date
    clause_from: date
    detail: str
