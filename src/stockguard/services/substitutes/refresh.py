"""Recompute every SKU's substitutes and complements and store them (one transaction).

Products are ordered by SKU, so equal scores rank by SKU. Their tokens are the
``key=value`` pairs of their attributes plus the words (3+ letters) of their titles;
baskets are the orders not cancelled. The numerics are ``planning.substitutes``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from stockguard.planning.substitutes import copurchase, ranking, similarity
from stockguard.services.substitutes.ports import CatalogueItem, NeighbourKind, NeighbourRecord
from stockguard.services.unit_of_work import UnitOfWork

WORD = re.compile(r"[a-z0-9]{3,}")
KINDS = {ranking.SUBSTITUTE: NeighbourKind.SUBSTITUTE, ranking.COMPLEMENT: NeighbourKind.COMPLEMENT}


@dataclass(frozen=True, slots=True)
class RefreshSettings:
    """``neighbours``: stored per SKU and kind; ``shrinkage``: co-purchase shrinkage in
    baskets; weights: see ``planning.substitutes.ranking``."""

    neighbours: int = 30
    shrinkage: float = copurchase.DEFAULT_SHRINKAGE
    weights: ranking.RankWeights = field(default_factory=ranking.RankWeights)
    similarity_weights: similarity.SimilarityWeights = field(
        default_factory=similarity.SimilarityWeights
    )

    def __post_init__(self) -> None:
        if not 1 <= self.neighbours <= 200:
            raise ValueError(f"neighbours must be between 1 and 200, got {self.neighbours}")


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    products: int
    baskets: int
    rows: int
    seconds: float


def tokens_of(item: CatalogueItem) -> list[str]:
    """The product's attribute tokens (``a:key=value``) and title words (``w:word``)."""
    attributes = [
        f"a:{str(key).lower()}={str(value).lower()}" for key, value in item.attributes.items()
    ]
    return attributes + [f"w:{word}" for word in WORD.findall(item.title.lower())]


def catalogue_arrays(items: Sequence[CatalogueItem]) -> similarity.CatalogueArrays:
    """Arrays of ``items`` (in their order) for ``planning.substitutes``."""
    return similarity.CatalogueArrays(
        family=_codes([item.family for item in items]),
        category=_codes([item.category for item in items]),
        tokens=similarity.token_matrix([tokens_of(item) for item in items]),
        price=np.array([item.price for item in items], dtype=np.float64),
    )


def _codes(values: list[str | None]) -> np.ndarray[tuple[int], np.dtype[np.int64]]:
    known = {value: code for code, value in enumerate(sorted({v for v in values if v}))}
    return np.array([known.get(value, -1) if value else -1 for value in values], np.int64)


def basket_positions(
    lines: Sequence[tuple[str, str]], position: dict[str, int]
) -> tuple[copurchase.IntArray, copurchase.IntArray, int]:
    """Basket and item positions of the lines whose SKU is in ``position``."""
    baskets: dict[str, int] = {}
    basket_index: list[int] = []
    item_index: list[int] = []
    for order, sku in lines:
        item = position.get(sku)
        if item is None:
            continue
        basket_index.append(baskets.setdefault(order, len(baskets)))
        item_index.append(item)
    return np.array(basket_index, np.int64), np.array(item_index, np.int64), len(baskets)


def compute_neighbours(
    items: Sequence[CatalogueItem],
    lines: Sequence[tuple[str, str]],
    settings: RefreshSettings,
) -> tuple[list[NeighbourRecord], int]:
    """Neighbour records of ``items`` (sorted by SKU here) and the number of baskets."""
    ordered = sorted(items, key=lambda item: item.sku)
    position = {item.sku: index for index, item in enumerate(ordered)}
    basket_index, item_index, n_baskets = basket_positions(lines, position)
    matrix = copurchase.basket_matrix(basket_index, item_index, n_baskets, len(ordered))
    association = copurchase.association(matrix, settings.shrinkage)
    found = ranking.neighbours(
        catalogue_arrays(ordered),
        association,
        k=settings.neighbours,
        weights=settings.weights,
        similarity_weights=settings.similarity_weights,
        candidates=np.array([item.active for item in ordered], dtype=np.bool_),
    )
    records = [
        NeighbourRecord(
            sku=ordered[source].sku,
            kind=KINDS[kind],
            neighbour=ordered[neighbour].sku,
            rank=rank,
            score=round(score, 6),
            similarity=round(sim, 6),
            copurchase=round(assoc, 6),
        )
        for source, neighbour, kind, rank, score, sim, assoc in zip(
            found.source.tolist(),
            found.neighbour.tolist(),
            found.kind.tolist(),
            found.rank.tolist(),
            found.score.tolist(),
            found.similarity.tolist(),
            found.copurchase.tolist(),
            strict=True,
        )
    ]
    return records, n_baskets


def refresh_substitutes(
    uow: UnitOfWork, *, now: datetime, settings: RefreshSettings | None = None
) -> RefreshSummary:
    """Rewrite the neighbour table from the catalogue and the order history: every
    product gets lists (a discontinued one too), only active products are proposed."""
    settings = settings or RefreshSettings()
    started = time.perf_counter()
    with uow:
        items = uow.substitutes.catalogue()
        records, n_baskets = compute_neighbours(items, uow.substitutes.basket_lines(), settings)
        uow.substitutes.replace_neighbours(records, now)
        uow.commit()
    return RefreshSummary(
        products=len(items),
        baskets=n_baskets,
        rows=len(records),
        seconds=round(time.perf_counter() - started, 3),
    )
