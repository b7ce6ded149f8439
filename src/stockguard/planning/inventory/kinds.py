"""The replenishment policy kinds (see ``policies`` for their rules)."""

from __future__ import annotations

from enum import IntEnum


class PolicyKind(IntEnum):
    """Replenishment policy of a row (stored as its integer value)."""

    REORDER_POINT_EOQ = 0
    """(s,Q): continuous review, order the economic order quantity at the reorder point."""
    REORDER_POINT_FIXED_QUANTITY = 1
    """(s,Q): continuous review, order a fixed quantity at the reorder point."""
    REORDER_POINT_ORDER_UP_TO = 2
    """(s,S): continuous review, order up to S when the position is at or below s."""
    PERIODIC_ORDER_UP_TO = 3
    """(R,S): every R days, order up to S."""
    MIN_MAX = 4
    """min/max: when the position falls below min, order up to max."""
    JUST_IN_TIME = 5
    """Just-in-time / make-to-order: keep no stock, order each sale."""
    MANUAL = 6
    """Manual override: the planner's min and max, used as min/max."""
