"""The replenishment use cases over fakes: propose, explain, transfer, budget, approve, reject."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stockguard.domain import commands, errors, events, purchasing
from stockguard.domain import replenishment as r
from stockguard.services.messagebus import MessageBus
from stockguard.services.replenishment.propose import propose_replenishment
from unit.services.fakes import FakeUnitOfWork
from unit.services.replenishment_shop import NOW, a_shop, propose


def _bus(uow: FakeUnitOfWork) -> MessageBus:
    return MessageBus(lambda: uow, sleep=lambda _seconds: None)


def _lines(uow: FakeUnitOfWork, proposal_id: int = 1) -> dict[tuple[str, str, str], r.ProposalLine]:
    proposal = uow.store.proposals[proposal_id]
    return {(x.sku, x.location, x.supplier): x for x in proposal.lines}


def test_each_line_explains_its_quantity_from_position_policy_and_rounding() -> None:
    uow = a_shop()
    summary = propose_replenishment(propose(uow), uow)
    tee = _lines(uow)[("TEE", "PAR", "ACME")]
    assert tee.position == 1
    assert tee.reorder_point == pytest.approx(tee.protection_demand + tee.safety_stock)
    # lost-sales model: 2 a day over the 4 days before the order arrives (5 days' lead
    # time, a daily review) + the undershoot; no sales yet, so read off the forecast
    assert tee.explanation["reorder_point_model"] == "lost_sales"
    assert tee.protection_demand == pytest.approx(2.0 * 4 + 1.0, abs=1e-3)
    assert tee.explanation["undershoot_units"] == pytest.approx(1.0)
    assert tee.need == pytest.approx(tee.order_up_to - tee.position, abs=1e-3)
    assert tee.quantity == tee.need // 1 + 1 + tee.added_by_minimum + tee.added_by_pack
    assert tee.explanation["policy"] == "order_up_to"
    assert tee.explanation["rules"] == {
        "policy": "default",
        "service_measure": "default",
        "service_level": "abc_class A",
        "max_supplier_share": "default",
    }
    assert summary.unsourced == ("TOY@PAR",)
    assert uow.committed
    assert uow.outbox == [events.ReplenishmentProposed(1, 1, summary.lines, 0)]


def test_a_pack_size_rounds_the_order_up_and_the_line_says_by_how_much() -> None:
    uow = a_shop()
    propose_replenishment(propose(uow), uow)
    mug = _lines(uow)[("MUG", "PAR", "ACME")]
    assert mug.quantity % 6 == 0
    assert 0 <= mug.added_by_pack < 6
    assert mug.quantity - mug.added_by_pack == pytest.approx(mug.need, abs=1.0)


def test_a_slower_often_late_supplier_loses_to_a_dearer_reliable_one() -> None:
    uow = a_shop(late_deliveries=8)
    propose_replenishment(propose(uow), uow)
    mug = _lines(uow)[("MUG", "PAR", "ACME")]
    assert mug.explanation["supplier_rank"] == 1
    assert ("MUG", "PAR", "BOLT") not in _lines(uow)


def test_a_maximum_share_splits_a_line_across_both_suppliers() -> None:
    uow = a_shop()
    uow.store.rules[("sku", ("MUG",))] = r.ReplenishmentRule(
        r.RuleScope.SKU, sku="MUG", max_supplier_share=0.5
    )
    propose_replenishment(propose(uow), uow)
    lines = _lines(uow)
    acme, bolt = lines[("MUG", "PAR", "ACME")], lines[("MUG", "PAR", "BOLT")]
    assert acme.need == pytest.approx(bolt.need)
    assert acme.explanation["rules"]["max_supplier_share"] == "sku MUG"  # type: ignore[index]
    assert {acme.explanation["supplier_rank"], bolt.explanation["supplier_rank"]} == {1, 2}


def test_excess_in_another_location_is_transferred_instead_of_bought() -> None:
    uow = a_shop(mug_in_lyon=600)
    summary = propose_replenishment(propose(uow), uow)
    proposal = uow.store.proposals[1]
    (transfer,) = proposal.transfers
    assert (transfer.sku, transfer.source, transfer.destination) == ("MUG", "LYO", "PAR")
    assert transfer.transfer_cost < transfer.purchase_cost_avoided
    assert not any(x.sku == "MUG" for x in proposal.lines)
    assert summary.transfers == 1


def test_a_budget_keeps_the_line_that_saves_most_margin_per_unit_of_money() -> None:
    uow = a_shop()
    propose_replenishment(propose(uow, budget=Decimal("1200")), uow)
    lines = uow.store.proposals[1].lines
    assert [x.line_no for x in lines] == [1, 2]
    first, second = lines
    assert first.lost_margin_avoided / first.cost >= second.lost_margin_avoided / second.cost
    statuses = {x.sku: x.budget_status for x in lines}
    assert statuses == {"MUG": r.BudgetStatus.WITHIN, "TEE": r.BudgetStatus.OVER}
    assert sum(x.cost for x in lines if x.budget_status is r.BudgetStatus.WITHIN) <= 1200


def test_a_category_budget_rule_caps_only_its_category() -> None:
    uow = a_shop()
    uow.store.rules[("category", ("Shirts",))] = r.ReplenishmentRule(
        r.RuleScope.CATEGORY, category="Shirts", budget=Decimal("100")
    )
    propose_replenishment(propose(uow), uow)
    statuses = {x.sku: x.budget_status for x in uow.store.proposals[1].lines}
    assert statuses == {"TEE": r.BudgetStatus.OVER, "MUG": r.BudgetStatus.NO_BUDGET}


def test_a_sku_rule_wins_over_its_category_and_class() -> None:
    uow = a_shop()
    rules = uow.store.rules
    rules[("category", ("Shirts",))] = r.ReplenishmentRule(
        r.RuleScope.CATEGORY, category="Shirts", service_level=0.8, policy=r.PolicyName.EOQ
    )
    rules[("sku", ("TEE",))] = r.ReplenishmentRule(r.RuleScope.SKU, sku="TEE", service_level=0.99)
    propose_replenishment(propose(uow), uow)
    tee = _lines(uow)[("TEE", "PAR", "ACME")]
    assert tee.explanation["service_level"] == 0.99
    assert tee.explanation["policy"] == "eoq"
    assert tee.explanation["rules"]["policy"] == "category Shirts"  # type: ignore[index]


def test_a_fixed_quantity_policy_without_its_quantity_is_refused_naming_the_sku() -> None:
    uow = a_shop()
    uow.store.rules[("sku", ("TEE",))] = r.ReplenishmentRule(
        r.RuleScope.SKU, sku="TEE", policy=r.PolicyName.FIXED_QUANTITY
    )
    with pytest.raises(errors.InvalidRule, match=r"fixed_order_quantity.*TEE at PAR"):
        propose_replenishment(propose(uow), uow)
    assert uow.store.proposals == {}


def test_without_a_planning_run_nothing_is_proposed() -> None:
    uow = a_shop()
    uow.store.planning_runs.clear()
    with pytest.raises(errors.NoPlanningRun, match="stockguard plan forecast"):
        _bus(uow).handle(propose(uow))


def test_a_negative_cost_is_refused() -> None:
    uow = a_shop()
    with pytest.raises(errors.InvalidParameter, match="ordering_cost"):
        propose_replenishment(propose(uow, ordering_cost=Decimal("-1")), uow)


def test_approving_makes_one_draft_po_per_supplier_and_location() -> None:
    uow = a_shop()
    uow.store.rules[("sku", ("MUG",))] = r.ReplenishmentRule(
        r.RuleScope.SKU, sku="MUG", max_supplier_share=0.5
    )
    bus = _bus(uow)
    bus.handle(propose(uow))
    decision = bus.handle(commands.ApproveProposal(1, NOW))
    numbers = {x.number: (x.supplier, x.location, x.lines) for x in decision.purchase_orders}
    assert numbers == {"RP1-1": ("ACME", "PAR", 2), "RP1-2": ("BOLT", "PAR", 1)}
    acme = uow.store.orders["RP1-1"]
    assert acme.status is purchasing.PurchaseOrderStatus.DRAFT
    assert {line.sku for line in acme.lines} == {"MUG", "TEE"}
    proposal = uow.store.proposals[1]
    assert proposal.status is r.ProposalStatus.APPROVED
    assert {x.purchase_order for x in proposal.lines} == {"RP1-1", "RP1-2"}
    assert uow.outbox[-1] == events.ProposalDecided(1, "approved", ("RP1-1", "RP1-2"), "")


def test_approving_chosen_lines_rejects_the_others_even_over_budget() -> None:
    uow = a_shop()
    bus = _bus(uow)
    bus.handle(propose(uow, budget=Decimal("1")))
    decision = bus.handle(commands.ApproveProposal(1, NOW, lines=(2,)))
    assert (decision.approved_lines, decision.rejected_lines) == (1, 1)
    statuses = [x.status for x in uow.store.proposals[1].lines]
    assert statuses == [r.LineStatus.REJECTED, r.LineStatus.APPROVED]


def test_approving_with_nothing_within_budget_is_refused() -> None:
    uow = a_shop()
    bus = _bus(uow)
    bus.handle(propose(uow, budget=Decimal("1")))
    with pytest.raises(errors.EmptyApproval):
        bus.handle(commands.ApproveProposal(1, NOW))


def test_approval_is_all_or_nothing_when_a_po_cannot_be_created() -> None:
    uow = a_shop()
    bus = _bus(uow)
    bus.handle(propose(uow))
    taken = purchasing.PurchaseOrder("RP1-1", "ACME", "PAR", [])
    uow.store.orders["RP1-1"] = taken
    with pytest.raises(errors.InvalidTransition, match="RP1-1"):
        bus.handle(commands.ApproveProposal(1, NOW))
    assert uow.store.proposals[1].status is r.ProposalStatus.PROPOSED
    assert all(x.purchase_order is None for x in uow.store.proposals[1].lines)
    assert uow.store.orders["RP1-1"] is taken


def test_a_rejected_proposal_cannot_be_approved_afterwards() -> None:
    uow = a_shop()
    bus = _bus(uow)
    bus.handle(propose(uow))
    decision = bus.handle(commands.RejectProposal(1, NOW, note="too early"))
    assert decision.status == "rejected"
    with pytest.raises(errors.InvalidTransition, match="Proposal 1 is rejected"):
        bus.handle(commands.ApproveProposal(1, NOW))
    assert not any(number.startswith("RP") for number in uow.store.orders)


def test_an_unknown_proposal_or_line_is_refused() -> None:
    uow = a_shop()
    bus = _bus(uow)
    with pytest.raises(errors.UnknownProposal):
        bus.handle(commands.RejectProposal(5, NOW))
    bus.handle(propose(uow))
    with pytest.raises(errors.UnknownProposalLine, match="no line 9"):
        bus.handle(commands.ApproveProposal(1, NOW, lines=(9,)))


def test_set_rule_checks_what_it_names_and_replaces_an_existing_rule() -> None:
    uow = a_shop()
    bus = _bus(uow)
    rule = r.ReplenishmentRule(r.RuleScope.SKU_LOCATION, sku="MUG", location="PAR")
    assert bus.handle(commands.SetReplenishmentRule(rule)) is False
    assert bus.handle(commands.SetReplenishmentRule(rule)) is True
    with pytest.raises(errors.UnknownSku):
        bus.handle(commands.SetReplenishmentRule(r.ReplenishmentRule(r.RuleScope.SKU, sku="NOPE")))
    with pytest.raises(errors.UnknownCategory, match="Hats"):
        bus.handle(
            commands.SetReplenishmentRule(
                r.ReplenishmentRule(r.RuleScope.CATEGORY, category="Hats")
            )
        )
    bus.handle(commands.RemoveReplenishmentRule(r.RuleScope.SKU_LOCATION, ("MUG", "PAR")))
    with pytest.raises(errors.UnknownRule, match="sku_location MUG@PAR"):
        bus.handle(commands.RemoveReplenishmentRule(r.RuleScope.SKU_LOCATION, ("MUG", "PAR")))


def test_setting_a_rule_again_updates_only_what_is_given_unless_replacing() -> None:
    uow = a_shop()
    bus = _bus(uow)
    sku = r.RuleScope.SKU
    bus.handle(
        commands.SetReplenishmentRule(r.ReplenishmentRule(sku, sku="TEE", service_level=0.97))
    )
    bus.handle(
        commands.SetReplenishmentRule(
            r.ReplenishmentRule(sku, sku="TEE", policy=r.PolicyName.EOQ, budget=Decimal(9))
        )
    )
    stored = uow.store.rules[("sku", ("TEE",))]
    assert (stored.service_level, stored.policy, stored.budget) == (
        0.97,
        r.PolicyName.EOQ,
        Decimal(9),
    )
    bus.handle(
        commands.SetReplenishmentRule(r.ReplenishmentRule(sku, sku="TEE"), unset=("budget",))
    )
    assert uow.store.rules[("sku", ("TEE",))].budget is None
    bus.handle(
        commands.SetReplenishmentRule(
            r.ReplenishmentRule(sku, sku="TEE", service_level=0.9), merge=False
        )
    )
    assert uow.store.rules[("sku", ("TEE",))].policy is None
    with pytest.raises(errors.InvalidRule, match="unset = 'colour' is not a setting"):
        bus.handle(
            commands.SetReplenishmentRule(r.ReplenishmentRule(sku, sku="TEE"), unset=("colour",))
        )


def test_lines_approved_onto_draft_orders_are_not_proposed_again() -> None:
    uow = a_shop()
    bus = _bus(uow)
    first = bus.handle(propose(uow))
    bus.handle(commands.ApproveProposal(1, NOW))
    second = bus.handle(propose(uow))
    assert first.lines == 2
    assert second.lines == 0
    assert second.unsourced == ("TOY@PAR",)


def test_a_shop_without_any_offer_proposes_nothing_and_lists_what_it_cannot_buy() -> None:
    uow = a_shop()
    uow.store.offers.clear()
    summary = propose_replenishment(propose(uow), uow)
    assert summary.lines == 0
    assert summary.unsourced == ("MUG@PAR", "TEE@PAR", "TOY@PAR")
