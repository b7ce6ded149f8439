"""The known customer message templates: their names, languages and the context they need.

Each template exists for every language in ``LANGUAGES`` as two files in
``services/messaging/templates``: ``<name>.<lang>.txt.j2`` (blocks ``subject``, ``text`` and
``sms``, not escaped) and ``<name>.<lang>.html.j2`` (the HTML part, autoescaped).
``SAMPLES`` holds a realistic context per template, used by previews and to check operator
overrides before they are accepted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr")
TEXT_BLOCKS: tuple[str, ...] = ("subject", "text", "sms")


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """One template: its name, what it is for and the context keys it requires."""

    name: str
    purpose: str
    required: tuple[str, ...]


TEMPLATES: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in (
        TemplateSpec(
            "back_in_stock",
            "A subscribed contact is told the product is back (wave of a restock).",
            ("name", "product", "link", "promise", "substitutes", "unsubscribe_link"),
        ),
        TemplateSpec(
            "confirm_subscription",
            "Double opt-in: the contact confirms the back-in-stock subscription.",
            ("name", "product", "confirm_link", "expires_at"),
        ),
        TemplateSpec(
            "delay_notice",
            "An open order or pre-order slips: apology, new date and any compensation.",
            (
                "name",
                "product",
                "order_ref",
                "old_date",
                "new_date",
                "compensation",
                "link",
                "substitutes",
            ),
        ),
        TemplateSpec(
            "discontinued_substitutes",
            "The subscribed product is discontinued: substitutes are proposed instead.",
            ("name", "product", "substitutes", "unsubscribe_link"),
        ),
    )
}


def _product() -> dict[str, Any]:
    return {
        "sku": "MUG-01",
        "name": "Ceramic mug 350 ml",
        "price": Decimal("12.90"),
        "currency": "EUR",
    }


def _substitutes() -> list[dict[str, Any]]:
    return [
        {
            "sku": "MUG-02",
            "name": "Stoneware mug 400 ml",
            "price": Decimal("14.50"),
            "currency": "EUR",
            "link": "https://shop.example/p/MUG-02",
        },
        {
            "sku": "CUP-07",
            "name": "Espresso cup set",
            "price": Decimal("19.00"),
            "currency": "EUR",
            "link": "https://shop.example/p/CUP-07",
        },
    ]


SAMPLES: dict[str, dict[str, Any]] = {
    "back_in_stock": {
        "name": "Camille",
        "product": _product(),
        "link": "https://shop.example/p/MUG-01",
        "promise": dt.date(2026, 12, 3),
        "substitutes": _substitutes(),
        "unsubscribe_link": "https://shop.example/u/sample",
    },
    "confirm_subscription": {
        "name": "Camille",
        "product": _product(),
        "confirm_link": "https://shop.example/c/sample",
        "expires_at": dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC),
    },
    "delay_notice": {
        "name": "Camille",
        "product": _product(),
        "order_ref": "SO-10442",
        "old_date": dt.date(2026, 11, 30),
        "new_date": dt.date(2026, 12, 14),
        "compensation": {
            "kind": "discount",
            "code": "SG-7QK2-M9",
            "amount": Decimal("5.00"),
            "currency": "EUR",
        },
        "link": "https://shop.example/orders/SO-10442",
        "substitutes": _substitutes(),
    },
    "discontinued_substitutes": {
        "name": "Camille",
        "product": _product(),
        "substitutes": _substitutes(),
        "unsubscribe_link": "https://shop.example/u/sample",
    },
}
