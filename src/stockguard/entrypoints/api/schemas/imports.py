"""What an accepted CSV upload wrote."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ImportReportRead(BaseModel):
    """Rows read and written, per table; ``skipped`` counts rows left out on purpose."""

    model_config = ConfigDict(from_attributes=True)

    file: str = Field(examples=["products.csv"])
    entity: str = Field(examples=["products"])
    rows_read: int = Field(ge=0, examples=[520])
    written: dict[str, int] = Field(examples=[{"product": 520}])
    skipped: dict[str, int] = Field(examples=[{"already imported": 3}])
