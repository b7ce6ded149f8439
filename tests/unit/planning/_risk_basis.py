"""Test helper: a risk basis of ``n`` alike rows (``planning.risk.figures.RiskBasisArrays``)
with a 2-a-day demand, a 7-day lead time and a reorder point of 10, any field overridden."""

from __future__ import annotations

import numpy as np

from stockguard.planning.risk import figures


def risk_basis(n: int = 1, **overrides: object) -> figures.RiskBasisArrays:
    """``n`` rows; ``overrides`` set any field (scalars broadcast to (n,); the pmf fields
    ``*_points`` / ``*_mass`` are passed as they are)."""
    values: dict[str, object] = {
        "demand_mean": 2.0,
        "demand_var": 2.0,
        "lead_time_mean": 7.0,
        "lead_time_var": 4.0,
        "reorder_point": 10.0,
        "days_to_receipt": np.nan,
        "receipt_delay_mean": 0.0,
        "receipt_delay_var": 0.0,
        "unit_price": 12.5,
    }
    pmfs = {k: overrides.pop(k) for k in list(overrides) if k.endswith(("_points", "_mass"))}
    values.update(overrides)
    arrays = {k: np.broadcast_to(np.asarray(v, np.float64), (n,)).copy() for k, v in values.items()}
    return figures.RiskBasisArrays(**arrays, **pmfs)  # type: ignore[arg-type]
