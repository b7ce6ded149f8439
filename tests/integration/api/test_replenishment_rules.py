"""Replenishment rules (GET/PUT/DELETE) and the policy of a SKU per location."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from integration.replenishment_shop import DAILY_MEAN, seed_replenishment_shop
from stockguard.bootstrap import App

from builders import a_product

Headers = dict[str, str]


def test_a_rule_is_created_replaced_read_and_removed(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    where = {"sku": shop.sku, "location": shop.paris}
    url = "/replenishment/rules/sku_location"
    body = {"policy": "periodic", "review_period_days": 14, "service_level": 0.97}

    created = client.put(url, params=where, json=body, headers=planner_headers)
    replaced = client.put(url, params=where, json={"service_level": 0.9}, headers=planner_headers)
    read = client.get(url, params=where, headers=planner_headers)

    assert created.status_code == 201, created.text
    assert created.json()["label"] == f"sku_location {shop.sku}@{shop.paris}"
    assert replaced.status_code == 200
    assert read.json()["service_level"] == 0.9
    assert read.json()["policy"] is None  # PUT replaces the whole rule
    listed = client.get("/replenishment/rules", params={"limit": 500}, headers=planner_headers)
    labels = [rule["label"] for rule in listed.json()["items"]]
    assert labels[0] == f"sku_location {shop.sku}@{shop.paris}"
    assert "default" in labels

    assert client.delete(url, params=where, headers=planner_headers).status_code == 204
    gone = client.get(url, params=where, headers=planner_headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "unknown_rule")
    again = client.delete(url, params=where, headers=planner_headers)
    assert again.status_code == 404


def test_an_invalid_rule_is_refused_naming_the_field_and_nothing_is_stored(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    url = "/replenishment/rules/sku"
    cases = [
        ({"sku": shop.sku}, {"service_level": 1.5}, "invalid_request", "body.service_level"),
        ({"sku": shop.sku}, {}, "invalid_request", "body"),
        ({"sku": shop.sku}, {"manual_minimum": 9, "manual_maximum": 3}, "invalid_request", "body"),
        ({"sku": shop.sku}, {"policy": "sometimes"}, "invalid_request", "body.policy"),
        ({}, {"service_level": 0.9}, "invalid_rule", "sku"),
        ({"sku": shop.sku, "location": shop.paris}, {"service_level": 0.9}, "invalid_rule",
         "location"),
    ]  # fmt: skip
    for params, body, code, field in cases:
        response = client.put(url, params=params, json=body, headers=planner_headers)
        assert response.status_code == 422, (body, response.text)
        problem = response.json()
        assert problem["code"] == code, problem
        named = [x["field"] for x in problem.get("invalid", [])] or [problem["field"]]
        assert field in named, problem
    unknown = client.put(
        url, params={"sku": "NO-SUCH-SKU"}, json={"service_level": 0.9}, headers=planner_headers
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_sku")
    listed = client.get("/replenishment/rules", params={"limit": 500}, headers=planner_headers)
    assert [x for x in listed.json()["items"] if x["scope"] == "sku"] == []


def test_the_policy_of_a_sku_follows_its_rules_per_location(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    before = client.get(f"/policies/{shop.sku}", headers=planner_headers)
    assert before.status_code == 200, before.text
    client.put(
        "/replenishment/rules/sku_location",
        params={"sku": shop.sku, "location": shop.paris},
        json={"service_measure": "cycle", "service_level": 0.999},
        headers=planner_headers,
    )
    after = client.get(f"/policies/{shop.sku}", headers=planner_headers).json()

    old = {x["location"]: x for x in before.json()["locations"]}
    new = {x["location"]: x for x in after["locations"]}
    assert set(new) == {shop.paris, shop.lyon}
    paris = new[shop.paris]
    assert paris["rules"]["service_level"] == f"sku_location {shop.sku}@{shop.paris}"
    assert (paris["service_measure"], paris["service_level"]) == ("cycle", 0.999)
    assert paris["safety_stock"] > old[shop.paris]["safety_stock"]
    assert new[shop.lyon] == old[shop.lyon]
    assert paris["position"] == 5
    assert paris["forecast_per_day"] == DAILY_MEAN
    assert paris["reorder_point"] == paris["protection_demand"] + paris["safety_stock"]
    assert paris["supplier"] in {shop.acme, shop.bolt}
    assert "99.9% chance of no stock-out per cycle" in paris["summary"]
    assert after["abc_class"] == "A"  # the only SKU with revenue


def test_the_policy_matches_the_lines_a_run_proposes(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    run = client.post("/replenishment/runs", json={}, headers=planner_headers).json()
    lines = client.get(f"/proposals/{run['proposal_id']}", headers=planner_headers).json()
    policy = client.get(f"/policies/{shop.sku}", headers=planner_headers).json()

    by_location = {x["location"]: x for x in policy["locations"]}
    assert lines["lines"], "the seeded shop's run proposes no line to compare"
    for line in lines["lines"]:
        expected = by_location[line["location"]]
        why = line["explanation"]
        assert why["safety_stock"] == round(expected["safety_stock"], 4)
        assert why["reorder_point"] == round(expected["reorder_point"], 4)
        assert why["order_up_to"] == round(expected["order_up_to"], 4)


def test_a_policy_needs_a_known_sku_and_a_forecast(
    client: TestClient, planner_headers: Headers, app: App
) -> None:
    unknown = client.get("/policies/NO-SUCH-SKU", headers=planner_headers)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_sku")
    shop = seed_replenishment_shop(app)
    with app.unit_of_work() as uow:
        uow.products.add(a_product(f"{shop.sku}-NEW"))
        uow.commit()
    new = client.get(f"/policies/{shop.sku}-NEW", headers=planner_headers)
    assert (new.status_code, new.json()["code"]) == (404, "no_forecast")


def test_a_sku_nobody_offers_gets_its_policy_on_the_default_lead_time(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app, with_offers=False)
    response = client.get(f"/policies/{shop.sku}", headers=planner_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["has_offer"], body["currency"]) == (False, "EUR")
    assert {x["location"] for x in body["locations"]} == {shop.paris, shop.lyon}
    for policy in body["locations"]:
        assert policy["supplier"] is None
        assert (policy["lead_time_days"], policy["lead_time_std_days"]) == (7.0, 0.0)
        # lost-sales model: the 6 days before the order arrives + the review undershoot
        assert policy["reorder_point_model"] == "lost_sales"
        assert policy["protection_demand"] == pytest.approx(
            DAILY_MEAN * 6 + policy["undershoot"], abs=1e-6
        )
        assert "Lost-sales fill-rate model" in policy["summary"]


def test_a_policy_missing_a_setting_it_needs_is_refused_naming_it(
    app: App, client: TestClient, planner_headers: Headers
) -> None:
    shop = seed_replenishment_shop(app)
    client.put(
        "/replenishment/rules/sku",
        params={"sku": shop.sku},
        json={"policy": "fixed_quantity"},
        headers=planner_headers,
    )
    response = client.get(f"/policies/{shop.sku}", headers=planner_headers)
    assert response.status_code == 422
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("invalid_rule", "fixed_order_quantity")
    assert shop.sku in problem["reason"]
