"""ABC classes for alert scopes, from each SKU's revenue over a recent window."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from stockguard.planning.inventory.abc import AbcClass, classify_abc

REVENUE_WINDOW_DAYS = 90


def abc_by_revenue(revenue: Mapping[str, float]) -> dict[str, str]:
    """Class A, B or C per SKU by share of ``revenue`` (any currency, >= 0, over
    ``REVENUE_WINDOW_DAYS``): the SKUs making the first 80% of revenue are A, the next
    15% B, the rest (and SKUs without sales) C, as ``planning.inventory.abc`` defines."""
    skus = list(revenue)
    if not skus:
        return {}
    values = np.array([max(0.0, float(revenue[sku])) for sku in skus], dtype=np.float64)
    classes = classify_abc(annual_revenue=values).abc_class
    return {sku: AbcClass(int(code)).name for sku, code in zip(skus, classes, strict=True)}
