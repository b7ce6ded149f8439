"""The buyer's ratings and country overrides on the database, read back by the risk score."""

from __future__ import annotations

from datetime import UTC, datetime

from stockguard.adapters.db.suppliers_kpi import SqlRatingStore, SqlSupplierHistory
from stockguard.bootstrap import App
from stockguard.services import ports
from stockguard.services.suppliers import rating, reports, risk_settings
from stockguard.services.suppliers.risk import SupplierRisk

from conftest import random_sku

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_a_rating_replaces_the_previous_one_and_a_country_override_changes_the_score(
    app: App,
) -> None:
    code = random_sku("SUP")
    with app.unit_of_work() as uow:
        row = {"code": code, "name": "Mumbai Mugs", "country": "India", "currency": "EUR"}
        uow.bulk.upsert(ports.Entity.SUPPLIER, [row])
        uow.commit()
    store, history = SqlRatingStore(app.sessions), SqlSupplierHistory(app.sessions)
    settings = risk_settings.RiskSettings()
    for letter in ("A", "D"):
        rating.rate_supplier(store, code, financial=letter, capacity=0.9, hazard_zone="flood",
                             settings=settings, at=NOW)  # fmt: skip
    (saved,) = [r for r in history.ratings() if r.supplier == code]
    assert (saved.financial_rating, saved.capacity_utilisation, saved.hazard_zone) == (
        "D", 0.9, "flood",
    )  # fmt: skip

    def mine() -> SupplierRisk:
        return next(r for r in reports.supplier_risks(history, settings) if r.supplier == code)

    assert mine().components["country"] == 3 / 7  # OECD-based default for India
    assert rating.set_country_risk(store, "india", 0.9, source="test", at=NOW) == "IN"
    assert history.country_scores()["IN"] == 0.9
    assert mine().components["country"] == 0.9
    assert mine().components["financial"] == 0.75
