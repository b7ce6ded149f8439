"""Tables of the register area (registered on the shared ``Base`` metadata).

``risk`` holds the risk register: one row per identified risk, keyed by its code, with
the scenario and plan that rehearse it, the KPIs (JSON list of ``{name, target}``) and
the day and scenario run that last rehearsed it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from stockguard.adapters.db.tables import Base


class RiskRow(Base):
    """One identified risk of the register."""

    __tablename__ = "risk"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    likelihood: Mapped[int]
    impact: Mapped[int]
    owner_role: Mapped[str] = mapped_column(String(200))
    scenario: Mapped[str | None] = mapped_column(String(300))
    plans: Mapped[str | None] = mapped_column(String(300))
    plan: Mapped[str | None] = mapped_column(String(120))
    kpis: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    last_rehearsed_on: Mapped[date | None]
    last_run_id: Mapped[int | None]
    updated_at: Mapped[datetime]
