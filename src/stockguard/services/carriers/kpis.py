"""Carrier on-time KPIs per carrier and per lane, and the alternate a lane's KPIs suggest.

For the delivered shipments of a group (a carrier, or a carrier on one lane):

- delay of a shipment ``d_i = max(delivered_on_i - promised_on_i, 0)`` days;
- on-time rate ``= #{d_i = 0} / n`` (delivered on or before the promised date);
- mean delay ``= sum(d_i) / n`` days (on-time shipments count as 0);
- p90 delay: the 90th percentile of ``d_i`` with linear interpolation between order
  statistics (position ``0.9 * (n - 1)`` in the sorted delays, numpy's default method).

Worked example: delays (0, 0, 2, 5) -> on-time 0.5, mean 1.75 days, p90 at position 2.7
between 2 and 5 -> 4.1 days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DeliveredShipment:
    carrier: str
    origin: str
    destination: str
    promised_on: date
    delivered_on: date

    @property
    def delay_days(self) -> int:
        return max((self.delivered_on - self.promised_on).days, 0)


@dataclass(frozen=True, slots=True)
class CarrierKpi:
    """On-time figures of one carrier (``lane`` None) or of one carrier on one lane."""

    carrier: str
    lane: str | None
    delivered: int
    on_time: int
    on_time_rate: float
    mean_delay_days: float
    p90_delay_days: float


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` with linear interpolation; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def kpi(carrier: str, lane: str | None, shipments: Sequence[DeliveredShipment]) -> CarrierKpi:
    """The KPIs of one group of delivered shipments (see the module's equations)."""
    delays = [float(s.delay_days) for s in shipments]
    n = len(delays)
    on_time = sum(1 for d in delays if d == 0)
    return CarrierKpi(
        carrier=carrier,
        lane=lane,
        delivered=n,
        on_time=on_time,
        on_time_rate=on_time / n if n else 0.0,
        mean_delay_days=sum(delays) / n if n else 0.0,
        p90_delay_days=percentile(delays, 0.9),
    )


def carrier_kpis(
    shipments: Iterable[DeliveredShipment], *, by_lane: bool = False
) -> list[CarrierKpi]:
    """KPIs per carrier (or per carrier x lane), ordered by carrier then lane."""
    groups: dict[tuple[str, str | None], list[DeliveredShipment]] = {}
    for shipment in shipments:
        lane = f"{shipment.origin}->{shipment.destination}" if by_lane else None
        groups.setdefault((shipment.carrier, lane), []).append(shipment)
    return [kpi(carrier, lane, groups[carrier, lane]) for carrier, lane in sorted(groups, key=str)]


def suggest_alternate(lane_kpis: Sequence[CarrierKpi], primary: str | None) -> str | None:
    """The best carrier on a lane other than ``primary``: highest on-time rate, then the
    lowest mean delay, then the most deliveries; None when no other carrier served it."""
    others = [k for k in lane_kpis if k.carrier != primary and k.delivered > 0]
    if not others:
        return None
    best = min(others, key=lambda k: (-k.on_time_rate, k.mean_delay_days, -k.delivered, k.carrier))
    return best.carrier
