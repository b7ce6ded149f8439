"""Order quantities rounded up to the minimum order quantity and pack size."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.planning.inventory import rounding


def test_need_is_rounded_to_moq_then_to_whole_packs_and_the_steps_are_recorded() -> None:
    result = rounding.round_order_quantities(
        quantity=np.array([37.2, 0.0, -4.0, 61.0]), minimum_order_quantity=50, pack_size=12
    )
    assert result.quantity.tolist() == [60, 0, 0, 72]
    assert result.quantity.dtype == np.int64
    assert result.added_by_minimum.tolist() == [12, 0, 0, 0]
    assert result.added_by_pack.tolist() == [10, 0, 0, 11]
    np.testing.assert_allclose(result.added, [22.8, 0.0, 0.0, 11.0])


@given(
    need=st.floats(min_value=0.0, max_value=1e6, allow_nan=False),
    minimum=st.integers(min_value=0, max_value=1000),
    pack=st.integers(min_value=1, max_value=500),
)
def test_rounded_quantity_covers_the_need_and_moq_in_whole_packs(
    need: float, minimum: int, pack: int
) -> None:
    result = rounding.round_order_quantities(
        quantity=np.array([need]), minimum_order_quantity=minimum, pack_size=pack
    )
    quantity = int(result.quantity[0])
    assert quantity % pack == 0
    if need > 1e-9:
        assert quantity >= need - 1e-9
        assert quantity >= minimum
        assert quantity - pack < max(np.ceil(need - 1e-9), minimum)
        assert (
            result.added_by_minimum[0] + result.added_by_pack[0] + np.ceil(need - 1e-9) == quantity
        )
    elif need == 0.0:
        assert quantity == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"quantity": [1.0, np.nan]}, "quantity: row 1 is NaN"),
        ({"quantity": [1.0], "pack_size": 0}, "pack_size: row 0 is 0.0"),
        ({"quantity": [1.0], "pack_size": 2.5}, "pack_size: row 0 is 2.5, expected a whole"),
        ({"quantity": [1.0], "minimum_order_quantity": -1}, "minimum_order_quantity: row 0"),
    ],
)
def test_invalid_inputs_are_refused(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rounding.round_order_quantities(**arguments)
