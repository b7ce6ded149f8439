"""Array aliases and the input checks shared by the inventory kernels.

The kernels validate their inputs once, at the public function, and report the first
offending row by name, index and value, so a caller can point at the SKU x location.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def as_float(name: str, values: Any, size: int | None = None) -> FloatArray:
    """``values`` as a float64 array of shape (size,) (scalars are broadcast).

    Raises:
        ValueError: when the shape does not match or a value is NaN.
    """
    array = np.asarray(values, dtype=np.float64)
    if size is not None:
        if array.ndim == 0:
            array = np.full(size, float(array))
        elif array.shape != (size,):
            raise ValueError(f"{name}: expected shape ({size},), got {array.shape}")
    bad = np.flatnonzero(np.isnan(array.reshape(-1)))
    if bad.size:
        raise ValueError(f"{name}: row {int(bad[0])} is NaN")
    return array


def check_range(
    name: str,
    values: FloatArray,
    *,
    low: float,
    high: float = np.inf,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    rows: BoolArray | None = None,
) -> None:
    """Raise ValueError naming the first row (among ``rows``) outside ``[low, high]``."""
    above_low = values >= low if low_inclusive else values > low
    below_high = values <= high if high_inclusive else values < high
    bad = ~(above_low & below_high)
    if rows is not None:
        bad &= rows
    index = np.flatnonzero(bad.reshape(-1))
    if index.size:
        first = int(index[0])
        interval = f"{'[' if low_inclusive else '('}{low}, {high}{']' if high_inclusive else ')'}"
        value = float(values.reshape(-1)[first])
        raise ValueError(f"{name}: row {first} is {value!r}, expected a value in {interval}")
