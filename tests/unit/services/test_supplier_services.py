"""Suppliers services on an in-memory history: KPIs, scorecards, risk, diversification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from stockguard.domain import errors
from stockguard.services.suppliers import leadtime, rating, reports, risk_settings, scorecard
from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)

NOW = datetime(2026, 11, 25, tzinfo=UTC)
DAY = date(2026, 1, 5)


def a_line(
    supplier: str = "ACME",
    sku: str = "S1",
    *,
    lead: int | None = 10,
    late: int = 0,
    quantity: int = 10,
    received: int | None = None,
    rejected: int = 0,
    cost: str = "10",
    ordered_on: date = DAY,
) -> OrderLineFacts:
    received_on = ordered_on + timedelta(days=lead) if lead is not None else None
    expected = received_on - timedelta(days=late) if received_on else ordered_on
    return OrderLineFacts(
        supplier=supplier, sku=sku, order_number=f"PO-{supplier}-{sku}-{ordered_on}-{lead}",
        status="received", ordered_on=ordered_on, expected_on=expected,
        first_received_on=received_on, quantity=quantity,
        received=quantity if received is None else received, rejected=rejected,
        unit_cost=Decimal(cost), currency="EUR",
    )  # fmt: skip


@dataclass
class FakeHistory:
    lines: list[OrderLineFacts] = field(default_factory=list)
    offers_: list[OfferFacts] = field(default_factory=list)
    ratings_: list[SupplierRating] = field(default_factory=list)
    countries: dict[str, float] = field(default_factory=dict)
    suppliers_: list[SupplierFacts] = field(
        default_factory=lambda: [
            SupplierFacts("ACME", "Acme Ltd", "IN"),
            SupplierFacts("BOLT", "Bolt SA", "FR"),
        ]
    )
    categories: dict[str, str | None] = field(default_factory=dict)
    revenue: dict[str, Decimal] = field(default_factory=dict)

    def order_lines(
        self, *, supplier: str | None = None, sku: str | None = None, since: date | None = None
    ) -> list[OrderLineFacts]:
        return [
            line for line in self.lines
            if (supplier is None or line.supplier == supplier) and (sku is None or line.sku == sku)
            and (since is None or (line.expected_on or DAY) >= since)
        ]  # fmt: skip

    def suppliers(self) -> list[SupplierFacts]:
        return self.suppliers_

    def offers(self) -> list[OfferFacts]:
        return self.offers_

    def ratings(self) -> list[SupplierRating]:
        return self.ratings_

    def country_scores(self) -> dict[str, float]:
        return self.countries

    def product_categories(self) -> dict[str, str | None]:
        return self.categories

    def revenue_by_sku(self, *, since: datetime) -> dict[str, Decimal]:
        return self.revenue


@dataclass
class FakeRatingStore:
    known: Sequence[str] = ("ACME",)
    saved: list[SupplierRating] = field(default_factory=list)
    countries: list[tuple[str, float]] = field(default_factory=list)

    def supplier_exists(self, code: str) -> bool:
        return code in self.known

    def save_rating(self, value: SupplierRating) -> None:
        self.saved.append(value)

    def save_country_scores(
        self, scores: Sequence[tuple[str, float]], *, source: str | None, at: datetime
    ) -> None:
        self.countries.extend(scores)


def test_kpis_count_on_time_fill_quality_and_price_per_supplier_and_sku() -> None:
    history = FakeHistory(
        lines=[
            a_line(late=2, rejected=1, cost="11"),
            a_line(late=0, cost="9"),
            a_line(sku="S2", late=-1, quantity=4, received=2, cost="5"),
            a_line("BOLT", lead=None, cost="12"),
        ]
    )
    acme, bolt = reports.supplier_kpis(history)
    assert (acme.supplier, acme.lines, acme.delivered) == ("ACME", 3, 3)
    assert acme.on_time_rate == pytest.approx(2 / 3)
    assert acme.fill_rate == pytest.approx(22 / 24)
    assert acme.rejected_share == pytest.approx(1 / 22)
    assert acme.spend == 10 * 11 + 10 * 9 + 4 * 5
    assert acme.lead_time.mean == 10.0
    assert acme.lead_time.family == "empirical"
    assert bolt.on_time_rate is None
    assert bolt.lead_time.family == "none"
    by_sku = {(r.supplier, r.sku): r for r in reports.supplier_kpis(history, by_sku=True)}
    # 11 and 9 against the SKU's mean price over both suppliers (10, 10, 12 x 10 units)
    assert by_sku[("ACME", "S1")].price_variance == pytest.approx((20 / (32 / 3) - 2) / 2)
    assert by_sku[("ACME", "S2")].fill_rate == 0.5


def test_price_variance_is_measured_against_the_offer_when_there_is_one() -> None:
    history = FakeHistory(
        lines=[a_line(cost="11"), a_line(cost="11")],
        offers_=[OfferFacts("ACME", "S1", Decimal("10"), "EUR", 7, 1)],
    )
    (acme,) = reports.supplier_kpis(history)
    assert acme.price_variance == pytest.approx(0.1)


def test_scorecard_gives_each_quarter_and_its_change_from_the_previous_one() -> None:
    history = FakeHistory(
        lines=[
            a_line(late=3, ordered_on=date(2026, 1, 5)),
            a_line(late=0, ordered_on=date(2026, 1, 6)),
            a_line(late=0, lead=20, ordered_on=date(2026, 4, 6)),
        ]
    )
    q1, q2 = reports.supplier_scorecard(history, period=scorecard.Period.QUARTER)
    assert (q1.period, q2.period) == ("2026-Q1", "2026-Q2")
    assert q1.on_time_rate == 0.5
    assert q1.on_time_change is None
    assert q2.on_time_change == pytest.approx(0.5)
    assert q2.lead_time_change == pytest.approx(10.0)


def test_risk_score_uses_ratings_country_and_dependency_with_the_documented_weights() -> None:
    history = FakeHistory(
        lines=[a_line(sku="S1"), a_line(sku="S2"), a_line("BOLT", sku="S2")],
        ratings_=[SupplierRating("ACME", "C", 0.85, "flood", NOW)],
    )
    found = {r.supplier: r for r in reports.supplier_risks(history, risk_settings.RiskSettings())}
    acme = found["ACME"]
    assert acme.components["financial"] == 0.5
    assert acme.components["capacity"] == pytest.approx(0.5)
    assert acme.components["country"] == pytest.approx(3 / 7)  # India, OECD category 3
    assert acme.components["hazard"] == 1.0
    assert acme.components["single_source"] == pytest.approx(0.5)  # S1 only from ACME
    assert acme.components["spend_share"] == pytest.approx(2 / 3)
    expected = 0.25 * 0.5 + 0.15 * 0.5 + 0.15 * 3 / 7 + 0.10 * 1 + 0.20 * 0.5 + 0.15 * 2 / 3
    assert acme.score == pytest.approx(expected)
    assert sum(acme.contributions.values()) == pytest.approx(acme.score)
    bolt = found["BOLT"]
    assert bolt.components["financial"] is None  # unrated: the "unknown" value is used
    assert bolt.contributions["financial"] == pytest.approx(0.25 * 0.5)
    assert bolt.components["country"] == 0.0


def test_a_country_override_replaces_the_default_score() -> None:
    history = FakeHistory(lines=[a_line()], countries={"India": 0.9})
    found = {r.supplier: r for r in reports.supplier_risks(history, risk_settings.RiskSettings())}
    assert found["ACME"].components["country"] == 0.9


def test_risk_settings_file_overrides_defaults_and_names_bad_keys(tmp_path: Path) -> None:
    path = tmp_path / "risk.toml"
    path.write_text("capacity_knee = 0.5\n[weights]\nfinancial = 2\n[countries]\nIN = 0.1\n")
    settings = risk_settings.load_risk_settings(path)
    assert settings.weights["financial"] == 2.0
    assert settings.weights["country"] == 0.15
    assert settings.countries["IN"] == 0.1
    assert settings.capacity_knee == 0.5
    path.write_text("[weights]\nfinancal = 1\n")
    with pytest.raises(errors.InvalidParameter, match=r"risk.toml: weights.financal"):
        risk_settings.load_risk_settings(path)
    path.write_text("[unknown]\ncountry = 3\n")
    with pytest.raises(errors.InvalidParameter, match=r"must be in \[0, 1\]"):
        risk_settings.load_risk_settings(path)


def test_rating_is_validated_and_stored() -> None:
    store = FakeRatingStore()
    settings = risk_settings.RiskSettings()
    saved = rating.rate_supplier(
        store, "ACME", financial="b", capacity=0.8, hazard_zone="Flood", settings=settings, at=NOW
    )
    assert (saved.financial_rating, saved.hazard_zone) == ("B", "flood")
    assert store.saved == [saved]
    with pytest.raises(errors.InvalidParameter, match="financial"):
        rating.rate_supplier(store, "ACME", financial="Z", capacity=None, hazard_zone=None,
                             settings=settings, at=NOW)  # fmt: skip
    with pytest.raises(errors.InvalidParameter, match="capacity"):
        rating.rate_supplier(store, "ACME", financial=None, capacity=2.0, hazard_zone=None,
                             settings=settings, at=NOW)  # fmt: skip
    with pytest.raises(errors.UnknownSupplier):
        rating.rate_supplier(store, "NOPE", financial="A", capacity=None, hazard_zone=None,
                             settings=settings, at=NOW)  # fmt: skip
    assert len(store.saved) == 1


def test_diversification_lists_single_sourced_skus_revenue_at_risk_and_second_sources() -> None:
    history = FakeHistory(
        lines=[
            a_line(sku="S1"),
            a_line(sku="S2"),
            a_line("BOLT", sku="S2"),
            a_line("BOLT", sku="S3"),
        ],
        offers_=[OfferFacts("BOLT", "S1", Decimal("9.5"), "EUR", 5, 1)],
        categories={"S1": "tools", "S2": "tools", "S3": "tools"},
        revenue={"S1": Decimal("1000"), "S2": Decimal("500"), "S3": Decimal("250")},
    )
    report = reports.diversification_report(history, now=NOW)
    assert [(s.sku, s.supplier) for s in report.single_sourced] == [("S1", "ACME"), ("S3", "BOLT")]
    s1, s3 = report.single_sourced
    assert [(x.supplier, x.basis, x.unit_cost) for x in s1.suggestions] == [
        ("BOLT", "offer", Decimal("9.5"))
    ]
    assert [(x.supplier, x.basis) for x in s3.suggestions] == [("ACME", "category")]
    exposure = {e.supplier: e for e in report.exposure}
    assert exposure["ACME"].revenue_at_risk == Decimal("1000")
    assert exposure["ACME"].share_of_revenue == pytest.approx(1000 / 1750)
    assert exposure["BOLT"].single_source_skus == 1


def test_lead_time_distribution_falls_back_from_the_sku_to_the_supplier() -> None:
    lines = [a_line(sku="S1", lead=d) for d in (8, 9, 10, 10, 11, 12, 12, 14)]
    lines += [a_line(sku="S2", lead=30)]
    history = FakeHistory(lines=lines)
    own = leadtime.lead_time_distribution(history, supplier="ACME", sku="S1")
    assert own is not None
    assert own.basis == "supplier_sku"
    assert own.mean == pytest.approx(10.75)
    assert own.first_day == 8
    assert sum(own.pmf) == pytest.approx(1.0)
    assert own.pmf[2] == pytest.approx(2 / 8)  # 10 days
    other = leadtime.lead_time_distribution(history, supplier="ACME", sku="S2")
    assert other is not None
    assert (other.basis, other.sku, other.observations) == ("supplier", None, 9)
    assert leadtime.lead_time_distribution(history, supplier="BOLT", sku="S1") is None
