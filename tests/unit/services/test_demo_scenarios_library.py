"""The demo's ready scenario library: files valid, names real, dates movable, backups offered."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
import pytest

from stockguard.services.demo import library
from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import build_catalogue
from stockguard.services.register.document import parse_register
from stockguard.services.scenarios import schema

SUPPLIERS = {s.code for s in v.SUPPLIERS}
CARRIERS = {code for code, _name in v.CARRIERS}
CATEGORIES = {c.name for c in v.CATEGORIES}
LOCATIONS = {w.code for w in v.WAREHOUSES}


@pytest.mark.parametrize("name", library.NAMES)
def test_every_ready_scenario_names_the_demo_shops_own_suppliers_and_places(name: str) -> None:
    found = library.ready(name)
    assert found.scenario.name == name
    assert found.plans, "each ready scenario comes with plans"
    for event in found.scenario.events:
        if isinstance(event, schema.SupplierOutage | schema.LeadTimeMultiplier):
            assert event.supplier in SUPPLIERS | {"all"}
        if isinstance(event, schema.CarrierStrike):
            assert event.carrier in CARRIERS
        if isinstance(event, schema.DemandShock) and event.category is not None:
            assert event.category in CATEGORIES
    for plan in found.plans:
        for action in plan.actions:
            if isinstance(action, schema.TransferFrom):
                assert action.location in LOCATIONS


def test_moving_a_scenario_keeps_the_gaps_between_its_dates() -> None:
    moved = library.ready("black-friday", start=date(2027, 1, 4))
    original = library.ready("black-friday")
    shift = date(2027, 1, 4) - original.scenario.start
    assert moved.scenario.start == date(2027, 1, 4)
    first, moved_first = original.scenario.events[0], moved.scenario.events[0]
    assert isinstance(first, schema.DemandShock)
    assert isinstance(moved_first, schema.DemandShock)
    assert moved_first.peak_day == (first.peak_day or date.min) + shift
    assert (moved_first.start, moved_first.end) == (first.start + shift, first.end + shift)
    prebuild = moved.plans[0].actions[0]
    assert isinstance(prebuild, schema.Prebuild)
    assert prebuild.before == date(2026, 11, 26) + shift


def test_the_demo_register_links_each_risk_to_a_ready_scenario_and_plan() -> None:
    risks = parse_register(library.text_of("risks.yaml"), "risks.yaml")
    assert {r.scenario for r in risks} == set(library.NAMES)
    for risk in risks:
        assert risk.scenario is not None
        plans = {p.name for p in library.ready(risk.scenario).plans}
        assert risk.plan in plans


def test_every_article_of_the_flooded_supplier_has_a_second_source() -> None:
    rng = np.random.default_rng(np.random.SeedSequence(7).spawn(6)[0])
    catalogue = build_catalogue(rng, n_skus=60, n_days=200)
    offers: dict[str, list[str]] = defaultdict(list)
    for offer in catalogue.offers:
        offers[offer.sku].append(offer.supplier)
    flooded = [sku for sku, suppliers in offers.items() if suppliers[0] == "ATL-TEXTEIS"]
    assert flooded
    assert all(len(offers[sku]) == 2 and offers[sku][1] != "ATL-TEXTEIS" for sku in flooded)
