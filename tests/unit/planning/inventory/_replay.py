"""A replanner for replay tests: (s,S) levels computed once, held for every period."""

from __future__ import annotations

from stockguard.planning import simulation as sim
from stockguard.planning.inventory import lost_sales


class FixedLevels:
    """Replanner holding the (s,S) levels computed once from the true demand law."""

    def __init__(self, levels: lost_sales.LostSalesLevels) -> None:
        self.levels = sim.PolicyLevels(
            levels.reorder_point, levels.order_up_to, levels.order_quantity
        )

    def __call__(self, state: sim.ReplayState) -> sim.PolicyLevels:
        return self.levels
