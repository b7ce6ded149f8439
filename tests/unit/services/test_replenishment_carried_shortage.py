"""A run's lost-sales rows net the late lots' own shortfall out of their cycle shortage
by default (ADR 0035, ``compute.Parameters.carried_shortage``), and a run with another
choice passes that one; checked on what the run hands ``compute_policies``, for a
proposal and for one SKU's policy (the shop of ``test_replenishment_sku_policy_pooled``)."""

from __future__ import annotations

from typing import Any

import pytest

from stockguard.planning.inventory import policies
from stockguard.planning.inventory.carried import Carried
from stockguard.planning.inventory.policies import PolicyTable
from stockguard.services.replenishment import compute
from stockguard.services.replenishment.sku_policy import policies_of_sku
from unit.services.test_replenishment_sku_policy_pooled import (
    OneSkuSource,
    _run,
    a_shop_with_a_smooth_mug,
)


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``lost_sales_carried_shortage`` of every ``compute_policies`` call a run makes."""
    seen: list[int] = []
    original = policies.compute_policies

    def recording(**kwargs: Any) -> PolicyTable:
        seen.append(int(kwargs["lost_sales_carried_shortage"]))
        return original(**kwargs)

    monkeypatch.setattr(compute, "compute_policies", recording)
    return seen


def test_a_run_nets_out_the_late_lots_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recorded(monkeypatch)
    uow = a_shop_with_a_smooth_mug()
    _, priors = _run(uow)
    assert set(seen) == {int(Carried.LATE_LOTS)}
    assert compute.Parameters().carried_shortage is Carried.LATE_LOTS
    seen.clear()
    policies_of_sku(OneSkuSource(uow.replenishment, "MUG"), sku="MUG", revenue={}, priors=priors)
    assert set(seen) == {int(Carried.LATE_LOTS)}


def test_a_run_passes_the_rule_before_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _recorded(monkeypatch)
    uow = a_shop_with_a_smooth_mug()
    _, priors = _run(uow)
    seen.clear()
    policies_of_sku(
        OneSkuSource(uow.replenishment, "MUG"),
        sku="MUG",
        revenue={},
        priors=priors,
        parameters=compute.Parameters(carried_shortage=Carried.NONE),
    )
    assert set(seen) == {int(Carried.NONE)}
