"""Scenario and plans files: valid ones load, bad ones are refused naming where and why."""

from __future__ import annotations

import pytest

from stockguard.services.scenarios import files, schema

GOOD = """
name: flood
description: our main supplier's region is flooded
start: 2026-12-01
horizon_days: 90
events:
  - type: supplier_outage
    supplier: ACME
    from: 2026-12-05
    to: 2027-01-10
  - type: demand_shock
    shape: viral
    skus: [MUG]
    from: 2026-12-01
    to: 2026-12-20
    peak_day: 2026-12-04
    peak_multiplier: 4
    decay_days: 3
  - type: country_closure
    country: PT
    from: 2026-12-10
    to: 2026-12-12
"""


def _problems(text: str, loader: object = files.load_scenario) -> list[str]:
    with pytest.raises(files.ScenarioRejected) as caught:
        loader(text)  # type: ignore[operator]
    return [f"{p.line}|{p.column}|{p.reason}" for p in caught.value.problems]


def test_a_valid_scenario_loads_with_its_events_typed() -> None:
    scenario = files.load_scenario(GOOD)
    assert scenario.horizon_days == 90
    assert [type(e).__name__ for e in scenario.events] == [
        "SupplierOutage",
        "DemandShock",
        "CountryClosure",
    ]


def test_a_window_ending_before_it_starts_is_refused_at_its_to_field_with_the_line() -> None:
    text = GOOD.replace("to: 2027-01-10", "to: 2026-11-10")
    problems = _problems(text)
    assert problems == ["10|events[0].to|'to' (2026-11-10) is before 'from' (2026-12-05)"]


def test_every_problem_is_listed_with_its_path_and_reason() -> None:
    text = GOOD.replace("peak_multiplier: 4", "peak_multiplier: 0.5").replace(
        "country: PT", "country: Portugal"
    )
    text += "  - type: meteor\n"
    problems = _problems(text)
    assert any(p.startswith("17|events[1].peak_multiplier|") for p in problems)
    assert any("events[2].country|" in p and "at most 2 characters" in p for p in problems)
    assert any("events[3]|" in p and "'meteor'" in p for p in problems)
    with pytest.raises(files.ScenarioRejected) as caught:
        files.load_scenario(text)
    assert str(caught.value).startswith("scenario.yaml was rejected: 3 problem(s) found.")


def test_unknown_fields_and_broken_yaml_are_refused() -> None:
    assert _problems(GOOD.replace("horizon_days: 90", "horizon: 90")) == [
        "5|horizon|Extra inputs are not permitted"
    ]
    assert _problems("name: [unclosed")[0].startswith("1|None|not valid YAML")


def test_plans_load_from_a_mapping_or_a_list_and_names_must_be_unique() -> None:
    listed = files.load_plans(
        "- name: expedite\n  actions:\n    - type: expedite\n"
        "      lead_time_cut_days: 3\n      extra_cost_percent: 20\n"
    )
    assert isinstance(listed[0].actions[0], schema.Expedite)
    twice = "plans:\n  - name: a\n  - name: a\n"
    assert any("used twice" in p for p in _problems(twice, files.load_plans))
    reserved = f"plans:\n  - name: {schema.BASELINE_PLAN}\n"
    assert any("reserved" in p for p in _problems(reserved, files.load_plans))


def test_an_expedite_needs_exactly_one_way_to_price_it() -> None:
    text = (
        "plans:\n  - name: fast\n    actions:\n      - type: expedite\n"
        "        lead_time_cut_days: 2\n"
    )
    problems = _problems(text, files.load_plans)
    assert problems == [
        "4|plans[0].actions[0]|give exactly one of 'extra_cost_per_unit' or 'extra_cost_percent'"
    ]
