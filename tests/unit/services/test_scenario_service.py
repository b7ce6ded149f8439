"""Scenario runs through the service layer on the small replenishment shop."""

from __future__ import annotations

import pytest

from stockguard.domain import errors
from stockguard.services.scenarios import files, run, schema
from stockguard.services.scenarios.report import ScenarioReport
from unit.services.replenishment_shop import TODAY, a_shop

OUTAGE = f"""
name: acme-outage
start: {TODAY}
horizon_days: 60
events:
  - type: supplier_outage
    supplier: ACME
    from: {TODAY}
    to: 2026-10-10
"""

PLANS = """
plans:
  - name: second source
    actions:
      - type: switch_supplier_after
        days: 3
  - name: nothing either
    actions: []
"""


def _run(paths: int = 200, seed: int = 7, **kwargs: object) -> ScenarioReport:
    scenario = files.load_scenario(OUTAGE)
    plans = files.load_plans(PLANS)
    return run.run_scenario(a_shop(), scenario, plans, paths=paths, seed=seed, **kwargs)  # type: ignore[arg-type]


def test_baseline_first_and_a_plan_without_actions_equals_it_exactly() -> None:
    report = _run()
    assert [p.plan for p in report.plans] == [
        schema.BASELINE_PLAN,
        "second source",
        "nothing either",
    ]
    base, same = report.plans[0], report.plans[2]
    assert same.fill_rate == base.fill_rate
    assert same.lost_revenue == base.lost_revenue
    assert same.stockout_sku_days == base.stockout_sku_days
    assert same.extra_cost.mean == 0.0
    assert same.difference_vs_baseline is not None
    assert same.difference_vs_baseline.mean == 0.0


def test_switching_to_the_second_source_cuts_lost_revenue_during_the_outage() -> None:
    report = _run()
    base, switch = report.outcome(schema.BASELINE_PLAN), report.outcome("second source")
    assert switch.lost_revenue.mean < base.lost_revenue.mean
    assert switch.difference_vs_baseline is not None
    assert switch.difference_vs_baseline.high < 0  # paired: significantly better
    assert switch.fill_rate.mean > base.fill_rate.mean


def test_same_seed_same_report_and_the_most_affected_rows_carry_fans() -> None:
    first, second = _run(seed=11), _run(seed=11)
    assert first.plans == second.plans
    assert first.most_affected
    fan = first.plans[0].fans[0]
    assert len(fan.days) == 60
    assert fan.days[0] == TODAY
    assert all(a <= b for a, b in zip(fan.p5, fan.p95, strict=True))


def test_paths_out_of_range_are_refused_with_the_reason() -> None:
    with pytest.raises(errors.InvalidParameter, match="paths"):
        _run(paths=0)


def test_an_event_naming_a_supplier_the_shop_lacks_is_noted() -> None:
    text = OUTAGE.replace("supplier: ACME", "supplier: NOBODY")
    report = run.run_scenario(a_shop(), files.load_scenario(text), [], paths=20, seed=1)
    assert any("supplier 'NOBODY'" in note for note in report.notes)
    assert report.forecast_run_id == 1
