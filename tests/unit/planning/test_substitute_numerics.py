"""Co-purchase association, attribute similarity and neighbour ranking on hand-made data."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import sparse

from stockguard.planning.substitutes import copurchase, ranking, similarity


def _baskets(*baskets: list[int], n_items: int) -> sparse.csr_matrix:
    basket = [b for b, items in enumerate(baskets) for _ in items]
    item = [i for items in baskets for i in items]
    return copurchase.basket_matrix(
        np.array(basket, np.int64), np.array(item, np.int64), len(baskets), n_items
    )


def test_copurchase_is_the_shrunk_cosine_of_basket_counts() -> None:
    # item 0 in 3 baskets, item 1 in 2 (both with 0), item 2 once with 0, item 3 alone
    matrix = _baskets([0, 1], [0, 1, 1], [0, 2], [3], n_items=4)
    assoc = copurchase.association(matrix, shrinkage=1.0).toarray()
    assert assoc[0, 1] == pytest.approx(2 / math.sqrt(3 * 2) * 2 / 3)
    assert assoc[0, 2] == pytest.approx(1 / math.sqrt(3 * 1) * 1 / 2)
    assert assoc[1, 0] == assoc[0, 1]
    assert np.all(np.diag(assoc) == 0)
    assert assoc[3].sum() == 0  # never bought with anything
    assert copurchase.popularity(matrix).tolist() == [3.0, 2.0, 1.0, 1.0]


def test_shrinkage_lowers_rare_pairs_more_than_frequent_ones() -> None:
    frequent = _baskets(*([[0, 1]] * 20), n_items=2)
    rare = _baskets([0, 1], n_items=2)
    assert copurchase.association(frequent, 5.0)[0, 1] == pytest.approx(20 / 25)
    assert copurchase.association(rare, 5.0)[0, 1] == pytest.approx(1 / 6)
    assert copurchase.association(rare, 0.0)[0, 1] == pytest.approx(1.0)


def _catalogue() -> similarity.CatalogueArrays:
    tokens = similarity.token_matrix(
        [["colour=red", "size=l"], ["colour=blue", "size=l"], ["colour=red"], ["x"]]
    )
    return similarity.CatalogueArrays(
        family=np.array([0, 0, -1, -1]),
        category=np.array([0, 0, 0, 1]),
        tokens=tokens,
        price=np.array([10.0, 10.0, 20.0, 10.0]),
    )


def test_attribute_similarity_blends_family_category_jaccard_and_price() -> None:
    weights = similarity.SimilarityWeights(
        family=0.4, category=0.25, attributes=0.35, price=0.3, price_scale=0.5
    )
    sim = similarity.similarity_block(np.arange(4), _catalogue(), weights)
    # 0 vs 1: same family and category, Jaccard 1/3, same price
    assert sim[0, 1] == pytest.approx(0.4 + 0.25 + 0.35 / 3)
    # 0 vs 2: same category, Jaccard 1/2, price twice as high
    closeness = math.exp(-math.log(2) / 0.5)
    assert sim[0, 2] == pytest.approx((0.25 + 0.35 / 2) * (0.7 + 0.3 * closeness))
    # 0 vs 3: nothing in common; the same price alone does not make them similar
    assert sim[0, 3] == 0.0
    assert np.all(np.diag(sim) == 0)
    np.testing.assert_allclose(sim, sim.T)


def test_neighbours_rank_substitutes_and_complements_with_deterministic_ties() -> None:
    catalogue = _catalogue()
    # 0 bought with 3 twice: a complement, not a substitute by attributes
    assoc = copurchase.association(_baskets([0, 3], [0, 3], [1, 2], n_items=4), 0.0)
    found = ranking.neighbours(catalogue, assoc, k=3, chunk=2)
    subs = found.kind == ranking.SUBSTITUTE
    of_zero = (found.source == 0) & subs
    assert found.neighbour[of_zero].tolist() == [1, 3, 2]  # similar first, then co-bought
    assert found.rank[of_zero].tolist() == [1, 2, 3]
    comp_zero = (found.source == 0) & ~subs
    assert found.neighbour[comp_zero].tolist() == [3]  # only co-purchase makes a complement
    # item 3 is like nothing else: its only substitute is what it was bought with
    assert found.neighbour[(found.source == 3) & subs].tolist() == [0]
    # equal scores are ordered by product position (products are sorted by SKU)
    tied = ranking._top_k(np.array([[0.5, 0.2, 0.5, 0.5]]), 3)
    assert tied[1].tolist() == [0, 2, 3]


def test_personal_boost_lifts_items_and_categories_the_customer_bought() -> None:
    score = np.array([0.5, 0.4, 0.3])
    boosted = ranking.personal_scores(
        score, np.array([False, False, True]), np.array([False, True, True])
    )
    assert boosted.tolist() == pytest.approx([0.5, 0.5, 0.7])


def test_invalid_weights_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="not all 0"):
        similarity.SimilarityWeights(family=0, category=0, attributes=0)
    with pytest.raises(ValueError, match="personal boosts"):
        ranking.RankWeights(customer_item=-1)
    with pytest.raises(ValueError, match="shrinkage"):
        copurchase.association(_baskets([0], n_items=1), -1.0)
