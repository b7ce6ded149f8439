"""The risk register: identified risks, the scenario that models each, its action plan.

A risk is scored ``likelihood x impact`` (both 1-5, so 1-25); it names the crisis
scenario that rehearses it (a file path or a name from the ready library) and the
contingency plan in a plans file, the role that owns the plan, the KPIs the plan is
judged on (name and target value) and the day a simulation last rehearsed it.
Plain Python: validation returns every problem found, never stops at the first.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from stockguard.domain import errors

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
SCALE = range(1, 6)
"""Likelihood and impact are rated 1 (rare, negligible) to 5 (almost certain, severe)."""
TEXT_LIMIT = 200


class RiskCategory(enum.StrEnum):
    FORECAST_ERROR = "forecast_error"
    STOCK_MANAGEMENT = "stock_management"
    LOGISTICS = "logistics"
    PRODUCTION = "production"
    NATURAL_DISASTER = "natural_disaster"
    GEOPOLITICAL = "geopolitical"
    DEMAND_SPIKE = "demand_spike"
    SUPPLIER_FAILURE = "supplier_failure"


INTERNAL_CATEGORIES = frozenset(
    {
        RiskCategory.FORECAST_ERROR,
        RiskCategory.STOCK_MANAGEMENT,
        RiskCategory.LOGISTICS,
        RiskCategory.PRODUCTION,
    }
)
"""Risks born inside the shop's own operations; the others come from outside."""


class RiskStatus(enum.StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"
    ACCEPTED = "accepted"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Kpi:
    """A measure the action plan is judged on, e.g. ``fill_rate`` with target 0.95."""

    name: str
    target: float


@dataclass(frozen=True, slots=True)
class Risk:
    """One identified risk; ``code`` is its natural key (e.g. ``FLOOD-PT``)."""

    code: str
    title: str
    category: RiskCategory
    likelihood: int
    impact: int
    owner_role: str
    scenario: str | None = None
    plans: str | None = None
    plan: str | None = None
    kpis: tuple[Kpi, ...] = ()
    status: RiskStatus = RiskStatus.OPEN
    last_rehearsed_on: date | None = None
    last_run_id: int | None = None

    @property
    def score(self) -> int:
        """Likelihood x impact, 1-25."""
        return self.likelihood * self.impact

    @property
    def origin(self) -> str:
        """``internal`` or ``external``."""
        return "internal" if self.category in INTERNAL_CATEGORIES else "external"

    @property
    def rehearsed(self) -> bool:
        return self.last_rehearsed_on is not None

    def rehearsed_by(self, run_id: int | None, when: date) -> Risk:
        """The risk after a scenario run that models it completed on ``when``; an older run
        finishing late never moves the date backwards."""
        if self.last_rehearsed_on is not None and when < self.last_rehearsed_on:
            return self
        return replace(self, last_rehearsed_on=when, last_run_id=run_id)


@dataclass(frozen=True, slots=True)
class RiskProblem:
    """One reason a risk was refused: the field and why (``field`` None: the whole risk)."""

    field: str | None
    reason: str


class RiskRejected(errors.InvalidRule):
    """Risks refused as a whole; nothing was written. ``problems`` name file, line, field."""

    code: ClassVar[str] = "invalid_risk"

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        self.field = ""
        self.value = None
        self.reason = problems[0] if problems else "no risk given"
        self.all_problems = "; ".join(problems[:30])
        shown = "\n".join(f"  - {p}" for p in problems[:30])
        errors.DomainError.__init__(
            self,
            f"{source}: {len(problems)} problem(s), nothing was written.\n{shown}",
        )


class UnknownRisk(errors.UnknownRule):
    code: ClassVar[str] = "unknown_risk"

    def __init__(self, code: str) -> None:
        self.label = code
        errors.DomainError.__init__(
            self,
            f"There is no risk {code!r} in the register; `stockguard register list` "
            "shows the codes.",
        )


def problems_of(risk: Risk) -> list[RiskProblem]:
    """Every rule the risk breaks (empty when valid)."""
    found: list[RiskProblem] = []
    if not CODE_PATTERN.match(risk.code):
        found.append(
            RiskProblem("code", "use 1 to 32 letters, digits, '_', '.' or '-', e.g. FLOOD-PT")
        )
    for name in ("title", "owner_role"):
        text = getattr(risk, name)
        if not text.strip() or len(text) > TEXT_LIMIT:
            found.append(RiskProblem(name, f"must be 1 to {TEXT_LIMIT} characters"))
    for name in ("likelihood", "impact"):
        value = getattr(risk, name)
        if isinstance(value, bool) or value not in SCALE:
            found.append(RiskProblem(name, "must be a whole number from 1 to 5"))
    if risk.plan is not None and risk.scenario is None:
        found.append(RiskProblem("plan", "a plan needs the scenario it is rehearsed on"))
    names = [kpi.name for kpi in risk.kpis]
    for kpi in risk.kpis:
        if not kpi.name.strip():
            found.append(RiskProblem("kpis", "every KPI needs a name"))
        elif names.count(kpi.name) > 1:
            found.append(RiskProblem("kpis", f"KPI {kpi.name!r} is listed twice"))
    return found


def describe(problem: RiskProblem, where: str) -> str:
    """``where, field X: reason`` for messages."""
    field = f", field {problem.field}" if problem.field else ""
    return f"{where}{field}: {problem.reason}"


def check(risk: Risk, source: str = "request") -> Risk:
    """The risk itself when valid; raises ``RiskRejected`` listing every problem otherwise."""
    found = problems_of(risk)
    if found:
        raise RiskRejected(source, [describe(p, f"risk {risk.code!r}") for p in found])
    return risk
