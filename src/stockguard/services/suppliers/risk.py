"""The supplier risk score (``planning.suppliers.risk``) from ratings, country and history.

Components, each a risk in [0, 1] (docs/suppliers.md has the formula and the defaults):

- ``financial``: the buyer's rating letter through ``financial_scale``;
- ``capacity``: the buyer's capacity utilisation ``u``: ``clip((u - knee) / (1 - knee))``;
- ``country``: the supplier's country through the country table (OECD-based defaults);
- ``hazard``: the buyer's natural-hazard zone through ``hazard_zones``;
- ``single_source``: the share of the supplier's spend on SKUs only it supplies (by
  count of SKUs when it has no priced spend);
- ``spend_share``: its share of total spend.
Unknown components take the configured ``unknown`` value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.suppliers import risk as kernels
from stockguard.services.suppliers import arrays, country_risk, sources
from stockguard.services.suppliers.model import (
    OfferFacts,
    OrderLineFacts,
    SupplierFacts,
    SupplierRating,
)
from stockguard.services.suppliers.risk_settings import COMPONENTS, RiskSettings


@dataclass(frozen=True, slots=True)
class SupplierRisk:
    """One supplier's score in [0, 1], its components (None = unknown, default used) and
    each component's contribution to the score (they sum to it)."""

    supplier: str
    name: str
    country: str | None
    score: float
    components: dict[str, float | None]
    contributions: dict[str, float]
    financial_rating: str | None
    capacity_utilisation: float | None
    hazard_zone: str | None
    skus: int
    single_source_skus: int
    spend: float
    currency: str | None


@dataclass(frozen=True, slots=True)
class RiskInputs:
    suppliers: Sequence[SupplierFacts]
    lines: Sequence[OrderLineFacts]
    offers: Sequence[OfferFacts]
    ratings: Sequence[SupplierRating]
    country_overrides: Mapping[str, float]


def supplier_risks(
    inputs: RiskInputs, settings: RiskSettings, *, currency: str | None = None
) -> list[SupplierRisk]:
    """Every supplier's risk, highest score first."""
    if not inputs.suppliers:
        return []
    spend_currency = currency or arrays.main_currency(inputs.lines)
    by_sku = sources.sources_by_sku(inputs.lines, inputs.offers)
    spend = sources.spend_by_supplier_sku(inputs.lines, spend_currency)
    ratings = {r.supplier: r for r in inputs.ratings}
    total_spend = sum(spend.values())
    supplied = sources.skus_by_supplier(by_sku)
    context = _Context(by_sku, supplied, spend, inputs, settings, total_spend)
    rows = [_components(s, ratings.get(s.code), context) for s in inputs.suppliers]
    matrix = np.array([[c[name] for name in COMPONENTS] for c, _ in rows], dtype=np.float64)
    scores = kernels.risk_scores(
        components=matrix,
        weights=np.array([settings.weights[name] for name in COMPONENTS]),
        unknown_value=np.array([settings.unknown[name] for name in COMPONENTS]),
    )
    out = [
        _risk(supplier, ratings.get(supplier.code), rows[i], scores, i, spend_currency)
        for i, supplier in enumerate(inputs.suppliers)
    ]
    return sorted(out, key=lambda r: (-r.score, r.supplier))


@dataclass(frozen=True, slots=True)
class _Context:
    by_sku: Mapping[str, set[str]]
    supplied: Mapping[str, list[str]]
    spend: Mapping[tuple[str, str], float]
    inputs: RiskInputs
    settings: RiskSettings
    total_spend: float


def _components(
    supplier: SupplierFacts, rating: SupplierRating | None, context: _Context
) -> tuple[dict[str, float], dict[str, float]]:
    by_sku, spend, settings = context.by_sku, context.spend, context.settings
    supplied, total_spend = context.supplied, context.total_spend
    skus = supplied.get(supplier.code, [])
    single = [sku for sku in skus if len(by_sku[sku]) == 1]
    own = sum(spend.get((supplier.code, sku), 0.0) for sku in skus)
    own_single = sum(spend.get((supplier.code, sku), 0.0) for sku in single)
    single_share = _single_share(own, own_single, len(single), len(skus))
    country = country_risk.country_score(
        supplier.country, context.inputs.country_overrides, settings.countries
    )
    values = {
        "financial": _lookup(settings.financial_scale, rating.financial_rating if rating else None),
        "capacity": _capacity(rating, settings),
        "country": np.nan if country is None else country,
        "hazard": _lookup(settings.hazard_zones, rating.hazard_zone if rating else None),
        "single_source": single_share,
        "spend_share": own / total_spend if total_spend > 0 else np.nan,
    }
    facts = {"skus": float(len(skus)), "single": float(len(single)), "spend": own}
    return values, facts


def _single_share(spend: float, single_spend: float, single: int, skus: int) -> float:
    if spend > 0:
        return single_spend / spend
    return single / skus if skus else np.nan


def _lookup(table: Mapping[str, float], key: str | None) -> float:
    if not key:
        return np.nan
    return table.get(key, table.get(key.upper(), table.get(key.lower(), np.nan)))


def _capacity(rating: SupplierRating | None, settings: RiskSettings) -> float:
    if rating is None or rating.capacity_utilisation is None:
        return np.nan
    utilisation = np.array([rating.capacity_utilisation])
    return float(kernels.capacity_risk(utilisation, knee=settings.capacity_knee)[0])


def _risk(
    supplier: SupplierFacts,
    rating: SupplierRating | None,
    row: tuple[dict[str, float], dict[str, float]],
    scores: kernels.RiskScores,
    i: int,
    currency: str | None,
) -> SupplierRisk:
    values, facts = row
    return SupplierRisk(
        supplier=supplier.code,
        name=supplier.name,
        country=supplier.country,
        score=float(scores.score[i]),
        components={k: (None if np.isnan(v) else float(v)) for k, v in values.items()},
        contributions={k: float(scores.contributions[i, j]) for j, k in enumerate(COMPONENTS)},
        financial_rating=rating.financial_rating if rating else None,
        capacity_utilisation=rating.capacity_utilisation if rating else None,
        hazard_zone=rating.hazard_zone if rating else None,
        skus=int(facts["skus"]),
        single_source_skus=int(facts["single"]),
        spend=facts["spend"],
        currency=currency,
    )


def risk_by_supplier(risks: Sequence[SupplierRisk]) -> dict[str, float]:
    """Supplier code -> score, for sourcing (``planning.inventory.sourcing`` offer risk)."""
    return {r.supplier: r.score for r in risks}
