"""Fixed vocabulary of the demo shop: categories, suppliers, warehouses, names.

Everything here is data; the generators in sibling modules draw from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """One product category and how its articles look, sell and are supplied.

    ``season_peak_day`` is the day of year (1-366) of the yearly peak;
    ``season_amplitude`` the log-amplitude of the yearly cycle; ``christmas_lift`` the
    extra relative demand in mid-December; ``price_range`` in EUR.
    """

    code: str
    name: str
    materials: tuple[str, ...]
    nouns: tuple[str, ...]
    sizes: tuple[str, ...]
    size_weights: tuple[float, ...]
    price_range: tuple[float, float]
    pack_sizes: tuple[int, ...]
    suppliers: tuple[str, ...]
    season_peak_day: int
    season_amplitude: float
    christmas_lift: float
    price_elasticity: float


APPAREL_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
APPAREL_WEIGHTS = (0.5, 1.0, 1.6, 1.5, 0.9, 0.4)

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "TOP",
        "Clothing > T-shirts & tops",
        ("Organic cotton", "Linen", "Slub jersey", "Pima cotton", "Bamboo", "Recycled cotton"),
        ("crew-neck T-shirt", "V-neck T-shirt", "henley", "polo shirt", "tank top", "long tee"),
        APPAREL_SIZES,
        APPAREL_WEIGHTS,
        (14.0, 45.0),
        (1, 5, 10),
        ("ATL-TEXTEIS", "ANATOLIA-TEKSTIL"),
        190,
        0.35,
        0.3,
        2.2,
    ),
    CategorySpec(
        "KNT",
        "Clothing > Knitwear",
        ("Merino", "Lambswool", "Cashmere-blend", "Alpaca", "Cable-knit", "Organic wool"),
        ("crew-neck jumper", "cardigan", "roll-neck sweater", "zip hoodie", "vest", "beanie"),
        APPAREL_SIZES,
        APPAREL_WEIGHTS,
        (39.0, 149.0),
        (1, 5),
        ("ATL-TEXTEIS", "FILATURE-ROUBAIX"),
        15,
        0.6,
        0.5,
        1.8,
    ),
    CategorySpec(
        "SHO",
        "Footwear",
        ("Leather", "Suede", "Canvas", "Recycled knit", "Vegan leather", "Waxed"),
        ("sneaker", "chelsea boot", "loafer", "espadrille", "trail runner", "derby shoe"),
        ("37", "38", "39", "40", "41", "42", "43", "44", "45"),
        (0.5, 0.8, 1.1, 1.3, 1.4, 1.4, 1.2, 0.8, 0.5),
        (49.0, 169.0),
        (1, 6),
        ("CALZADOS-ELCHE", "HANOI-FOOTWEAR"),
        120,
        0.25,
        0.15,
        1.6,
    ),
    CategorySpec(
        "BED",
        "Home > Bedding",
        ("Washed linen", "Percale", "Sateen", "Flannel", "Waffle", "Organic cotton"),
        ("duvet cover", "fitted sheet", "pillowcase set", "throw", "bedspread", "quilt"),
        ("Single", "Double", "Queen", "King"),
        (0.7, 1.5, 1.2, 0.6),
        (24.0, 139.0),
        (1, 4, 8),
        ("FILATURE-ROUBAIX", "ANATOLIA-TEKSTIL", "NORDFJELL-OUTDOOR"),
        320,
        0.3,
        0.6,
        1.9,
    ),
    CategorySpec(
        "KIT",
        "Home > Kitchen",
        ("Cast-iron", "Enamelled", "Stoneware", "Stainless", "Carbon-steel", "Beechwood"),
        ("casserole", "frying pan", "mixing bowl", "teapot", "serving board", "saucepan"),
        ("16 cm", "20 cm", "24 cm", "28 cm"),
        (0.6, 1.3, 1.2, 0.7),
        (12.0, 119.0),
        (1, 2, 6, 12),
        ("CUCINA-MILANO", "BRIGHTWAY-HOME"),
        340,
        0.2,
        0.9,
        1.5,
    ),
    CategorySpec(
        "OUT",
        "Outdoor",
        ("Packable", "Insulated", "Waterproof", "Ultralight", "Ripstop", "Softshell"),
        ("rain jacket", "daypack", "camping chair", "sleeping bag", "water bottle", "tarp"),
        ("S", "M", "L", "XL"),
        (0.8, 1.4, 1.2, 0.6),
        (19.0, 229.0),
        (1, 4, 10),
        ("NORDFJELL-OUTDOOR", "BRIGHTWAY-HOME", "HANOI-FOOTWEAR"),
        185,
        0.7,
        0.1,
        1.7,
    ),
)

COLOURS: tuple[tuple[str, str], ...] = (
    ("BLK", "Black"),
    ("WHT", "White"),
    ("NAV", "Navy"),
    ("GRY", "Heather grey"),
    ("OLV", "Olive"),
    ("TER", "Terracotta"),
    ("SND", "Sand"),
    ("BRD", "Bordeaux"),
    ("SKY", "Sky blue"),
    ("MOS", "Moss green"),
)

COLLECTIONS = ("Arles", "Brest", "Colmar", "Dinan", "Etretat", "Figeac", "Gordes", "Honfleur")


@dataclass(frozen=True, slots=True)
class SupplierSpec:
    """A supplier and how it delivers.

    Lead time is lognormal with mean ``lead_time_mean`` days and coefficient of
    variation ``lead_time_cv``; the stated lead time is the quantile at
    ``on_time_probability``, so that share of deliveries arrive on time. A line is
    shipped in full with probability ``fill_rate`` (short otherwise); a fraction
    ``reject_rate`` of delivered units fails inspection. ``order_weekday`` is the day
    (0 = Monday) the buyer sends this supplier's purchase orders.
    """

    code: str
    name: str
    country: str
    lead_time_mean: float
    lead_time_cv: float
    on_time_probability: float
    fill_rate: float
    reject_rate: float
    order_weekday: int
    carrier: str


SUPPLIERS: tuple[SupplierSpec, ...] = (
    SupplierSpec("ATL-TEXTEIS", "Atlântico Têxteis Lda", "PT", 12, 0.25, 0.86, 0.96, 0.010, 0,
                 "GEODIS"),
    SupplierSpec("FILATURE-ROUBAIX", "Filature de Roubaix SAS", "FR", 6, 0.15, 0.94, 0.98, 0.004,
                 1, "GEODIS"),
    SupplierSpec("ANATOLIA-TEKSTIL", "Anatolia Tekstil A.S.", "TR", 20, 0.35, 0.72, 0.91, 0.020,
                 0, "DHL-FREIGHT"),
    SupplierSpec("BRIGHTWAY-HOME", "Shenzhen Brightway Homeware Co.", "CN", 42, 0.30, 0.65, 0.89,
                 0.030, 2, "DHL-FREIGHT"),
    SupplierSpec("CALZADOS-ELCHE", "Calzados Elche S.L.", "ES", 13, 0.20, 0.88, 0.95, 0.012, 3,
                 "GEODIS"),
    SupplierSpec("HANOI-FOOTWEAR", "Hanoi Footwear JSC", "VN", 48, 0.35, 0.60, 0.87, 0.025, 1,
                 "DHL-FREIGHT"),
    SupplierSpec("CUCINA-MILANO", "Cucina Milano S.p.A.", "IT", 9, 0.20, 0.90, 0.97, 0.008, 2,
                 "GEODIS"),
    SupplierSpec("NORDFJELL-OUTDOOR", "Nordfjell Outdoor GmbH", "DE", 8, 0.40, 0.78, 0.93, 0.010,
                 4, "GEODIS"),
)  # fmt: skip

CARRIERS: tuple[tuple[str, str], ...] = (
    ("GEODIS", "Geodis Road Network"),
    ("DHL-FREIGHT", "DHL Global Forwarding"),
)


@dataclass(frozen=True, slots=True)
class WarehouseSpec:
    code: str
    name: str
    demand_share: float


WAREHOUSES: tuple[WarehouseSpec, ...] = (
    WarehouseSpec("PAR-GEN", "Paris (Gennevilliers)", 0.5),
    WarehouseSpec("LYS-STP", "Lyon (Saint-Priest)", 0.3),
    WarehouseSpec("LIL-LES", "Lille (Lesquin)", 0.2),
)
DEMO_LOCATION_CODES = frozenset(w.code for w in WAREHOUSES)
"""A database holding products is a previous demo when it holds these locations."""

WEEKLY_PROFILE = (1.10, 1.00, 0.95, 0.95, 0.90, 0.80, 1.30)
"""Relative demand Monday..Sunday (online shops peak on Sunday evening and Monday)."""

HOUR_WEIGHTS = (2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 7, 8, 9, 10, 11, 10, 7)
"""Relative order intake for hours 07:00..23:00 UTC."""

FIRST_NAMES_FR = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Sarah", "Julie",
    "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Thomas", "Nathan", "Théo", "Paul",
)  # fmt: skip
LAST_NAMES_FR = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "Fontaine", "Mercier", "Lambert", "Bonnet",
)  # fmt: skip
FIRST_NAMES_EN = (
    "Olivia", "Amelia", "Isla", "Ava", "Grace", "Emily", "Sophie", "Charlotte", "Lucy", "Mia",
    "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Oscar", "James", "Henry", "Alfie",
)  # fmt: skip
LAST_NAMES_EN = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans",
    "Walker", "Wright", "Thompson", "Hughes", "Green", "Hall", "Clarke", "Wood", "Turner",
    "Murphy", "Kelly", "O'Brien", "Walsh", "Byrne", "Ryan", "Hill", "Baker",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")
EN_COUNTRIES = ("GB", "IE", "BE", "NL", "DE", "LU")
