"""Replenishment on SQLite and PostgreSQL: rules, a proposal from a stored forecast, its
explanation and decision, and the draft purchase orders approval creates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.domain import commands, errors
from stockguard.domain import replenishment as r
from stockguard.services import ports
from stockguard.services.replenishment.propose import ProposalSummary

from builders import a_location, a_product, a_supplier

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


def _shop(app: App) -> None:
    """Mugs in PAR (5 on hand) and LYO (none); two suppliers, one with a late record."""
    with app.unit_of_work() as uow:
        uow.products.add(a_product("MUG", price=Decimal("10"), category="Mugs"))
        uow.locations.add(a_location("PAR"))
        uow.locations.add(a_location("LYO"))
        uow.suppliers.add(a_supplier("ACME"))
        uow.suppliers.add(a_supplier("BOLT"))
        offers = [
            {"supplier": "ACME", "unit_cost": Decimal("4.00"), "pack_size": 6, "lead": 7},
            {"supplier": "BOLT", "unit_cost": Decimal("3.90"), "pack_size": 1, "lead": 14},
        ]
        uow.bulk.upsert(
            ports.Entity.SUPPLIER_OFFER,
            [
                {
                    "supplier": x["supplier"],
                    "sku": "MUG",
                    "unit_cost": x["unit_cost"],
                    "currency": "EUR",
                    "minimum_order_quantity": 0,
                    "pack_size": x["pack_size"],
                    "lead_time_days": x["lead"],
                }
                for x in offers
            ],
        )
        uow.forecasts.add_run(_run_record(), _forecast_rows())
        uow.commit()
    app.bus.handle(commands.RecordStockCount("MUG", "PAR", 5, NOW, "count-par"))
    _late_delivery(app)


def _run_record() -> ports.PlanningRunRecord:
    return ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=14,
        history_start_on=TODAY - timedelta(days=90),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="f" * 64,
        n_series=2,
        status="completed",
        parameters={},
    )


def _forecast_rows() -> list[dict[str, object]]:
    quantiles = {"p50": 3.0, "p80": 3.8, "p95": 4.6, "p99": 5.5, "lower_95": 1.0}
    return [
        {
            "sku": "MUG",
            "location": location,
            "day": TODAY + timedelta(days=step),
            "mean": 3.0,
            "lower_80": 1.7,
            "p90": 4.3,
            "upper_95": 5.0,
            "model": "SES",
            **quantiles,
        }
        for location in ("LYO", "PAR")
        for step in range(14)
    ]


def _late_delivery(app: App) -> None:
    """BOLT delivered a past order 12 days after the expected day."""
    expected = TODAY - timedelta(days=40)
    line = commands.PurchaseOrderLineInput("MUG", 6, Decimal("3.90"))
    app.bus.handle(
        commands.CreatePurchaseOrder("OLD-1", "BOLT", "LYO", (line,), expected_on=expected)
    )
    app.bus.handle(commands.ChangePurchaseOrderStatus("OLD-1", "sent"))
    at = datetime.combine(expected + timedelta(days=12), datetime.min.time(), tzinfo=UTC)
    app.bus.handle(commands.ReceivePurchaseOrderLine("OLD-1", "MUG", 6, at, "old-1"))


def test_a_proposal_is_stored_with_its_explanation_and_approval_makes_draft_pos(
    app: App,
) -> None:
    _shop(app)
    rule = r.ReplenishmentRule(r.RuleScope.SKU, sku="MUG", max_supplier_share=0.6)
    app.bus.handle(commands.SetReplenishmentRule(rule))
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    assert summary.rows == 2
    assert summary.lines == 4  # two locations x two suppliers

    decision = app.bus.handle(commands.ApproveProposal(summary.proposal_id, NOW))

    with app.reader() as session:
        lines = session.execute(
            select(t.table_of(t.ProposalLineRow)).order_by(t.ProposalLineRow.line_no)
        ).all()
        orders = session.execute(
            select(t.table_of(t.PurchaseOrderRow)).where(t.PurchaseOrderRow.number.like("RP%"))
        ).all()
        status = session.execute(select(t.ReplenishmentProposalRow.status)).scalar_one()
    par = next(x for x in lines if x.location == "PAR" and x.supplier == "ACME")
    assert par.position == 5
    # the cheaper BOLT ranks first; its 14 days plus the shrunk delay 12 / (1 + 3) = 17 days
    assert par.explanation["policy_lead_time_days"] == 17.0
    # lost-sales model (daily review): 16 days of demand before the order arrives plus
    # the review undershoot
    assert par.explanation["reorder_point_model"] == "lost_sales"
    assert par.protection_demand == pytest.approx(
        3.0 * 16 + par.explanation["undershoot_units"], abs=1e-3
    )
    assert par.explanation["rules"]["max_supplier_share"] == "sku MUG"
    assert par.explanation["abc_class"] == "A"
    assert {x.status for x in lines} == {"approved"}
    assert status == "approved"
    assert {(x.supplier, x.location, x.status) for x in orders} == {
        ("ACME", "PAR", "draft"),
        ("ACME", "LYO", "draft"),
        ("BOLT", "PAR", "draft"),
        ("BOLT", "LYO", "draft"),
    }
    assert len(decision.purchase_orders) == 4
    assert {x.purchase_order for x in lines} == {x.number for x in orders}
    again: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    assert again.lines == 0  # the draft orders count in the position


def test_the_late_supplier_record_lengthens_its_lead_time(app: App) -> None:
    _shop(app)
    rule = r.ReplenishmentRule(r.RuleScope.SKU, sku="MUG", max_supplier_share=0.5)
    app.bus.handle(commands.SetReplenishmentRule(rule))
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    with app.unit_of_work() as uow:
        proposal = uow.proposals.get(summary.proposal_id)
    assert proposal is not None
    by_supplier = {x.supplier: x.explanation for x in proposal.lines if x.location == "PAR"}
    bolt, acme = by_supplier["BOLT"], by_supplier["ACME"]
    assert (bolt["supplier_deliveries"], acme["supplier_deliveries"]) == (1, 0)
    assert bolt["supplier_lead_time_days"] == 14 + 12 / 4  # one delay of 12, prior weight 3
    assert bolt["on_time_rate"] == 0.9 * 3 / 4
    assert acme["supplier_lead_time_days"] == 7


def test_rules_are_stored_updated_listed_by_precedence_and_removed(app: App) -> None:
    _shop(app)
    bus = app.bus
    bus.handle(
        commands.SetReplenishmentRule(
            r.ReplenishmentRule(r.RuleScope.CATEGORY, category="Mugs", service_level=0.9)
        )
    )
    replaced = bus.handle(
        commands.SetReplenishmentRule(
            r.ReplenishmentRule(
                r.RuleScope.CATEGORY,
                category="Mugs",
                policy=r.PolicyName.PERIODIC,
                review_period_days=14,
                budget=Decimal("250.50"),
            )
        )
    )
    with app.unit_of_work() as uow:
        rules = uow.rules.list()
    labels = [x.label for x in rules]
    assert replaced is True
    assert labels == ["category Mugs", "abc_class A", "abc_class B", "abc_class C", "default"]
    mugs = rules[0]
    assert (mugs.service_level, mugs.policy, mugs.budget) == (  # updated, 0.9 kept
        0.9,
        r.PolicyName.PERIODIC,
        Decimal("250.50"),
    )
    bus.handle(commands.RemoveReplenishmentRule(r.RuleScope.CATEGORY, ("Mugs",)))
    with pytest.raises(errors.UnknownRule) as refused:
        bus.handle(commands.RemoveReplenishmentRule(r.RuleScope.CATEGORY, ("Mugs",)))
    assert refused.value.label == "category Mugs"


def test_a_rejected_proposal_keeps_its_lines_and_creates_no_order(app: App) -> None:
    _shop(app)
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))
    app.bus.handle(commands.RejectProposal(summary.proposal_id, NOW, note="wait for promo"))
    with app.reader() as session:
        proposal = session.execute(select(t.table_of(t.ReplenishmentProposalRow))).one()
        statuses = session.execute(select(t.ProposalLineRow.status)).scalars().all()
        drafts = session.execute(
            select(t.PurchaseOrderRow.number).where(t.PurchaseOrderRow.number.like("RP%"))
        ).all()
    assert (proposal.status, proposal.note) == ("rejected", "wait for promo")
    assert proposal.decided_at == NOW
    assert set(statuses) == {"rejected"}
    assert len(statuses) == summary.lines
    assert drafts == []
