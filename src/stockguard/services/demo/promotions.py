"""Demo promotions: calendar sales per category and flash discounts on SKU families."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from stockguard.domain import marketing
from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import Catalogue

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
FLASH_FAMILY_SHARE = 0.3
FLASH_DISCOUNTS = (10, 15, 20, 25, 30)
SALES_CATEGORIES = frozenset({"TOP", "KNT", "SHO", "BED", "OUT"})
OWNER = "Marketing"


@dataclass(frozen=True, slots=True)
class Promotions:
    """Promotion records and their vector form, shape (n_promotion,) each.

    ``sku`` is a SKU index (-1 for a category promotion), ``category`` a category index
    (-1 for a SKU promotion), ``first_day``/``last_day`` inclusive day indices,
    ``discount`` a fraction of the shelf price in [0, 1).
    """

    records: tuple[marketing.Promotion, ...]
    sku: IntArray
    category: IntArray
    first_day: IntArray
    last_day: IntArray
    discount: FloatArray

    def discount_on(self, day: int, sku_category: IntArray) -> FloatArray:
        """Largest discount active on ``day`` per SKU, shape (n_sku,) (0 = full price)."""
        active = (self.first_day <= day) & (self.last_day >= day)
        result = np.zeros(sku_category.size)
        on_sku = active & (self.sku >= 0)
        np.maximum.at(result, self.sku[on_sku], self.discount[on_sku])
        on_category = active & (self.category >= 0)
        if on_category.any():
            by_category = np.zeros(len(v.CATEGORIES))
            np.maximum.at(by_category, self.category[on_category], self.discount[on_category])
            result = np.maximum(result, by_category[sku_category])
        return result


@dataclass(slots=True)
class _Builder:
    first_day: date
    n_days: int
    rows: list[tuple[marketing.Promotion, int, int, int, int, float]]

    def add(self, code: str, start: int, length: int, percent: int, *, sku: int = -1,
            sku_code: str | None = None, category: int = -1) -> None:  # fmt: skip
        end = min(start + length - 1, self.n_days - 1)
        start = max(start, 0)
        if end < start:
            return
        record = marketing.Promotion(
            code=code,
            kind=marketing.PromotionKind.DISCOUNT,
            starts_on=self.first_day + timedelta(days=start),
            ends_on=self.first_day + timedelta(days=end),
            sku=sku_code,
            category=v.CATEGORIES[category].name if category >= 0 else None,
            discount_percent=Decimal(percent),
            owner=OWNER,
        )
        self.rows.append((record, sku, category, start, end, percent / 100))


def build_promotions(
    rng: np.random.Generator, catalogue: Catalogue, *, first_day: date, n_days: int
) -> Promotions:
    """French seasonal sales and Black Friday per category, plus flash sales on families."""
    builder = _Builder(first_day, n_days, [])
    _calendar_sales(builder)
    _flash_sales(rng, builder, catalogue)
    rows = builder.rows
    return Promotions(
        records=tuple(r[0] for r in rows),
        sku=np.array([r[1] for r in rows], dtype=np.int64),
        category=np.array([r[2] for r in rows], dtype=np.int64),
        first_day=np.array([r[3] for r in rows], dtype=np.int64),
        last_day=np.array([r[4] for r in rows], dtype=np.int64),
        discount=np.array([r[5] for r in rows], dtype=np.float64),
    )


def _calendar_sales(builder: _Builder) -> None:
    last = builder.first_day + timedelta(days=builder.n_days - 1)
    for year in range(builder.first_day.year, last.year + 1):
        events = (
            ("SOLDES-HIVER", _nth_weekday(year, 1, 2, 2), 28, 30, SALES_CATEGORIES),
            ("SOLDES-ETE", _last_weekday(year, 6, 2), 28, 25, SALES_CATEGORIES),
            ("BLACK-FRIDAY", _black_friday(year), 4, 20, None),
        )
        for name, start, length, percent, categories in events:
            offset = (start - builder.first_day).days
            for index, spec in enumerate(v.CATEGORIES):
                if categories is None or spec.code in categories:
                    code = f"{name}-{year}-{spec.code}"
                    builder.add(code, offset, length, percent, category=index)


def _flash_sales(rng: np.random.Generator, builder: _Builder, catalogue: Catalogue) -> None:
    skus = catalogue.skus
    for family in range(catalogue.n_families):
        if rng.random() >= FLASH_FAMILY_SHARE:
            continue
        members = np.flatnonzero(catalogue.family == family)
        for k in range(int(rng.integers(1, 4))):
            start = int(rng.integers(0, builder.n_days))
            length = int(rng.integers(4, 15))
            percent = int(rng.choice(FLASH_DISCOUNTS))
            for sku in members:
                code = f"FLASH-{skus[sku]}-{k + 1}"
                builder.add(code, start, length, percent, sku=int(sku), sku_code=skus[sku])


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (0 = Monday) of ``month``."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _black_friday(year: int) -> date:
    """The day after the fourth Thursday of November (US Thanksgiving)."""
    return _nth_weekday(year, 11, 3, 4) + timedelta(days=1)


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)
