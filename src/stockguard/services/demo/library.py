"""The ready scenario library of the demo shop (``services/demo/scenarios/*.yaml``).

Each scenario ``NAME.yaml`` comes with its contingency plans ``NAME.plans.yaml``;
``risks.yaml`` is the demo's risk register, each risk naming the scenario that models it.
The files are dated for a demo built on 2026-11-25; ``shifted`` moves every date so the
scenario starts on another day (the demo's today), keeping the gaps between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from stockguard.services.scenarios import files
from stockguard.services.scenarios.schema import PlanSpec, ScenarioSpec

FOLDER = "scenarios"
NAMES = ("supplier-flood", "black-friday", "carrier-strike")
"""The ready scenarios, in the order ``stockguard demo`` presents them."""
DEMO_SCENARIO = "supplier-flood"
DEMO_PLAN = "second source after 7 days"
DATE_KEYS = frozenset({"start", "from", "to", "peak_day", "before"})


@dataclass(frozen=True, slots=True)
class ReadyScenario:
    """A scenario with its plans (the baseline is added when run)."""

    scenario: ScenarioSpec
    plans: tuple[PlanSpec, ...]


def text_of(file_name: str) -> str:
    """The text of a library file, e.g. ``supplier-flood.yaml`` or ``risks.yaml``."""
    return (resources.files("stockguard.services.demo") / FOLDER / file_name).read_text("utf-8")


def ready(name: str, *, start: date | None = None) -> ReadyScenario:
    """Library scenario ``name`` and its plans, moved to ``start`` when given.

    Raises:
        KeyError: when the library has no such scenario.
    """
    if name not in NAMES:
        raise KeyError(name)
    scenario = files.load_scenario(text_of(f"{name}.yaml"), file=f"{name}.yaml")
    plans = files.load_plans(text_of(f"{name}.plans.yaml"), file=f"{name}.plans.yaml")
    found = ReadyScenario(scenario, tuple(plans))
    return found if start is None else shifted(found, start)


def shifted(found: ReadyScenario, start: date) -> ReadyScenario:
    """The scenario and plans with every date moved by ``start - scenario.start`` days."""
    days = (start - found.scenario.start).days
    scenario = _shift(found.scenario.model_dump(mode="json", by_alias=True), days)
    plans = [_shift(p.model_dump(mode="json", by_alias=True), days) for p in found.plans]
    return ReadyScenario(
        files.scenario_from_data(scenario, file=found.scenario.name),
        tuple(files.plans_from_data({"plans": plans}, file=f"{found.scenario.name} plans")),
    )


def resolve(scenario: str, plans: str | None, *, start: date | None = None) -> ReadyScenario:
    """A risk's scenario and plans references: library names, or paths of YAML files.

    A library scenario is moved to ``start`` and comes with its own plans unless others
    are named; a scenario file runs as written, and library plans named beside it are
    moved to its start.

    Raises:
        OSError: when a reference is neither a library name nor a readable file.
    """
    if scenario in NAMES:
        library = ready(scenario, start=start)
        if plans is None or plans == scenario:
            return library
        spec = library.scenario
    else:
        spec = files.load_scenario(Path(scenario).read_text("utf-8"), file=scenario)
    if plans is None:
        return ReadyScenario(spec, ())
    if plans in NAMES:
        return ReadyScenario(spec, ready(plans, start=spec.start).plans)
    text = Path(plans).read_text("utf-8")
    return ReadyScenario(spec, tuple(files.load_plans(text, file=plans)))


def _shift(data: Any, days: int) -> Any:
    if isinstance(data, list):
        return [_shift(item, days) for item in data]
    if not isinstance(data, dict):
        return data
    return {
        key: (
            (date.fromisoformat(value) + timedelta(days=days)).isoformat()
            if key in DATE_KEYS and isinstance(value, str)
            else _shift(value, days)
        )
        for key, value in data.items()
    }
