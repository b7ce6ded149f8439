"""A proposal line's supplier lead time in a sentence, saying when open orders went in.

A planning run counts each open purchase-order line as taking at least its age so far
(right-censored, ``open_orders``). When some did, the line says so, e.g.

    ACME's lead time 9.4 days rests on 31 receipts and 3 open orders still out, the
    oldest ordered 12 days ago (an open order counts as taking at least its age so far).

The same sentence is read by the API (``summary``), the dashboard (a line's "why") and
the CLI (``stockguard proposals explain``), from the figures stored in the line's
explanation (``supplier_lead_time_days``, ``supplier_lead_time_receipts``,
``supplier_open_orders``, ``supplier_oldest_open_days``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def describe(
    *,
    supplier: str,
    lead_time_days: float | None,
    receipts: int | None,
    open_orders: int,
    oldest_open_days: int | None,
) -> str:
    """The sentence of the module docstring; "" when no open order went in (or the lead
    time is unknown)."""
    if open_orders <= 0 or lead_time_days is None or not math.isfinite(lead_time_days):
        return ""
    orders = f"{open_orders:,} open order{'s' if open_orders != 1 else ''} still out"
    if receipts:
        basis = f"{receipts:,} receipt{'s' if receipts != 1 else ''} and {orders}"
    else:
        basis = f"no receipt yet and {orders}"
    oldest = ""
    if oldest_open_days is not None and oldest_open_days >= 0:
        which = "the oldest" if open_orders > 1 else "it was"
        oldest = f", {which} ordered {oldest_open_days:,} day{_s(oldest_open_days)} ago"
    return (
        f"{supplier}'s lead time {lead_time_days:.1f} days rests on {basis}{oldest} "
        "(an open order counts as taking at least its age so far)."
    )


def from_explanation(supplier: str, why: Mapping[str, Any]) -> str:
    """``describe`` from a stored line's explanation entries ("" on lines without)."""
    return describe(
        supplier=supplier,
        lead_time_days=_float(why.get("supplier_lead_time_days")),
        receipts=_int(why.get("supplier_lead_time_receipts")),
        open_orders=_int(why.get("supplier_open_orders")) or 0,
        oldest_open_days=_int(why.get("supplier_oldest_open_days")),
    )


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _int(value: Any) -> int | None:
    found = _float(value)
    return None if found is None or not math.isfinite(found) else int(found)
