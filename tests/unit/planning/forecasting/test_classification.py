from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings

from stockguard.planning.forecasting.classification import (
    CLASS_NAMES,
    ERRATIC,
    INTERMITTENT,
    LUMPY,
    NO_DEMAND,
    SMOOTH,
    classify_demand,
)
from unit.planning.forecasting._panels import panels


def ref_classify(row: list[float]) -> tuple[float, float, str]:
    observed = [v for v in row if not math.isnan(v)]
    sizes = [v for v in observed if v > 0]
    if not sizes:
        return math.nan, math.nan, "no_demand"
    through_last = max(i for i, v in enumerate(observed) if v > 0) + 1
    adi = through_last / len(sizes)
    mean = sum(sizes) / len(sizes)
    cv2 = sum((s / mean - 1) ** 2 for s in sizes) / len(sizes)  # var / mean², no underflow
    names = {(False, False): "smooth", (False, True): "erratic"}
    names |= {(True, False): "intermittent", (True, True): "lumpy"}
    name = names[(adi >= 1.32, cv2 >= 0.49)]
    return adi, cv2, name


@settings(max_examples=80, deadline=None)
@given(panels())
def test_classification_equals_scalar_reference(y: np.ndarray) -> None:
    result = classify_demand(y)
    expected = [ref_classify(r) for r in y.tolist()]
    np.testing.assert_allclose(result.adi, [e[0] for e in expected], rtol=1e-9)
    np.testing.assert_allclose(result.cv2, [e[1] for e in expected], rtol=1e-9, atol=1e-12)
    mismatched = [(e, n) for e, n in zip(expected, result.names, strict=True) if e[2] != n]
    # exact-threshold ties may round either way; no other mismatch is allowed
    assert all(abs(e[0] - 1.32) < 1e-9 or abs(e[1] - 0.49) < 1e-9 for e, _ in mismatched)


def test_crafted_series_of_each_class() -> None:
    y = np.array(
        [
            [5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0],  # smooth: ADI 1, CV2 ~0.008
            [1.0, 10.0, 1.0, 10.0, 1.0, 10.0, 1.0, 10.0],  # erratic: CV2 0.669
            [0.0, 0.0, 5.0, 0.0, 0.0, 5.0, 0.0, 5.0],  # intermittent: ADI 8/3
            [0.0, 0.0, 1.0, 0.0, 0.0, 10.0, 0.0, 1.0],  # lumpy
            [0.0, np.nan, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # no demand
            [np.nan] * 8,  # never observed
        ]
    )
    result = classify_demand(y)
    np.testing.assert_array_equal(
        result.code, [SMOOTH, ERRATIC, INTERMITTENT, LUMPY, NO_DEMAND, NO_DEMAND]
    )
    assert result.names[:4] == CLASS_NAMES[:4]
    np.testing.assert_allclose(result.adi[:4], [1.0, 1.0, 8 / 3, 8 / 3])
    np.testing.assert_allclose(result.cv2[1], 20.25 / 5.5**2)


def test_nan_is_neither_demand_nor_zero() -> None:
    # with NaN dropped the series is 0 5 0 5: ADI 2; read as zeros it would be 3
    y = np.array([[0.0, 5.0, np.nan, 0.0, 5.0, np.nan]])
    np.testing.assert_allclose(classify_demand(y).adi, [2.0])
