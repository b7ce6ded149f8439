"""Item-item co-purchase association from order baskets (sparse, vectorised).

With ``B`` the binary basket x item matrix (``B[b, i] = 1`` when basket ``b`` holds item
``i``), ``C = Bᵀ B`` counts the baskets holding both items (``C[i, i] = n_i``, the baskets
holding ``i``). The association is a cosine shrunk towards 0 for rare pairs:

    a_ij = C_ij / sqrt(n_i n_j) x C_ij / (C_ij + shrinkage)        (i != j),  a_ii = 0

The cosine is in [0, 1]; the shrinkage factor (``shrinkage`` baskets, e.g. 5) keeps two
items seen together once in two baskets from scoring 1. Only pairs seen together are
stored (scipy.sparse CSR).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

DEFAULT_SHRINKAGE = 5.0


def basket_matrix(
    basket_index: IntArray, item_index: IntArray, n_baskets: int, n_items: int
) -> sparse.csr_matrix:
    """Binary basket x item matrix ``(n_baskets, n_items)`` from order lines.

    ``basket_index`` and ``item_index`` are ``(n_lines,)`` positions; an item bought twice
    in one basket counts once.
    """
    if basket_index.shape != item_index.shape:
        raise ValueError("basket_index and item_index must have the same shape")
    ones = np.ones(basket_index.shape[0], dtype=np.float64)
    matrix = sparse.csr_matrix(
        (ones, (basket_index, item_index)), shape=(n_baskets, n_items), dtype=np.float64
    )
    matrix.data[:] = 1.0  # duplicates were summed; keep presence only
    return matrix


def association(
    baskets: sparse.csr_matrix, shrinkage: float = DEFAULT_SHRINKAGE
) -> sparse.csr_matrix:
    """Shrunk cosine ``a_ij`` (see the module docstring), ``(n_items, n_items)`` CSR with a
    zero diagonal. ``baskets``: ``(n_baskets, n_items)`` binary. ``shrinkage`` >= 0, in
    baskets."""
    if shrinkage < 0:
        raise ValueError(f"shrinkage must be >= 0 baskets, got {shrinkage}")
    together = (baskets.T @ baskets).tocsr()
    counts = np.asarray(baskets.sum(axis=0)).ravel()
    together.setdiag(0.0)
    together.eliminate_zeros()
    coo = together.tocoo()
    pair = coo.data
    cosine = pair / np.sqrt(counts[coo.row] * counts[coo.col])
    shrunk = cosine * pair / (pair + shrinkage)
    return sparse.csr_matrix((shrunk, (coo.row, coo.col)), shape=together.shape)


def popularity(baskets: sparse.csr_matrix) -> FloatArray:
    """Baskets holding each item, ``(n_items,)`` (the popularity baseline's score)."""
    return np.asarray(baskets.sum(axis=0), dtype=np.float64).ravel()
