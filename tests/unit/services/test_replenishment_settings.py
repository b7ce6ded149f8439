"""Settings resolved per row from the rules (most specific first), and ABC classes."""

from __future__ import annotations

import numpy as np

from stockguard.domain import replenishment as r
from stockguard.services.replenishment.settings import (
    FALLBACK,
    MEASURES,
    POLICIES,
    RowKeys,
    classify_abc,
    resolve_settings,
)

ROWS = RowKeys(
    skus=["MUG", "MUG", "TEE", "TOY"],
    locations=["PAR", "LYO", "PAR", "LYO"],
    categories=["Mugs", "Mugs", "Shirts", None],
    abc=["A", "A", "B", "C"],
)


def test_each_setting_comes_from_the_most_specific_rule_that_sets_it() -> None:
    rules = [
        r.ReplenishmentRule(r.RuleScope.DEFAULT, service_level=0.9, review_period_days=7),
        r.ReplenishmentRule(r.RuleScope.ABC_CLASS, abc_class="A", service_level=0.98),
        r.ReplenishmentRule(r.RuleScope.LOCATION, location="LYO", review_period_days=14),
        r.ReplenishmentRule(r.RuleScope.CATEGORY, category="Mugs", policy=r.PolicyName.MIN_MAX),
        r.ReplenishmentRule(r.RuleScope.SKU, sku="MUG", service_level=0.99),
        r.ReplenishmentRule(r.RuleScope.SKU_LOCATION, sku="MUG", location="LYO", service_level=0.8),
    ]
    settings = resolve_settings(rules, ROWS)
    assert settings["service_level"].tolist() == [0.99, 0.8, 0.9, 0.9]
    assert settings["review_period_days"].tolist() == [7, 14, 7, 14]
    min_max, fallback = POLICIES.index(r.PolicyName.MIN_MAX), FALLBACK["policy"]
    assert settings["policy"].tolist() == [min_max, min_max, fallback, fallback]
    assert settings.labels([1]) == [
        {
            "service_level": "sku_location MUG@LYO",
            "review_period_days": "location LYO",
            "policy": "category Mugs",
            "service_measure": "fallback",
            "max_supplier_share": "fallback",
        }
    ]


def test_without_rules_every_row_takes_the_fallback_and_unset_settings_stay_empty() -> None:
    settings = resolve_settings([], ROWS)
    assert settings["service_level"].tolist() == [0.95] * 4
    fill = MEASURES.index(r.ServiceMeasure.FILL)
    assert settings["service_measure"].tolist() == [fill] * 4
    assert np.isnan(settings["budget"]).all()


def test_a_product_without_category_matches_no_category_rule() -> None:
    rule = r.ReplenishmentRule(r.RuleScope.CATEGORY, category="None", service_level=0.5)
    assert resolve_settings([rule], ROWS)["service_level"][3] == 0.95


def test_abc_classes_follow_the_cumulative_revenue_share() -> None:
    # revenue per SKU: 70, 15, 10, 5, 0 (total 100); share before each: 0, 70, 85, 95, 100
    # -> A, A (70 < 80), B (85 < 95), C, C (no revenue)
    revenue = np.array([40.0, 30.0, 15.0, 10.0, 5.0, 0.0])
    group = np.array([0, 0, 1, 2, 3, 4])
    classes = classify_abc(group=group, revenue=revenue, n_groups=5)
    assert classes == ["A", "A", "B", "C", "C"]
