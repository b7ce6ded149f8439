"""ABC classes by revenue share and the service targets that follow from them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.planning.inventory import abc
from stockguard.planning.inventory.abc import AbcClass


def test_the_row_that_crosses_the_cutoff_stays_in_the_higher_class() -> None:
    result = abc.classify_abc(annual_revenue=np.array([10.0, 50.0, 4.0, 30.0, 6.0, 0.0]))
    assert result.abc_class.tolist() == [
        AbcClass.B,
        AbcClass.A,
        AbcClass.C,
        AbcClass.A,
        AbcClass.B,
        AbcClass.C,
    ]
    np.testing.assert_allclose(result.cumulative_share, [0.9, 0.5, 1.0, 0.8, 0.96, 1.0])


@given(revenue=st.lists(st.floats(0.0, 1e6), min_size=1, max_size=60))
def test_classes_hold_their_share_of_revenue(revenue: list[float]) -> None:
    result = abc.classify_abc(annual_revenue=np.array(revenue))
    values = np.array(revenue)
    total = values.sum()
    if total == 0:
        assert np.all(result.abc_class == AbcClass.C)
        return
    share = {c: values[result.abc_class == c].sum() / total for c in AbcClass}
    a_rows = values[result.abc_class == AbcClass.A]
    # A takes the top rows until 80% is reached, the crossing row included
    assert share[AbcClass.A] >= 0.80 - 1e-9
    assert share[AbcClass.A] - a_rows.min() / total < 0.80 + 1e-9
    assert share[AbcClass.A] + share[AbcClass.B] >= 0.95 - 1e-9
    assert np.all(values[result.abc_class != AbcClass.A] <= a_rows.min())


def test_overrides_replace_class_defaults_most_specific_last() -> None:
    targets = abc.service_targets(
        abc_class=np.array([AbcClass.A, AbcClass.B, AbcClass.C, AbcClass.C]),
        category_override=np.array([np.nan, 0.9, 0.93, 0.93]),
        location_override=np.array([np.nan, np.nan, 0.97, 0.97]),
        sku_override=np.array([np.nan, np.nan, np.nan, 0.99]),
    )
    np.testing.assert_allclose(targets, [0.98, 0.90, 0.97, 0.99])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: abc.classify_abc(annual_revenue=[1.0, -2.0]), "annual_revenue: row 1 is -2.0"),
        (lambda: abc.classify_abc(annual_revenue=[1.0], cutoffs=(0.9, 0.8)), "cutoffs"),
        (lambda: abc.service_targets(abc_class=[0], sku_override=[1.5]), "sku_override: row 0"),
    ],
)
def test_invalid_inputs_are_refused(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
