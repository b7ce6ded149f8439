"""Carriers, their KPIs, and shipments, as the API reads and writes them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from stockguard.domain.shipping import ShipmentStatus


class CarrierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    shipments: int
    delivered: int


class KpiRead(BaseModel):
    """On-time figures over delivered shipments; delays in days."""

    model_config = ConfigDict(from_attributes=True)

    carrier: str
    lane: str | None
    delivered: int
    on_time: int
    on_time_rate: float
    mean_delay_days: float
    p90_delay_days: float


class CarrierKpisRead(BaseModel):
    overall: KpiRead
    lanes: list[KpiRead]


class ShipmentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reference": "1Z999AA10123456784",
                    "carrier": "DHL",
                    "origin": "CN",
                    "destination": "PAR",
                    "promised_on": "2026-05-10",
                    "purchase_order": "PO-1001",
                }
            ]
        },
    )

    reference: str = Field(min_length=1, max_length=64)
    carrier: str = Field(min_length=1, max_length=64)
    origin: str = Field(min_length=1, max_length=64, examples=["CN"])
    destination: str = Field(min_length=1, max_length=64, examples=["PAR"])
    promised_on: date
    booked_at: datetime | None = None
    purchase_order: str | None = Field(default=None, max_length=64)
    transfer: str | None = Field(default=None, max_length=64)


class ShipmentUpdate(BaseModel):
    """A tracking report."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "delayed",
                    "at": "2026-05-08T10:00:00Z",
                    "expected_on": "2026-05-13",
                    "note": "Port congestion",
                }
            ]
        },
    )

    status: ShipmentStatus
    at: datetime | None = None
    expected_on: date | None = None
    note: str = Field(default="", max_length=300)


class TrackingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    status: str
    at: datetime
    expected_on: date | None
    note: str


class ShipmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reference: str
    carrier: str
    origin: str
    destination: str
    promised_on: date
    booked_at: datetime
    purchase_order: str | None
    transfer: str | None
    status: str
    expected_on: date | None
    delivered_at: datetime | None


class ShipmentDetailRead(ShipmentRead):
    tracking: list[TrackingRead]
