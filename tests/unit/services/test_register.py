"""Risk register use cases on a fake unit of work: validation, all-or-nothing, rehearsals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Self

import pytest

from stockguard.domain import register as reg
from stockguard.services.register import handlers
from stockguard.services.unit_of_work import UnitOfWork

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class FakeRegister:
    def __init__(self, risks: dict[str, reg.Risk]) -> None:
        self.risks = risks

    def get(self, code: str) -> reg.Risk | None:
        return self.risks.get(code)

    def all(self) -> list[reg.Risk]:
        return sorted(self.risks.values(), key=lambda r: (-r.score, r.code))

    def save(self, risk: reg.Risk, now: datetime) -> None:
        self.risks[risk.code] = risk

    def remove(self, code: str) -> bool:
        return self.risks.pop(code, None) is not None


class RegisterUnitOfWork(UnitOfWork):
    """Holds only the register; writes become visible on commit."""

    def __init__(self) -> None:
        self.committed: dict[str, reg.Risk] = {}
        self.commits = 0

    def __enter__(self) -> Self:
        self.register = FakeRegister(dict(self.committed))
        return super().__enter__()

    def commit(self) -> None:
        assert isinstance(self.register, FakeRegister)
        self.committed = dict(self.register.risks)
        self.commits += 1

    def rollback(self) -> None:
        pass


def a_risk(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "code": "FLOOD-PT",
        "title": "Flood in northern Portugal stops our main textile supplier",
        "category": "natural_disaster",
        "likelihood": 2,
        "impact": 5,
        "owner_role": "Head of purchasing",
        "scenario": "supplier-flood",
        "plans": "supplier-flood-plans",
        "plan": "second source after 7 days",
        "kpis": {"fill_rate": 0.95, "lost_revenue": 5000},
    }
    return {**fields, **overrides}


@pytest.fixture
def uow() -> RegisterUnitOfWork:
    return RegisterUnitOfWork()


def test_adds_a_risk_scored_likelihood_times_impact(uow: RegisterUnitOfWork) -> None:
    risk = handlers.add_risk(uow, a_risk(), now=NOW)
    assert uow.committed["FLOOD-PT"] == risk
    assert risk.score == 10
    assert risk.origin == "external"
    assert risk.kpis == (reg.Kpi("fill_rate", 0.95), reg.Kpi("lost_revenue", 5000.0))
    assert not risk.rehearsed


def test_refuses_a_risk_naming_every_bad_field_and_writes_nothing(
    uow: RegisterUnitOfWork,
) -> None:
    raw = a_risk(category="meteor", likelihood=7, impact="high", colour="red")
    with pytest.raises(reg.RiskRejected) as refused:
        handlers.add_risk(uow, raw, now=NOW)
    text = str(refused.value)
    assert "field category: 'meteor' is not a category" in text
    assert "field likelihood: must be a whole number from 1 to 5, got 7" in text
    assert "field impact: must be a whole number" in text
    assert "field colour: unknown field" in text
    assert uow.committed == {}


def test_refuses_a_code_already_in_the_register(uow: RegisterUnitOfWork) -> None:
    handlers.add_risk(uow, a_risk(), now=NOW)
    with pytest.raises(reg.RiskRejected, match="already in the register"):
        handlers.add_risk(uow, a_risk(title="other"), now=NOW)


def test_update_changes_the_fields_given_and_keeps_the_rehearsal(
    uow: RegisterUnitOfWork,
) -> None:
    handlers.add_risk(uow, a_risk(), now=NOW)
    handlers.mark_rehearsed(uow, "FLOOD-PT", run_id=4, when=NOW)
    risk = handlers.update_risk(uow, "FLOOD-PT", {"likelihood": 4, "plan": None}, now=NOW)
    assert (risk.likelihood, risk.score, risk.plan) == (4, 20, None)
    assert (risk.last_rehearsed_on, risk.last_run_id) == (date(2026, 11, 25), 4)


def test_update_and_remove_of_an_unknown_risk_are_refused(uow: RegisterUnitOfWork) -> None:
    with pytest.raises(reg.UnknownRisk, match="no risk 'NOPE'"):
        handlers.update_risk(uow, "NOPE", {"impact": 2}, now=NOW)
    with pytest.raises(reg.UnknownRisk):
        handlers.remove_risk(uow, "NOPE")


def test_a_plan_without_a_scenario_is_refused(uow: RegisterUnitOfWork) -> None:
    with pytest.raises(reg.RiskRejected, match="field plan: a plan needs the scenario"):
        handlers.add_risk(uow, a_risk(scenario=None), now=NOW)


def test_a_later_run_moves_the_rehearsal_date_an_older_one_does_not(
    uow: RegisterUnitOfWork,
) -> None:
    handlers.add_risk(uow, a_risk(), now=NOW)
    handlers.add_risk(uow, a_risk(code="OTHER", scenario="black-friday"), now=NOW)
    marked = handlers.mark_scenario_rehearsed(uow, "supplier-flood", run_id=9, when=NOW)
    assert marked == ["FLOOD-PT"]
    older = datetime(2026, 11, 1, tzinfo=UTC)
    risk = handlers.mark_rehearsed(uow, "FLOOD-PT", run_id=3, when=older)
    assert (risk.last_rehearsed_on, risk.last_run_id) == (date(2026, 11, 25), 9)
    assert not uow.committed["OTHER"].rehearsed


REGISTER_FILE = """\
risks:
  - code: FLOOD-PT
    title: Flood at the Portuguese supplier
    category: natural_disaster
    likelihood: 2
    impact: 5
    owner_role: Head of purchasing
  - code: BF-SPIKE
    title: Black Friday demand beyond the forecast
    category: demand_spike
    likelihood: 4
    impact: 3
    owner_role: Demand planner
    status: mitigated
"""


def test_import_adds_and_updates_keeping_rehearsals(uow: RegisterUnitOfWork) -> None:
    handlers.add_risk(uow, a_risk(), now=NOW)
    handlers.mark_rehearsed(uow, "FLOOD-PT", run_id=2, when=NOW)
    summary = handlers.import_register(uow, REGISTER_FILE, source="risks.yaml", now=NOW)
    assert summary == handlers.ImportSummary(created=("BF-SPIKE",), updated=("FLOOD-PT",))
    flood = uow.committed["FLOOD-PT"]
    assert flood.scenario is None
    assert flood.last_run_id == 2
    assert uow.committed["BF-SPIKE"].status is reg.RiskStatus.MITIGATED


def test_import_names_file_line_and_field_and_writes_nothing(uow: RegisterUnitOfWork) -> None:
    text = REGISTER_FILE.replace("impact: 3", "impact: 9") + "  - code: FLOOD-PT\n"
    with pytest.raises(reg.RiskRejected) as refused:
        handlers.import_register(uow, text, source="risks.yaml", now=NOW)
    problems = refused.value.problems
    assert "risks.yaml, line 12, risk 'BF-SPIKE', field impact: must be" in problems[0]
    assert any("line 15, risk 'FLOOD-PT', field title: is required" in p for p in problems)
    assert uow.commits == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("risks: [a: b", "not valid YAML"),
        ("rules: []", "expected a top-level 'risks' list"),
        ("risks: []", "the 'risks' list is empty"),
        ("risks:\n  - just text\n", "line 2: a risk must be a mapping"),
    ],
)
def test_import_refuses_malformed_files(uow: RegisterUnitOfWork, text: str, reason: str) -> None:
    with pytest.raises(reg.RiskRejected, match=reason):
        handlers.import_register(uow, text, source="risks.yaml", now=NOW)


class NoRuns:
    def add(self, *args: object, **kwargs: object) -> int:
        raise AssertionError("nothing is run for a risk that cannot be rehearsed")

    def get(self, run_id: int) -> None:
        return None

    def list(self, *, limit: int = 50, scenario: str | None = None) -> list[object]:
        return []


def test_a_risk_without_a_scenario_or_with_an_unknown_plan_is_not_rehearsed(
    uow: RegisterUnitOfWork,
) -> None:
    from stockguard.services.register.rehearse import NotRehearsable, rehearse_risk

    handlers.add_risk(uow, a_risk(code="BARE", scenario=None, plans=None, plan=None), now=NOW)
    handlers.add_risk(uow, a_risk(plans="supplier-flood", plan="pray"), now=NOW)
    options = {"paths": 50, "seed": 1, "today": date(2026, 11, 25), "now": NOW}
    with pytest.raises(NotRehearsable, match="no scenario models it"):
        rehearse_risk(uow, NoRuns(), "BARE", **options)  # type: ignore[arg-type]
    with pytest.raises(NotRehearsable, match="plan 'pray' is not in supplier-flood; known: "):
        rehearse_risk(uow, NoRuns(), "FLOOD-PT", **options)  # type: ignore[arg-type]
    with pytest.raises(reg.UnknownRisk):
        rehearse_risk(uow, NoRuns(), "NOPE", **options)  # type: ignore[arg-type]
    assert not uow.committed["FLOOD-PT"].rehearsed


def test_a_risk_naming_a_missing_file_says_so(uow: RegisterUnitOfWork) -> None:
    from stockguard.services.register.rehearse import NotRehearsable, rehearse_risk

    handlers.add_risk(uow, a_risk(plans="no/such/plans.yaml"), now=NOW)
    options = {"paths": 50, "seed": 1, "today": date(2026, 11, 25), "now": NOW}
    with pytest.raises(NotRehearsable, match=r"no/such/plans\.yaml is neither a ready scenario"):
        rehearse_risk(uow, NoRuns(), "FLOOD-PT", **options)  # type: ignore[arg-type]
