"""The buyer's ratings of suppliers and country risk overrides, validated before storing."""

from __future__ import annotations

from datetime import datetime

from stockguard.domain import errors
from stockguard.services.suppliers import country_risk
from stockguard.services.suppliers.model import SupplierRating
from stockguard.services.suppliers.ports import RatingStore
from stockguard.services.suppliers.risk_settings import RiskSettings

MAX_UTILISATION = 1.5


def validate_rating(
    supplier: str,
    *,
    financial: str | None,
    capacity: float | None,
    hazard_zone: str | None,
    settings: RiskSettings,
    at: datetime,
) -> SupplierRating:
    """A rating whose every value the risk formula knows.

    Raises:
        errors.InvalidParameter: naming the value and what is allowed.
    """
    letter = financial.strip().upper() if financial else None
    if letter is not None and letter not in settings.financial_scale:
        allowed = ", ".join(settings.financial_scale)
        raise errors.InvalidParameter("financial", financial, f"is not one of {allowed}")
    if capacity is not None and not 0 <= capacity <= MAX_UTILISATION:
        raise errors.InvalidParameter(
            "capacity", capacity, f"must be a share between 0 and {MAX_UTILISATION} (0.8 = 80 %)"
        )
    zone = hazard_zone.strip().lower() if hazard_zone else None
    if zone is not None and zone not in settings.hazard_zones:
        allowed = ", ".join(settings.hazard_zones)
        raise errors.InvalidParameter("hazard_zone", hazard_zone, f"is not one of {allowed}")
    return SupplierRating(supplier, letter, capacity, zone, at)


def rate_supplier(
    store: RatingStore,
    supplier: str,
    *,
    financial: str | None,
    capacity: float | None,
    hazard_zone: str | None,
    settings: RiskSettings,
    at: datetime,
) -> SupplierRating:
    """Validate and store (replacing the previous one) a supplier's rating.

    Raises:
        errors.UnknownSupplier: when there is no such supplier.
        errors.InvalidParameter: when a value is outside what the formula knows.
    """
    rating = validate_rating(
        supplier, financial=financial, capacity=capacity, hazard_zone=hazard_zone,
        settings=settings, at=at,
    )  # fmt: skip
    if not store.supplier_exists(supplier):
        raise errors.UnknownSupplier(supplier)
    store.save_rating(rating)
    return rating


def set_country_risk(
    store: RatingStore, country: str, score: float, *, source: str | None, at: datetime
) -> str:
    """Store a country's risk override in [0, 1]; returns the country key it is stored as."""
    if not 0 <= score <= 1:
        raise errors.InvalidParameter("score", score, "must be between 0 and 1")
    key = country_risk.country_key(country)
    if not key:
        raise errors.InvalidParameter("country", country, "cannot be empty")
    store.save_country_scores([(key, score)], source=source, at=at)
    return key
