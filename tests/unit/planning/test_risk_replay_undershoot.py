"""The calibration replay's SKU-days with nothing on order read as the product reads them
(``--no-order known-wait``) and with the reorder point's undershoot (``--no-order
undershoot``, ADR 0030): only those waiting for their order move, upward, and those at or
below ``s`` (the order is due now) keep the product's figure without it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from stockguard.planning.risk.undershoot import undershoot_moments
from unit.planning._benchmark_modules import benchmark_module


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield benchmark_module(monkeypatch, "_risk_replay")
    sys.modules.pop("_risk_replay", None)


def test_only_skus_waiting_above_s_add_the_undershoot(replay: Any) -> None:
    # one SKU, three days: waiting above s, waiting at s, an order open
    mixed = np.full((1, 3), 0.5)
    waiting = np.array([[True, True, False]])
    rate, var = np.full((1, 3), 2.0), np.full((1, 3), 6.0)
    demand = (rate, var, np.full((1, 3), 0.01))
    s = np.full((1, 3), 12.0)
    pmf = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6, 0.3, 0.1])  # 7-9 days
    above = np.array([[True, False, True]])

    plain = replay._known_wait(mixed, waiting, demand, s, pmf, None)
    with_u = replay._known_wait(mixed, waiting, demand, s, pmf, above)
    at_s = replay._known_wait(mixed, waiting, demand, s, pmf, np.zeros((1, 3), bool))

    assert plain[0, 2] == with_u[0, 2] == 0.5  # an open order keeps the replay's figure
    assert with_u[0, 0] > at_s[0, 0]
    assert with_u[0, 1] == at_s[0, 1]
    mean_u, var_u = undershoot_moments([2.0], [6.0])
    expected = replay._after_reorder_point(
        s[0, :1], rate[0, :1], var[0, :1], np.array([0.01]), pmf, (mean_u, var_u)
    )
    assert with_u[0, 0] == pytest.approx(expected[0], rel=1e-12)
    assert at_s[0, 0] == pytest.approx(plain[0, 0], rel=1e-12)
    # the product's threshold: P(D > 12.6) = P(D > 12), not P(D > 13) (ceil before ADR 0030)
    fractional = replay._known_wait(mixed, waiting, demand, s + 0.6, pmf, None)
    assert fractional[0, 0] == pytest.approx(plain[0, 0], rel=1e-12)
