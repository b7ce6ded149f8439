"""Attribute similarity between products (family, category, attributes, price).

For products ``i`` and ``j``:

    match_ij = (w_f [family_i = family_j] + w_c [category_i = category_j]
                + w_a J_ij) / (w_f + w_c + w_a)
    J_ij     = |A_i and A_j| / |A_i or A_j|             (Jaccard of the attribute tokens)
    price_ij = exp(-|ln p_i - ln p_j| / price_scale)   (1 when a price is unknown)
    s_ij     = match_ij x (1 - w_p + w_p price_ij),   s_ii = 0

``A_i`` is the set of ``key=value`` tokens of product ``i``'s attributes (or its title's
words where a catalogue has no attributes). A missing family or category never matches.
``s`` is in [0, 1]; price only modulates a match, so two unrelated products at the same
price stay at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SimilarityWeights:
    """Weights of family, category and attribute matches, and of price closeness (in
    [0, 1]); ``price_scale``: the log-price distance at which closeness falls to 1/e."""

    family: float = 0.4
    category: float = 0.25
    attributes: float = 0.35
    price: float = 0.3
    price_scale: float = 0.5

    def __post_init__(self) -> None:
        match = (self.family, self.category, self.attributes)
        if min(match) < 0 or sum(match) <= 0:
            raise ValueError("family, category and attribute weights must be >= 0, not all 0")
        if not 0.0 <= self.price <= 1.0 or self.price_scale <= 0:
            raise ValueError("price weight must be in [0, 1] and price_scale > 0")


@dataclass(frozen=True, slots=True)
class CatalogueArrays:
    """The catalogue as arrays over ``n`` products: ``family`` and ``category`` codes
    ``(n,)`` (-1: none), ``tokens`` ``(n, n_tokens)`` binary CSR, ``price`` ``(n,)``
    (NaN or <= 0: unknown)."""

    family: IntArray
    category: IntArray
    tokens: sparse.csr_matrix
    price: FloatArray

    @property
    def size(self) -> int:
        return int(self.family.shape[0])


def similarity_block(
    rows: IntArray, catalogue: CatalogueArrays, weights: SimilarityWeights
) -> FloatArray:
    """``s_ij`` for the products ``rows`` against every product: ``(len(rows), n)``."""
    family = catalogue.family
    category = catalogue.category
    same_family = (family[rows, None] == family[None, :]) & (family[rows, None] >= 0)
    same_category = (category[rows, None] == category[None, :]) & (category[rows, None] >= 0)
    tokens = catalogue.tokens
    shared = np.asarray((tokens[rows] @ tokens.T).todense(), dtype=np.float64)
    sizes = np.asarray(tokens.getnnz(axis=1), dtype=np.float64)
    union = sizes[rows, None] + sizes[None, :] - shared
    jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    total = weights.family + weights.category + weights.attributes
    match = (
        weights.family * same_family + weights.category * same_category
        + weights.attributes * jaccard
    ) / total  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        log_price = np.where(catalogue.price > 0, np.log(catalogue.price), np.nan)
    distance = np.abs(log_price[rows, None] - log_price[None, :])
    closeness = np.where(np.isnan(distance), 1.0, np.exp(-distance / weights.price_scale))
    similarity: FloatArray = match * (1.0 - weights.price + weights.price * closeness)
    similarity[np.arange(rows.shape[0]), rows] = 0.0
    return similarity


def token_matrix(token_lists: list[list[str]]) -> sparse.csr_matrix:
    """Binary ``(n, n_tokens)`` CSR of each product's distinct tokens (vocabulary sorted)."""
    vocabulary = sorted({token for tokens in token_lists for token in tokens})
    position = {token: index for index, token in enumerate(vocabulary)}
    distinct = [sorted(set(tokens)) for tokens in token_lists]
    rows = [i for i, tokens in enumerate(distinct) for _ in tokens]
    cols = [position[token] for tokens in distinct for token in tokens]
    data = np.ones(len(rows), dtype=np.float64)
    shape = (len(token_lists), max(len(vocabulary), 1))
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)
