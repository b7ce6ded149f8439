"""Neighbour lists (substitutes and complements) and the personal re-ranking.

For source ``i`` and candidate ``j``, with ``s_ij`` the attribute similarity
(``similarity``) and ``a_ij`` the co-purchase association (``copurchase``):

    substitute_ij = w_s s_ij + w_a a_ij          (w_s + w_a = 1; defaults 0.6 / 0.4)
    complement_ij = a_ij x (1 - w_x s_ij)        (w_x = 0.5: near-copies rank lower)

Candidates with a zero score are dropped; each source keeps its ``k`` best (score
descending, then product position ascending, so ties are deterministic when products are
ordered by SKU). At request time a customer's history adds

    score'_j = score_j + b_item [customer bought j] + b_category [customer bought j's category]

(defaults 0.3 and 0.1), then the same ordering applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from stockguard.planning.substitutes.similarity import (
    CatalogueArrays,
    SimilarityWeights,
    similarity_block,
)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SUBSTITUTE = 0
COMPLEMENT = 1
BLOCK_CELLS = 2_000_000
"""Largest dense block (sources x products) held at once: ~16 MB per float array."""


@dataclass(frozen=True, slots=True)
class RankWeights:
    """``similarity`` (w_s) and ``copurchase`` (w_a) of the substitute score;
    ``complement_similarity_penalty`` (w_x); personal boosts ``customer_item`` (b_item)
    and ``customer_category`` (b_category), in score units."""

    similarity: float = 0.6
    copurchase: float = 0.4
    complement_similarity_penalty: float = 0.5
    customer_item: float = 0.3
    customer_category: float = 0.1

    def __post_init__(self) -> None:
        if min(self.similarity, self.copurchase) < 0 or self.similarity + self.copurchase <= 0:
            raise ValueError("similarity and copurchase weights must be >= 0, not both 0")
        if not 0.0 <= self.complement_similarity_penalty <= 1.0:
            raise ValueError("complement_similarity_penalty must be in [0, 1]")
        if min(self.customer_item, self.customer_category) < 0:
            raise ValueError("personal boosts must be >= 0")


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Flat neighbour lists, one entry per (source, kind, rank): ``source``,
    ``neighbour`` (product positions), ``kind`` (0 substitute, 1 complement), ``rank``
    (1 = best), ``score``, ``similarity`` (s_ij), ``copurchase`` (a_ij); all ``(m,)``."""

    source: IntArray
    neighbour: IntArray
    kind: IntArray
    rank: IntArray
    score: FloatArray
    similarity: FloatArray
    copurchase: FloatArray


def _top_k(scores: FloatArray, k: int) -> tuple[IntArray, IntArray]:
    """Row and column positions of each row's ``k`` best positive scores, ordered by
    score descending then column ascending; ``scores`` ``(rows, n)``."""
    n = scores.shape[1]
    keep = min(k, n)
    # stable sort on -score keeps columns ascending among equal scores
    order = np.argsort(-scores, axis=1, kind="stable")[:, :keep]
    top = np.take_along_axis(scores, order, axis=1)
    rows, ranks = np.nonzero(top > 0)
    return rows.astype(np.int64), order[rows, ranks].astype(np.int64)


def neighbours(
    catalogue: CatalogueArrays,
    association: sparse.csr_matrix,
    *,
    k: int = 30,
    weights: RankWeights | None = None,
    similarity_weights: SimilarityWeights | None = None,
    chunk: int = 256,
    candidates: BoolArray | None = None,
) -> Neighbours:
    """The ``k`` best substitutes and complements of every product.

    ``association``: ``(n, n)`` CSR of ``a_ij``. Works on ``chunk`` sources at a time
    (``chunk x n`` dense blocks, fewer rows when ``n`` is large so a block stays under
    ``BLOCK_CELLS``), vectorised within a block. ``candidates`` ``(n,)``: the products
    that may be proposed (default all); every product is a source, so a discontinued one
    still gets a list of active alternatives.
    """
    weights = weights or RankWeights()
    similarity_weights = similarity_weights or SimilarityWeights()
    n = catalogue.size
    chunk = max(1, min(chunk, BLOCK_CELLS // max(n, 1)))
    total = weights.similarity + weights.copurchase
    parts: list[tuple[IntArray, ...]] = []
    floats: list[tuple[FloatArray, ...]] = []
    for start in range(0, n, chunk):
        rows = np.arange(start, min(start + chunk, n), dtype=np.int64)
        sim = similarity_block(rows, catalogue, similarity_weights)
        assoc = np.asarray(association[rows].todense(), dtype=np.float64)
        substitute = (weights.similarity * sim + weights.copurchase * assoc) / total
        complement = assoc * (1.0 - weights.complement_similarity_penalty * sim)
        if candidates is not None:  # a zero score is never kept (``_top_k``)
            substitute[:, ~candidates] = 0.0
            complement[:, ~candidates] = 0.0
        for kind, scores in ((SUBSTITUTE, substitute), (COMPLEMENT, complement)):
            local, column = _top_k(scores, k)
            rank = _ranks(local)
            parts.append((rows[local], column, np.full(local.shape, kind, np.int64), rank))
            floats.append((scores[local, column], sim[local, column], assoc[local, column]))
    if not parts:
        empty_i = np.zeros(0, np.int64)
        empty_f = np.zeros(0, np.float64)
        return Neighbours(empty_i, empty_i, empty_i, empty_i, empty_f, empty_f, empty_f)
    ints = [np.concatenate(column) for column in zip(*parts, strict=True)]
    reals = [np.concatenate(column) for column in zip(*floats, strict=True)]
    return Neighbours(*ints, *reals)


def _ranks(rows: IntArray) -> IntArray:
    """1-based rank of each entry within its row (``rows`` sorted, entries in order)."""
    if rows.size == 0:
        return np.zeros(0, np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, rows.size]))
    rank: IntArray = (np.arange(rows.size) - first + 1).astype(np.int64)
    return rank


def personal_scores(
    score: FloatArray,
    bought_item: BoolArray,
    bought_category: BoolArray,
    weights: RankWeights | None = None,
) -> FloatArray:
    """``score'`` of the candidates ``(m,)`` given the customer's history flags ``(m,)``."""
    weights = weights or RankWeights()
    boosted: FloatArray = (
        score + weights.customer_item * bought_item + weights.customer_category * bought_category
    )
    return boosted
