"""The substitutes and complements of one SKU for a storefront request.

One read of the stored neighbours (joined with their products and available stock), then:
drop every candidate that is not active or has nothing available at the requested
locations (on hand less allocated and reserved > 0; default every sellable location);
with a customer id, add the personal boosts (``planning.substitutes.ranking``); order by
score descending then SKU; keep ``limit`` of each kind. Substitutes carry the promotion's
discount (the source SKU's, else the global one) and their discounted price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from stockguard.domain import errors
from stockguard.planning.substitutes import ranking
from stockguard.services.substitutes.ports import Candidate, NeighbourKind, SubstituteReader

ACTIVE = "active"
CENT = Decimal("0.01")
MAX_LIMIT = 20


@dataclass(frozen=True, slots=True)
class Suggestion:
    sku: str
    title: str
    category: str | None
    price: Decimal
    currency: str
    available: int
    score: float
    discount_percent: Decimal | None
    discounted_price: Decimal | None
    reason: str
    """``similar``, ``bought together`` or ``similar and bought together``; ``, for you``
    is added when the customer's history boosted it."""


@dataclass(frozen=True, slots=True)
class SubstituteList:
    sku: str
    available: int
    substitutes: list[Suggestion]
    complements: list[Suggestion]


def _reason(candidate: Candidate, personal: bool) -> str:
    parts = []
    if candidate.similarity > 0:
        parts.append("similar")
    if candidate.copurchase > 0:
        parts.append("bought together")
    reason = " and ".join(parts) or "related"
    return f"{reason}, for you" if personal else reason


def _discounted(price: Decimal, percent: Decimal | None) -> Decimal | None:
    if percent is None:
        return None
    return (price * (Decimal(100) - percent) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


def rank_candidates(
    candidates: Sequence[Candidate],
    *,
    bought_skus: set[str] | None = None,
    bought_categories: set[str] | None = None,
    limit: int = 5,
    discount: Decimal | None = None,
    weights: ranking.RankWeights | None = None,
) -> dict[NeighbourKind, list[Suggestion]]:
    """In-stock, active candidates ranked per kind (see the module docstring)."""
    items = set(bought_skus or ())
    categories = set(bought_categories or ())
    kept = [c for c in candidates if c.available > 0 and c.status == ACTIVE]
    bought_item = np.array([c.neighbour in items for c in kept], dtype=np.bool_)
    bought_category = np.array(
        [c.category is not None and c.category in categories for c in kept], dtype=np.bool_
    )
    scores = ranking.personal_scores(
        np.array([c.score for c in kept], dtype=np.float64), bought_item, bought_category, weights
    ).tolist()
    boosted = (bought_item | bought_category).tolist()
    order = sorted(range(len(kept)), key=lambda i: (-round(scores[i], 9), kept[i].neighbour))
    result: dict[NeighbourKind, list[Suggestion]] = {kind: [] for kind in NeighbourKind}
    for i in order:
        candidate = kept[i]
        chosen = result[candidate.kind]
        if len(chosen) >= limit:
            continue
        percent = discount if candidate.kind is NeighbourKind.SUBSTITUTE else None
        chosen.append(
            Suggestion(
                sku=candidate.neighbour,
                title=candidate.title,
                category=candidate.category,
                price=candidate.price,
                currency=candidate.currency,
                available=candidate.available,
                score=round(scores[i], 6),
                discount_percent=percent,
                discounted_price=_discounted(candidate.price, percent),
                reason=_reason(candidate, boosted[i]),
            )
        )
    return result


def substitutes_for(
    reader: SubstituteReader,
    sku: str,
    *,
    locations: Sequence[str] | None = None,
    customer: str | None = None,
    limit: int = 5,
    weights: ranking.RankWeights | None = None,
) -> SubstituteList:
    """The SKU's in-stock substitutes and complements. Raises ``UnknownSku``,
    ``UnknownLocation``, ``InvalidParameter`` (limit outside 1..20)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise errors.InvalidParameter("limit", limit, f"must be between 1 and {MAX_LIMIT}")
    if reader.product_status(sku) is None:
        raise errors.UnknownSku(sku)
    wanted = list(locations) if locations else None
    if wanted:
        unknown = reader.unknown_locations(wanted)
        if unknown:
            raise errors.UnknownLocation(unknown[0])
    bought_skus, bought_categories = (
        reader.customer_history(customer)
        if customer
        else (
            set(),
            set(),
        )
    )
    ranked = rank_candidates(
        reader.candidates(sku, wanted),
        bought_skus=bought_skus,
        bought_categories=bought_categories,
        limit=limit,
        discount=reader.discount(sku),
        weights=weights,
    )
    return SubstituteList(
        sku=sku,
        available=reader.available(sku, wanted),
        substitutes=ranked[NeighbourKind.SUBSTITUTE],
        complements=ranked[NeighbourKind.COMPLEMENT],
    )
