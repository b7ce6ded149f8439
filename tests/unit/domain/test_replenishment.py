"""Replenishment rules validate themselves; proposals follow their life cycle."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stockguard.domain import errors, events
from stockguard.domain import replenishment as r

from builders import NOW


def _line(
    line_no: int, supplier: str, budget: r.BudgetStatus, **overrides: object
) -> r.ProposalLine:
    values: dict[str, object] = {
        "line_no": line_no,
        "sku": f"SKU-{line_no}",
        "location": "PAR",
        "supplier": supplier,
        "quantity": 10,
        "unit_cost": Decimal("2.50"),
        "currency": "EUR",
        "position": 0,
        "protection_demand": 8.0,
        "safety_stock": 2.0,
        "reorder_point": 10.0,
        "order_up_to": 10.0,
        "need": 10.0,
        "added_by_minimum": 0,
        "added_by_pack": 0,
        "lost_margin_avoided": Decimal("5"),
        "budget_status": budget,
    }
    values.update(overrides)
    return r.ProposalLine(**values)  # type: ignore[arg-type]


def _proposal() -> r.ReplenishmentProposal:
    within, over = r.BudgetStatus.WITHIN, r.BudgetStatus.OVER
    lines = [_line(1, "ACME", within), _line(2, "BOLT", within), _line(3, "ACME", over)]
    return r.ReplenishmentProposal(run_id=4, created_at=NOW, currency="EUR", lines=lines, id=7)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"scope": r.RuleScope.SKU}, "sku = None is required for a sku rule"),
        (
            {"scope": r.RuleScope.SKU, "sku": "A", "location": "PAR"},
            "location = 'PAR' does not apply to a sku rule",
        ),
        ({"scope": r.RuleScope.DEFAULT, "service_level": 1.0}, "between 0 and 1"),
        ({"scope": r.RuleScope.DEFAULT, "review_period_days": 0}, "at least 1"),
        (
            {"scope": r.RuleScope.DEFAULT, "manual_minimum": 9, "manual_maximum": 3},
            "manual_maximum = 3 is below manual_minimum 9",
        ),
        ({"scope": r.RuleScope.DEFAULT, "max_supplier_share": 0.0}, "above 0 and at most 1"),
        ({"scope": r.RuleScope.ABC_CLASS, "abc_class": "D"}, "must be A, B or C"),
        ({"scope": r.RuleScope.DEFAULT, "budget": Decimal(-1)}, "amount of 0 or more"),
    ],
)
def test_an_invalid_rule_names_the_field_and_the_reason(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(errors.InvalidRule, match=message):
        r.ReplenishmentRule(**arguments)  # type: ignore[arg-type]


def test_a_rule_is_keyed_by_its_scope_fields() -> None:
    rule = r.ReplenishmentRule(r.RuleScope.SKU_LOCATION, sku="MUG", location="PAR")
    assert (rule.key, rule.label) == (("MUG", "PAR"), "sku_location MUG@PAR")
    assert r.ReplenishmentRule(r.RuleScope.DEFAULT).label == "default"


def test_approving_without_a_choice_takes_the_lines_within_budget_by_supplier() -> None:
    proposal = _proposal()
    orders = proposal.approve((), at=NOW)
    assert {number: [x.line_no for x in lines] for number, lines in orders.items()} == {
        "RP7-1": [1],
        "RP7-2": [2],
    }
    assert [x.status for x in proposal.lines] == [
        r.LineStatus.APPROVED,
        r.LineStatus.APPROVED,
        r.LineStatus.REJECTED,
    ]
    assert proposal.events == [events.ProposalDecided(7, "approved", ("RP7-1", "RP7-2"), "")]


def test_approving_named_lines_takes_exactly_those() -> None:
    proposal = _proposal()
    orders = proposal.approve((3,), at=NOW, note="rush")
    assert list(orders) == ["RP7-1"]
    assert [x.purchase_order for x in proposal.lines] == [None, None, "RP7-1"]
    assert (proposal.status, proposal.note, proposal.decided_at) == (
        r.ProposalStatus.APPROVED,
        "rush",
        NOW,
    )


def test_a_decided_proposal_cannot_be_decided_again() -> None:
    proposal = _proposal()
    proposal.reject(at=NOW)
    assert all(x.status is r.LineStatus.REJECTED for x in proposal.lines)
    with pytest.raises(errors.InvalidTransition, match="Proposal 7 is rejected"):
        proposal.approve((), at=NOW)
    with pytest.raises(errors.InvalidTransition):
        proposal.reject(at=NOW)
