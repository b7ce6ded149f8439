"""``planning.risk.rate_ratio``: the docstring's worked example, out-of-stock days left
out of both sums, no origins giving 1, rate-0 origins ignored, validation, and two
properties: ``b = 1`` when every estimate equals what sold, and ``b`` never falls as
sales rise. ``figures.assess`` reads the rate ``b mu``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.risk import figures, rate_ratio
from stockguard.planning.risk.drift import LevelDrift

H = rate_ratio.AHEAD


def test_the_docstring_example_gives_1_15() -> None:
    n = 200
    found = rate_ratio.estimate_rate_ratio(
        estimated_rate=np.ones(n),
        realised=np.full((n, H), 1.3),
        in_stock=np.ones((n, H), dtype=bool),
        edges=np.zeros(0),
    )
    assert found.ratio == pytest.approx([1.15])
    assert found.origins.tolist() == [n]


def test_days_out_of_stock_count_in_neither_sum() -> None:
    """Each origin sold 2 a day on its 7 in-stock days and 0 on the 7 out-of-stock days
    (an empty shelf, not a lack of demand): with those left out, 2 per unit of 1."""
    n = 400
    sold = np.tile(np.r_[np.full(7, 2.0), np.zeros(7)], (n, 1))
    in_stock = np.tile(np.r_[np.ones(7), np.zeros(7)].astype(bool), (n, 1))

    found = rate_ratio.estimate_rate_ratio(
        estimated_rate=np.ones(n), realised=sold, in_stock=in_stock, edges=np.zeros(0)
    )

    # M = 400 x 7, F = 2 M, pseudo = 200 x 7 = M / 2: (2M + M/2) / (M + M/2) = 5/3
    assert found.ratio == pytest.approx([5.0 / 3.0])


def test_without_origins_every_band_is_1_and_rate_0_origins_are_left_out() -> None:
    empty = rate_ratio.estimate_rate_ratio(
        estimated_rate=np.zeros(0),
        realised=np.zeros((0, H)),
        in_stock=np.zeros((0, H), dtype=bool),
        edges=np.array([1.0, 5.0]),
    )
    assert empty.ratio.tolist() == [1.0, 1.0, 1.0]
    assert empty.origins.tolist() == [0, 0, 0]

    zero_rate = rate_ratio.estimate_rate_ratio(
        estimated_rate=np.zeros(50),
        realised=np.full((50, H), 3.0),
        in_stock=np.ones((50, H), dtype=bool),
        edges=np.array([1.0]),
    )
    assert zero_rate.ratio.tolist() == [1.0, 1.0]
    assert zero_rate.origins.tolist() == [0, 0]


def test_each_band_gets_its_own_ratio() -> None:
    """Slow SKUs (0.5/day) sold twice their estimate, fast ones (10/day) exactly it."""
    n = 2000
    mu = np.r_[np.full(n, 0.5), np.full(n, 10.0)]
    sold = np.r_[np.full((n, H), 1.0), np.full((n, H), 10.0)]

    found = rate_ratio.estimate_rate_ratio(
        estimated_rate=mu, realised=sold, in_stock=np.ones(sold.shape, bool), edges=[2.0]
    )

    # slow: (2M + 0.1 M) / (M + 0.1 M) = 2.1 / 1.1
    assert found.ratio == pytest.approx([2.1 / 1.1, 1.0])
    assert found(np.array([0.1, 1.99, 2.0, 50.0])).tolist() == pytest.approx(
        [2.1 / 1.1, 2.1 / 1.1, 1.0, 1.0]
    )
    again = rate_ratio.RateRatio.from_json(found.to_json())
    assert again.to_json() == found.to_json()


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"estimated_rate": [-1.0]}, "finite and >= 0"),
        ({"estimated_rate": [1.0, 2.0]}, "must be \\(n, h\\)"),
        ({"realised": [[np.nan] * H]}, "in-stock days must be finite"),
        ({"edges": [2.0, 1.0]}, "edges must be finite and increase"),
        ({"prior_origins": -1.0}, "prior_origins must be >= 0"),
    ],
)
def test_malformed_inputs_are_refused(kwargs: dict[str, object], reason: str) -> None:
    args: dict[str, object] = {
        "estimated_rate": [1.0],
        "realised": [[1.0] * H],
        "in_stock": [[True] * H],
        "edges": [],
    }
    with pytest.raises(ValueError, match=reason):
        rate_ratio.estimate_rate_ratio(**{**args, **kwargs})  # type: ignore[arg-type]


def test_a_malformed_ratio_is_refused() -> None:
    with pytest.raises(ValueError, match="finite and > 0"):
        rate_ratio.RateRatio(np.zeros(0), np.array([0.0]), np.zeros(1, dtype=np.int64))
    with pytest.raises(ValueError, match="one more band"):
        rate_ratio.RateRatio(np.array([1.0]), np.array([1.0]), np.zeros(1, dtype=np.int64))


_origins = st.lists(
    st.tuples(
        st.floats(0.01, 50.0),
        st.lists(st.integers(0, 40), min_size=H, max_size=H),
        st.lists(st.booleans(), min_size=H, max_size=H),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(_origins, st.floats(0.0, 500.0))
def test_estimates_equal_to_what_sold_give_1(origins: list, prior: float) -> None:  # type: ignore[type-arg]
    """Sales equal to the estimate on every in-stock day: ``b = 1`` in every band."""
    mu = np.array([o[0] for o in origins])
    in_stock = np.array([o[2] for o in origins], dtype=bool)
    sold = np.where(in_stock, mu[:, None], np.nan)

    found = rate_ratio.estimate_rate_ratio(
        estimated_rate=mu, realised=sold, in_stock=in_stock, edges=[0.5, 5.0], prior_origins=prior
    )

    assert found.ratio == pytest.approx(np.ones(3), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(_origins, st.integers(0, 29), st.integers(1, 20))
def test_selling_more_never_lowers_the_ratio(origins: list, which: int, extra: int) -> None:  # type: ignore[type-arg]
    mu = np.array([o[0] for o in origins])
    sold = np.array([o[1] for o in origins], dtype=np.float64)
    in_stock = np.array([o[2] for o in origins], dtype=bool)
    i = which % mu.size
    more = sold.copy()
    more[i] += extra * in_stock[i]

    args = {"estimated_rate": mu, "in_stock": in_stock, "edges": [0.5, 5.0]}
    before = rate_ratio.estimate_rate_ratio(realised=sold, **args)  # type: ignore[arg-type]
    after = rate_ratio.estimate_rate_ratio(realised=more, **args)  # type: ignore[arg-type]

    assert np.all(after.ratio >= before.ratio - 1e-12)


def test_the_figures_read_the_rate_b_mu_with_the_drift_of_mu() -> None:
    """A basis at rate 1 with b = 2 gives the figures of a basis at rate 2 (variance
    doubled), except that the drift's band is still that of 1."""
    basis = _basis(mu=1.0, var=1.0)
    doubled = rate_ratio.RateRatio(np.zeros(0), np.array([2.0]), np.array([1]))
    drift = LevelDrift(np.array([1.5]), np.array([0.3, 0.01]), np.array([1, 1]))
    stock = {"available": [8.0], "position": [30.0]}

    read = figures.assess(basis=basis, drift=drift, rate_ratio=doubled, **stock)  # type: ignore[arg-type]
    faster = figures.assess(
        basis=_basis(mu=2.0, var=2.0),
        drift=LevelDrift(np.zeros(0), np.array([0.3]), np.array([1])),
        **stock,  # type: ignore[arg-type]
    )
    plain = figures.assess(basis=basis, drift=drift, **stock)  # type: ignore[arg-type]

    assert read.probability == pytest.approx(faster.probability, rel=1e-12)
    assert read.days_of_cover == pytest.approx([4.0])
    assert plain.days_of_cover == pytest.approx([8.0])
    assert read.probability[0] > plain.probability[0] + 0.05


def _basis(*, mu: float, var: float) -> figures.RiskBasisArrays:
    """One row with an open order due in 6 days from an on-time supplier."""

    def one(value: float) -> np.ndarray:
        return np.array([value])

    return figures.RiskBasisArrays(
        demand_mean=one(mu),
        demand_var=one(var),
        lead_time_mean=one(7.0),
        lead_time_var=one(0.0),
        reorder_point=one(5.0),
        days_to_receipt=one(6.0),
        receipt_delay_mean=one(0.0),
        receipt_delay_var=one(0.0),
        unit_price=one(3.0),
    )
