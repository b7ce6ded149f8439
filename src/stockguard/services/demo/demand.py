"""Daily demand of the demo shop: a product of independent factors per SKU x location.

Equations (order lines per day, SKU i, location l, day t):
    lambda[i, l, t] = base[i] * share[l] * weekly[dow(t)] * yearly[c(i), doy(t)]
                      * exp(slope[i] * (t - T / 2) / 365) * (1 - d[i, t]) ** -e[c(i)]
    units per line = 1 + Poisson(extra_quantity[i])
where d is the promotion discount and e the category's price elasticity. Slow movers
have a low base rate and lumpy lines (large ``extra_quantity``): intermittent demand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import Catalogue
from stockguard.services.demo.promotions import Promotions

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
FAMILY_RATE_MEDIAN = 1.7  # order lines per day per family, all warehouses
FAMILY_RATE_SPREAD = 0.8  # sigma of its lognormal
SLOW_MOVER_SHARE = 0.22
GROWING_SHARE = 0.18
DECLINING_SHARE = 0.18
CHRISTMAS_DAY_OF_YEAR = 347
DISCONTINUED_FADE = 0.5  # demand multiplier once a SKU is discontinued


@dataclass(frozen=True, slots=True)
class DemandModel:
    """Factors of the daily demand rate; see the module docstring.

    Attributes:
        base_rate: (n_sku,) order lines/day over all warehouses, mid-window, no promotion.
        slope: (n_sku,) log-change of demand per year (trend).
        extra_quantity: (n_sku,) mean units per line minus one.
        location_share: (n_location,) share of demand per warehouse, sums to 1.
        weekly: (7,) relative demand Monday..Sunday.
        yearly: (n_category, 366) relative demand by day of year (index doy - 1).
        elasticity: (n_category,) price elasticity of demand (positive number).
        category: (n_sku,) category index; discontinued_day: (n_sku,) day index.
        promotions: discounts by SKU and day.
    """

    base_rate: FloatArray
    slope: FloatArray
    extra_quantity: FloatArray
    location_share: FloatArray
    weekly: FloatArray
    yearly: FloatArray
    elasticity: FloatArray
    category: IntArray
    discontinued_day: IntArray
    promotions: Promotions
    first_day: date
    n_days: int

    def discount(self, day: int) -> FloatArray:
        """Promotion discount per SKU on ``day`` (fraction), shape (n_sku,)."""
        return self.promotions.discount_on(day, self.category)

    def line_rate(self, day: int, discount: FloatArray) -> FloatArray:
        """Expected order lines on ``day``, shape (n_sku, n_location)."""
        current = self.first_day + timedelta(days=day)
        seasonal = self.yearly[self.category, current.timetuple().tm_yday - 1]
        trend = np.exp(self.slope * (day - self.n_days / 2) / 365.0)
        lift = (1.0 - discount) ** -self.elasticity[self.category]
        fade = np.where(day >= self.discontinued_day, DISCONTINUED_FADE, 1.0)
        per_sku = self.base_rate * self.weekly[current.weekday()] * seasonal * trend * lift * fade
        return np.outer(per_sku, self.location_share)

    def mean_units_per_line(self) -> FloatArray:
        return 1.0 + self.extra_quantity

    def units_dispersion(self) -> FloatArray:
        """E[q^2] / E[q] of units per line: variance-to-mean ratio of daily units."""
        mean = 1.0 + self.extra_quantity
        return (mean**2 + self.extra_quantity) / mean


def build_demand(
    rng: np.random.Generator,
    catalogue: Catalogue,
    promotions: Promotions,
    *,
    first_day: date,
    n_days: int,
) -> DemandModel:
    """Draw base rates, trends and lumpiness per SKU; seasonality per category."""
    n_sku = catalogue.n_skus
    family_rate = rng.lognormal(
        np.log(FAMILY_RATE_MEDIAN), FAMILY_RATE_SPREAD, catalogue.n_families
    )
    base = family_rate[catalogue.family] * catalogue.variant_weight
    slow = rng.random(n_sku) < SLOW_MOVER_SHARE
    base = np.where(slow, rng.uniform(0.01, 0.08, n_sku), base)
    extra = np.where(slow, rng.uniform(1.0, 3.5, n_sku), rng.uniform(0.05, 0.3, n_sku))
    shares = np.array([w.demand_share for w in v.WAREHOUSES])
    return DemandModel(
        base_rate=base,
        slope=_trend_slopes(rng, catalogue),
        extra_quantity=extra,
        location_share=shares / shares.sum(),
        weekly=np.array(v.WEEKLY_PROFILE),
        yearly=yearly_profiles(),
        elasticity=np.array([c.price_elasticity for c in v.CATEGORIES]),
        category=catalogue.category,
        discontinued_day=catalogue.discontinued_day,
        promotions=promotions,
        first_day=first_day,
        n_days=n_days,
    )


def _trend_slopes(rng: np.random.Generator, catalogue: Catalogue) -> FloatArray:
    """Log-change per year: some families grow, some decline, most drift a little."""
    n_families = catalogue.n_families
    kind = rng.random(n_families)
    slope = np.where(
        kind < GROWING_SHARE,
        rng.uniform(0.3, 0.9, n_families),
        np.where(
            kind < GROWING_SHARE + DECLINING_SHARE,
            rng.uniform(-0.9, -0.3, n_families),
            rng.normal(0.0, 0.1, n_families),
        ),
    )
    return slope[catalogue.family] + rng.normal(0.0, 0.05, catalogue.n_skus)


def yearly_profiles() -> FloatArray:
    """(n_category, 366) yearly cycle times a Christmas bump, mean 1 over the year."""
    day = np.arange(1, 367, dtype=np.float64)
    rows = []
    for spec in v.CATEGORIES:
        cycle = np.exp(
            spec.season_amplitude * np.cos(2 * np.pi * (day - spec.season_peak_day) / 365.25)
        )
        bump = 1.0 + spec.christmas_lift * np.exp(-0.5 * ((day - CHRISTMAS_DAY_OF_YEAR) / 9.0) ** 2)
        profile = cycle * bump
        rows.append(profile / profile.mean())
    return np.vstack(rows)
