"""API schemas of the risk register."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from stockguard.domain import register as reg

Rating = Annotated[int, Field(ge=1, le=5, description="1 (low) to 5 (high).")]
Text = Annotated[str, Field(min_length=1, max_length=reg.TEXT_LIMIT)]
Reference = Annotated[str, Field(min_length=1, max_length=300)]


class RiskCreate(BaseModel):
    """A risk to add. ``scenario``: a ready scenario name (``supplier-flood``) or a scenario
    file path; ``plans``: the plans file (or ready name) holding ``plan``; ``kpis``: the
    plan's KPIs as name -> target value."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "FLOOD-PT",
                    "title": "Flood in northern Portugal stops our main textile supplier",
                    "category": "natural_disaster",
                    "likelihood": 2,
                    "impact": 5,
                    "owner_role": "Head of purchasing",
                    "scenario": "supplier-flood",
                    "plans": "supplier-flood",
                    "plan": "second source after 7 days",
                    "kpis": {"fill_rate": 0.95, "lost_revenue": 5000},
                }
            ]
        },
    )

    code: Annotated[str, Field(min_length=1, max_length=32, examples=["FLOOD-PT"])]
    title: Text
    category: reg.RiskCategory
    likelihood: Rating
    impact: Rating
    owner_role: Text
    scenario: Reference | None = None
    plans: Reference | None = None
    plan: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    kpis: dict[str, float] = Field(default_factory=dict, examples=[{"fill_rate": 0.95}])
    status: reg.RiskStatus = reg.RiskStatus.OPEN


class RiskUpdate(BaseModel):
    """Fields to change; fields left out keep their values, ``null`` clears an optional one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"likelihood": 3, "status": "mitigated"}]},
    )

    title: Text | None = None
    category: reg.RiskCategory | None = None
    likelihood: Rating | None = None
    impact: Rating | None = None
    owner_role: Text | None = None
    scenario: Reference | None = None
    plans: Reference | None = None
    plan: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    kpis: dict[str, float] | None = None
    status: reg.RiskStatus | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class KpiRead(BaseModel):
    name: str
    target: float


class RiskRead(BaseModel):
    """A risk with its score (likelihood x impact, 1-25) and last rehearsal (null: never)."""

    code: str
    title: str
    category: reg.RiskCategory
    origin: str = Field(description="internal or external")
    likelihood: int
    impact: int
    score: int
    owner_role: str
    scenario: str | None
    plans: str | None
    plan: str | None
    kpis: list[KpiRead]
    status: reg.RiskStatus
    last_rehearsed_on: date | None
    last_run_id: int | None
    rehearsed: bool

    @classmethod
    def from_risk(cls, risk: reg.Risk) -> RiskRead:
        return cls(
            code=risk.code, title=risk.title, category=risk.category, origin=risk.origin,
            likelihood=risk.likelihood, impact=risk.impact, score=risk.score,
            owner_role=risk.owner_role, scenario=risk.scenario, plans=risk.plans,
            plan=risk.plan, kpis=[KpiRead(name=k.name, target=k.target) for k in risk.kpis],
            status=risk.status, last_rehearsed_on=risk.last_rehearsed_on,
            last_run_id=risk.last_run_id, rehearsed=risk.rehearsed,
        )  # fmt: skip
