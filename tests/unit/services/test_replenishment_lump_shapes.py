"""The common lump shapes a run learns and stores with its pooled figures (ADR 0028,
``run_priors``): per row they are what ``undershoot.common_shapes`` gives on the run's
rows, bit for bit, before and after a JSON round trip; one SKU's rows read the run's
shape; figures stored before ADR 0028 hold none and say so."""

from __future__ import annotations

import json

import numpy as np

from stockguard.planning.inventory import lost_sales, undershoot
from stockguard.services.replenishment import pooling, run_priors
from unit.services.test_replenishment_run_priors import _history


def test_stored_lump_shapes_give_the_learnt_shape_of_every_row_bit_for_bit() -> None:
    sales, categories, forecast = _history(7)
    categories[:4] = ["Anchors"] * 4  # too few rows for its own shape
    learnt = undershoot.common_shapes(
        sales=sales, window=lost_sales.HISTORY_WINDOW, group=pooling.group_codes(categories)
    )
    priors = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast)
    stored = run_priors.from_json(json.loads(json.dumps(priors.to_json())))
    assert stored == priors
    assert "Anchors" not in priors.lump_shapes
    assert {"Bolts", "Nuts"} <= set(priors.lump_shapes)
    for figures in (priors, stored):
        assert figures is not None
        found = run_priors.lump_shapes(figures, categories)
        assert found is not None
        np.testing.assert_array_equal(found, learnt.per_row)
        for row in range(0, len(categories), 41):  # one SKU's row alone
            alone = run_priors.lump_shapes(figures, categories[row : row + 1])
            assert alone is not None
            assert alone[0] == learnt.per_row[row]


def test_figures_stored_before_adr_0028_have_no_lump_shapes() -> None:
    sales, categories, forecast = _history(8)
    stored = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast)
    older = {k: v for k, v in stored.to_json().items() if k != "lumps"}
    read = run_priors.from_json(older)
    assert read is not None
    assert read.lump_fallback is None
    assert run_priors.lump_shapes(read, categories) is None
    assert run_priors.without_lumps(stored).to_json() == older


def test_damaged_lump_shapes_read_as_none() -> None:
    sales, categories, forecast = _history(9)
    good = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast).to_json()
    negative = {**good, "lumps": {**good["lumps"], "fallback": -1.0}}
    assert run_priors.from_json(negative) is None
    assert run_priors.from_json({**good, "lumps": {"groups": []}}) is None
