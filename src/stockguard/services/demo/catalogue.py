"""The demo catalogue: article families with size/colour variants, prices and offers."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from stockguard.domain import catalog, parties
from stockguard.services.demo import vocabulary as v

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
CENT = Decimal("0.01")
DISCONTINUED_SHARE = 0.05
SECOND_SOURCE_SHARE = 0.3
BACKUP_SOURCES = {"ATL-TEXTEIS": ("FILATURE-ROUBAIX", Decimal("1.08"))}
"""Primary supplier -> the backup every one of its families is also offered by (and the
backup's cost ratio) when the draw gave it no second source: the ready supplier-flood
scenario (services/demo/scenarios) rehearses switching to it. Chosen without a random
draw, so the rest of the seeded shop is unchanged."""


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Products as records plus the per-SKU vectors the simulation needs.

    Attributes (all vectors have shape (n_sku,)):
        products: the catalogue records, in SKU order.
        category: index into ``vocabulary.CATEGORIES``.
        family: family index, 0..n_families-1.
        variant_weight: share of its family's demand (sums to 1 within a family).
        price_cents: shelf price in EUR cents (VAT included).
        primary_supplier: index into ``vocabulary.SUPPLIERS`` the buyer orders from.
        pack_size, minimum_order_quantity: units, of the primary offer.
        discontinued_day: day index from which the SKU is no longer bought
            (``n_days`` when active).
        offers: 1-2 supplier offers per SKU.
    """

    products: tuple[catalog.Product, ...]
    category: IntArray
    family: IntArray
    variant_weight: FloatArray
    price_cents: IntArray
    primary_supplier: IntArray
    pack_size: IntArray
    minimum_order_quantity: IntArray
    discontinued_day: IntArray
    offers: tuple[parties.SupplierOffer, ...]
    n_families: int

    @property
    def skus(self) -> tuple[str, ...]:
        return tuple(p.sku for p in self.products)

    @property
    def n_skus(self) -> int:
        return len(self.products)


@dataclass(frozen=True, slots=True)
class _Variant:
    colour_code: str
    colour: str
    size: str
    weight: float
    size_rank: int


@dataclass(slots=True)
class _Accumulator:
    products: list[catalog.Product] = field(default_factory=list)
    vectors: dict[str, list[float]] = field(default_factory=dict)
    offers: list[parties.SupplierOffer] = field(default_factory=list)

    def push(self, **values: float) -> None:
        for name, value in values.items():
            self.vectors.setdefault(name, []).append(value)


def lead_time_parameters(spec: v.SupplierSpec) -> tuple[float, float]:
    """(mu, sigma) of the lognormal lead time with the spec's mean and CV (days)."""
    sigma = math.sqrt(math.log1p(spec.lead_time_cv**2))
    return math.log(spec.lead_time_mean) - sigma**2 / 2, sigma


def stated_lead_time(spec: v.SupplierSpec) -> int:
    """Days the supplier promises: the lead-time quantile at its on-time probability."""
    mu, sigma = lead_time_parameters(spec)
    z = NormalDist().inv_cdf(spec.on_time_probability)
    return max(1, math.ceil(math.exp(mu + sigma * z)))


SUPPLIER_INDEX = {spec.code: i for i, spec in enumerate(v.SUPPLIERS)}


def build_catalogue(rng: np.random.Generator, *, n_skus: int, n_days: int) -> Catalogue:
    """``n_skus`` products in families of 2-6 variants spread over the categories."""
    acc = _Accumulator()
    titles = {i: _title_pool(rng, spec) for i, spec in enumerate(v.CATEGORIES)}
    family = 0
    while len(acc.products) < n_skus:
        category = int(rng.integers(len(v.CATEGORIES)))
        size = min(int(rng.integers(2, 7)), n_skus - len(acc.products))
        size = max(size, 1)
        _add_family(rng, acc, family, category, next(titles[category]), size, n_days)
        family += 1
    vec = {k: np.asarray(values) for k, values in acc.vectors.items()}
    return Catalogue(
        products=tuple(acc.products),
        category=vec["category"].astype(np.int64),
        family=vec["family"].astype(np.int64),
        variant_weight=vec["weight"].astype(np.float64),
        price_cents=vec["price_cents"].astype(np.int64),
        primary_supplier=vec["supplier"].astype(np.int64),
        pack_size=vec["pack"].astype(np.int64),
        minimum_order_quantity=vec["moq"].astype(np.int64),
        discontinued_day=vec["discontinued"].astype(np.int64),
        offers=tuple(acc.offers),
        n_families=family,
    )


def _title_pool(rng: np.random.Generator, spec: v.CategorySpec) -> itertools.chain[str]:
    """Endless unique family titles: material x noun, then with a collection name."""
    pairs = [f"{m} {n}" for m in spec.materials for n in spec.nouns]
    order = rng.permutation(len(pairs))
    rounds = (
        [f"{pairs[i]}{suffix}" for i in order]
        for suffix in itertools.chain([""], (f" {c}" for c in v.COLLECTIONS), itertools.count(2))
    )
    return itertools.chain.from_iterable(rounds)


def _variants(rng: np.random.Generator, spec: v.CategorySpec, count: int) -> list[_Variant]:
    """``count`` colour x size combinations; popular sizes and the first colour sell more."""
    n_colours = int(rng.integers(1, 4))
    n_colours = max(n_colours, math.ceil(count / len(spec.sizes)))
    width = min(len(spec.sizes), math.ceil(count / n_colours))
    first = int(rng.integers(0, len(spec.sizes) - width + 1))
    colours = [v.COLOURS[i] for i in rng.choice(len(v.COLOURS), n_colours, replace=False)]
    combos = itertools.product(enumerate(colours), range(first, first + width))
    variants = [
        _Variant(code, name, spec.sizes[s], spec.size_weights[s] / (1 + 0.6 * c), s - first)
        for (c, (code, name)), s in combos
    ]
    return variants[:count]


def _add_family(
    rng: np.random.Generator,
    acc: _Accumulator,
    family: int,
    category: int,
    title: str,
    count: int,
    n_days: int,
) -> None:
    spec = v.CATEGORIES[category]
    low, high = spec.price_range
    base_price = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    supplier = SUPPLIER_INDEX[str(rng.choice(spec.suppliers))]
    pack = int(rng.choice(spec.pack_sizes))
    moq = pack * int(rng.choice([1, 2, 4])) if base_price < 40 else pack
    discontinued = rng.random() < DISCONTINUED_SHARE
    stop_day = int(rng.integers(n_days // 3, max(n_days // 3 + 1, n_days - 20)))
    second = _second_source(rng, supplier)
    variants = _variants(rng, spec, count)
    total_weight = sum(x.weight for x in variants)
    step = 0.15 if spec.code in {"BED", "KIT"} else 0.0
    for variant in variants:
        price = _shelf_price(base_price * (1 + step * variant.size_rank))
        cost = (price / Decimal("1.2") * Decimal(rng.uniform(0.35, 0.55))).quantize(CENT)
        product = _product(spec, family, title, variant, price, cost, discontinued)
        acc.products.append(product)
        acc.push(
            category=category,
            family=family,
            weight=variant.weight / total_weight,
            price_cents=int(price * 100),
            supplier=supplier,
            pack=pack,
            moq=moq,
            discontinued=stop_day if discontinued else n_days,
        )
        acc.offers.append(_offer(supplier, product.sku, cost, pack, moq))
        if second is not None:
            other_cost = (cost * Decimal(rng.uniform(0.92, 1.15))).quantize(CENT)
            acc.offers.append(_offer(second, product.sku, other_cost, pack, pack * 2))
        elif (backup := BACKUP_SOURCES.get(v.SUPPLIERS[supplier].code)) is not None:
            backup_cost = (cost * backup[1]).quantize(CENT)
            acc.offers.append(
                _offer(SUPPLIER_INDEX[backup[0]], product.sku, backup_cost, pack, pack)
            )


def _second_source(rng: np.random.Generator, primary: int) -> int | None:
    if rng.random() >= SECOND_SOURCE_SHARE:
        return None
    others = [i for i in range(len(v.SUPPLIERS)) if i != primary]
    return int(rng.choice(others))


def _shelf_price(amount: float) -> Decimal:
    """A shop price ending in .90 (or .00 above 100 EUR)."""
    if amount >= 100:
        return Decimal(round(amount)).quantize(CENT)
    return (Decimal(max(round(amount), 2)) - Decimal("0.10")).quantize(CENT)


def _product(
    spec: v.CategorySpec,
    family: int,
    title: str,
    variant: _Variant,
    price: Decimal,
    cost: Decimal,
    discontinued: bool,
) -> catalog.Product:
    family_code = f"{spec.code}-{family + 1:04d}"
    size_code = variant.size.split()[0].upper()[:3]
    material = next((m for m in spec.materials if title.startswith(m)), spec.materials[0])
    return catalog.Product(
        sku=f"{family_code}-{variant.colour_code}-{size_code}",
        title=f"{title} - {variant.colour} / {variant.size}",
        price=price,
        family=family_code,
        category=spec.name,
        attributes={"colour": variant.colour, "size": variant.size, "material": material},
        status=catalog.ProductStatus.DISCONTINUED if discontinued else catalog.ProductStatus.ACTIVE,
        image_url=f"https://img.example.com/{family_code.lower()}/{variant.colour_code.lower()}.jpg",
        unit_cost=cost,
    )


def _offer(supplier: int, sku: str, cost: Decimal, pack: int, moq: int) -> parties.SupplierOffer:
    spec = v.SUPPLIERS[supplier]
    return parties.SupplierOffer(
        supplier=spec.code,
        sku=sku,
        unit_cost=cost,
        minimum_order_quantity=moq,
        pack_size=pack,
        lead_time_days=stated_lead_time(spec),
    )


def locations() -> list[catalog.Location]:
    """The three sellable warehouses."""
    return [catalog.Location(code=w.code, name=w.name, country="FR") for w in v.WAREHOUSES]


def suppliers() -> list[parties.Supplier]:
    return [
        parties.Supplier(
            code=s.code,
            name=s.name,
            country=s.country,
            email=f"orders@{s.code.lower()}.example",
        )
        for s in v.SUPPLIERS
    ]


def carriers() -> list[parties.Carrier]:
    return [parties.Carrier(code=code, name=name) for code, name in v.CARRIERS]
