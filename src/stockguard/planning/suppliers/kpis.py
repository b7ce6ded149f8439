"""Delivery KPIs per group (supplier, supplier x SKU, supplier x period), vectorised.

One observation is one purchase-order line. For a group ``g`` with lines ``i``:

- on-time rate ``= #{i: delay_i <= 0} / #{i: delay_i known}``, where
  ``delay_i = first receipt day - promised (expected) day`` in days: a line delivered on or
  before the day promised counts as on time;
- fill rate ``= sum received_i / sum ordered_i`` (units delivered over units ordered,
  rejected units included in ``received``);
- rejected share ``= sum rejected_i / sum received_i`` (quality);
- price variance ``= sum_i q_i (p_i - r_i) / r_i / sum_i q_i`` with ``q_i`` the units
  ordered, ``p_i`` the line's unit price and ``r_i`` its reference price (the offer's unit
  cost, or the SKU's quantity-weighted mean price): +0.05 means paying 5 % above reference;
- mean delay ``= mean(delay_i)`` days over lines with a known delay (negative = early).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray
from stockguard.planning.suppliers import grouped


@dataclass(frozen=True, slots=True)
class DeliveryKpis:
    """KPIs per group, all (n_groups,) float64; NaN where a group has no data for one.

    Attributes:
        lines: order lines; delivered: lines with a known delay; on_time_rate: share
        in [0, 1]; delay_mean: days; fill_rate, rejected_share: shares; price_variance:
        relative (0.05 = 5 % above reference); ordered_units, spend: sums (spend in the
        lines' currency, ``sum q_i p_i``).
    """

    lines: FloatArray
    delivered: FloatArray
    on_time_rate: FloatArray
    delay_mean: FloatArray
    fill_rate: FloatArray
    rejected_share: FloatArray
    price_variance: FloatArray
    ordered_units: FloatArray
    spend: FloatArray


def delivery_kpis(
    *,
    group: IntArray,
    n_groups: int,
    delay_days: FloatArray,
    ordered: FloatArray,
    received: FloatArray,
    rejected: FloatArray,
    unit_price: FloatArray,
    reference_price: FloatArray,
) -> DeliveryKpis:
    """KPIs of every group (module equations); all inputs are (n_lines,).

    ``delay_days`` is NaN where the line was not delivered or had no promised day;
    ``reference_price`` is NaN (or <= 0) where there is none: such lines leave the
    price variance.

    Example: two lines of 10 units, one 2 days late and one on time, 20 received, 1
    rejected, prices 11 and 9 against reference 10: on-time 0.5, delay 1 day, fill 1.0,
    rejected 0.05, price variance 0.0.
    """
    known = np.isfinite(delay_days)
    lines = grouped.group_count(group, n_groups)
    delivered = grouped.group_count(group, n_groups, known)
    on_time = grouped.group_count(group, n_groups, known & (np.nan_to_num(delay_days) <= 0))
    delay_total = grouped.group_sum(group, np.where(known, delay_days, 0.0), n_groups)
    ordered_units = grouped.group_sum(group, ordered, n_groups)
    received_units = grouped.group_sum(group, received, n_groups)
    priced = np.isfinite(reference_price) & (reference_price > 0)
    safe_reference = np.where(priced, reference_price, 1.0)
    deviation = np.where(priced, ordered * (unit_price - safe_reference) / safe_reference, 0.0)
    return DeliveryKpis(
        lines=lines,
        delivered=delivered,
        on_time_rate=grouped.ratio(on_time, delivered),
        delay_mean=grouped.ratio(delay_total, delivered),
        fill_rate=grouped.ratio(received_units, ordered_units),
        rejected_share=grouped.ratio(grouped.group_sum(group, rejected, n_groups), received_units),
        price_variance=grouped.ratio(
            grouped.group_sum(group, deviation, n_groups),
            grouped.group_sum(group, np.where(priced, ordered, 0.0), n_groups),
        ),
        ordered_units=ordered_units,
        spend=grouped.group_sum(group, ordered * unit_price, n_groups),
    )


def weighted_mean_price(
    *, item: IntArray, n_items: int, quantity: FloatArray, unit_price: FloatArray
) -> FloatArray:
    """Quantity-weighted mean price per item ``sum q p / sum q``, shape (n_items,)."""
    return grouped.ratio(
        grouped.group_sum(item, quantity * unit_price, n_items),
        grouped.group_sum(item, quantity, n_items),
    )
