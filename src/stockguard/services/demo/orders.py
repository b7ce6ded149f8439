"""Group served lines into customer orders with a customer and a time of day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.customers import Customers
from stockguard.services.demo.simulation import SalesLines

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
LINES_PER_ORDER = 1.6  # mean; order sizes are geometric
FIRST_HOUR = 7


@dataclass(frozen=True, slots=True)
class Orders:
    """Customer orders (shape (n_order,)) and their lines (shape (n_line,), by order).

    ``second`` is the time of day of the order in seconds after midnight UTC;
    ``customer`` indexes ``Customers.records``; ``line_no`` counts from 1 per order.
    """

    day: IntArray
    location: IntArray
    customer: IntArray
    second: IntArray
    line_order: IntArray
    line_no: IntArray
    sku: IntArray
    quantity: IntArray
    discount: FloatArray

    @property
    def n_orders(self) -> int:
        return int(self.day.size)


def build_orders(rng: np.random.Generator, sales: SalesLines, customers: Customers) -> Orders:
    """Shuffle each day's lines per warehouse and cut them into orders."""
    n_line = sales.day.size
    permutation = np.lexsort((rng.random(n_line), sales.location, sales.day))
    day, location = sales.day[permutation], sales.location[permutation]
    starts = rng.random(n_line) < 1.0 / LINES_PER_ORDER
    if n_line:
        starts[0] = True
        starts[1:] |= (day[1:] != day[:-1]) | (location[1:] != location[:-1])
    line_order = np.cumsum(starts) - 1
    first_line = np.flatnonzero(starts)
    order_location = location[first_line]
    return Orders(
        day=day[first_line],
        location=order_location,
        customer=_customers_of(rng, order_location, customers),
        second=_times_of_day(rng, first_line.size),
        line_order=line_order.astype(np.int64),
        line_no=(np.arange(n_line) - first_line[line_order] + 1).astype(np.int64),
        sku=sales.sku[permutation],
        quantity=sales.quantity[permutation],
        discount=sales.discount[permutation],
    )


def _customers_of(
    rng: np.random.Generator, order_location: IntArray, customers: Customers
) -> IntArray:
    """A customer per order, among those served by its warehouse, by order frequency."""
    result = np.zeros(order_location.size, dtype=np.int64)
    everyone = np.arange(customers.home_location.size)
    for location in range(len(v.WAREHOUSES)):
        selected = np.flatnonzero(order_location == location)
        members = np.flatnonzero(customers.home_location == location)
        if members.size == 0:
            members = everyone
        cumulative = np.cumsum(customers.frequency[members])
        picks = np.searchsorted(cumulative, rng.random(selected.size) * cumulative[-1])
        result[selected] = members[np.minimum(picks, members.size - 1)]
    return result


def _times_of_day(rng: np.random.Generator, count: int) -> IntArray:
    """Seconds after midnight, from the hourly intake profile (07:00-23:59 UTC)."""
    weights = np.array(v.HOUR_WEIGHTS, dtype=np.float64)
    hour = FIRST_HOUR + rng.choice(weights.size, size=count, p=weights / weights.sum())
    return (hour * 3600 + rng.integers(0, 3600, size=count)).astype(np.int64)
