"""Compensation rules: tiers from 12-month spend, the first matching rule, face values,
the budget test and the all-or-nothing validation of a policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from stockguard.domain import compensation as c

POLICY = {
    "currency": "EUR",
    "tiers": {"silver": 500, "gold": 2000},
    "monthly_budget": 100,
    "shipping_value": "4.90",
    "rules": [
        {"name": "gold late", "kind": "percent", "value": 15, "min_tier": "gold",
         "min_days_late": 3},
        {"name": "big order", "kind": "amount", "value": 10, "min_days_late": 7,
         "min_order_value": 200},
        {"name": "anyone late", "kind": "free_shipping", "min_days_late": 2},
    ],
}  # fmt: skip


def test_tiers_follow_twelve_month_spend() -> None:
    policy = c.parse_policy(POLICY)
    assert policy.tier_of(Decimal("499.99")) is c.Tier.BRONZE
    assert policy.tier_of(Decimal(500)) is c.Tier.SILVER
    assert policy.tier_of(Decimal(2000)) is c.Tier.GOLD


@pytest.mark.parametrize(
    ("tier", "late", "value", "rule", "face"),
    [
        (c.Tier.GOLD, 3, Decimal(80), "gold late", Decimal("12.00")),  # 15% of 80
        (c.Tier.SILVER, 8, Decimal(250), "big order", Decimal("10.00")),
        (c.Tier.SILVER, 8, Decimal(150), "anyone late", Decimal("4.90")),
        (c.Tier.GOLD, 2, Decimal(80), "anyone late", Decimal("4.90")),
        (c.Tier.BRONZE, 1, Decimal(999), None, None),
        (c.Tier.GOLD, None, Decimal(999), None, None),  # no new date: no offer
    ],
)
def test_the_first_matching_rule_gives_the_offer(
    tier: c.Tier, late: int | None, value: Decimal, rule: str | None, face: Decimal | None
) -> None:
    offer = c.choose(c.parse_policy(POLICY), c.Case(tier, late, value))
    assert (offer.rule if offer else None) == rule
    assert (offer.face_value if offer else None) == face


def test_budget_allows_up_to_the_cap_exactly() -> None:
    policy = c.parse_policy(POLICY)
    offer = c.Offer("x", c.OfferKind.AMOUNT, Decimal(10), Decimal(10), "EUR")
    assert c.within_budget(policy, Decimal(90), offer)
    assert not c.within_budget(policy, Decimal("90.01"), offer)


def test_days_late_counts_from_the_previous_promise() -> None:
    today = date(2026, 11, 25)
    assert c.days_late(date(2026, 12, 10), date(2026, 12, 1), today) == 9
    assert c.days_late(date(2026, 12, 1), None, today) == 6
    assert c.days_late(None, date(2026, 12, 1), today) is None


def test_codes_are_ten_base32_characters_and_differ() -> None:
    codes = {c.new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 10 and code.isalnum() and code.isupper() for code in codes)


def test_a_bad_policy_is_refused_with_every_problem() -> None:
    bad = {
        "currency": "EURO",
        "tiers": {"silver": 3000, "gold": 2000},
        "monthly_budget": -5,
        "rules": [
            {"name": "a", "kind": "percent", "value": 150},
            {"name": "a", "kind": "voucher"},
            {"kind": "amount", "value": 0, "min_days_late": -1, "colour": "red"},
        ],
    }
    with pytest.raises(c.PolicyRejected) as refused:
        c.parse_policy(bad, "rules.yaml")
    text = str(refused.value)
    for expected in (
        "currency: 'EURO' is not a 3-letter ISO code",
        "tiers: silver (3000) must not exceed gold (2000)",
        "monthly_budget: must be a number >= 0, got -5",
        "rules[1].value: a percentage must be > 0 and <= 100, got 150",
        "rules[2].kind: 'voucher' is not one of percent, amount, free_shipping",
        "rules[3].name: required",
        "rules[3].value: an amount must be > 0, got 0",
        "rules[3].min_days_late: must be a whole number of days >= 0",
        "rules[3].colour: unknown field",
    ):
        assert expected in text
    assert "nothing was saved" in text


def test_a_policy_round_trips_through_its_document() -> None:
    policy = c.parse_policy(POLICY)
    assert c.parse_policy(c.policy_document(policy)) == policy
