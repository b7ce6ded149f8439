"""Short storefront messages in French and English."""

from __future__ import annotations

from datetime import date

from stockguard.services.storefront.model import AvailabilityState

LANGUAGES = ("en", "fr")

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
}


def short_date(day: date, lang: str) -> str:
    """``12 Dec`` / ``12 déc.``."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]}"


_TEXTS: dict[str, dict[tuple[AvailabilityState, bool], str]] = {
    "en": {
        (AvailabilityState.IN_STOCK, False): "In stock",
        (AvailabilityState.LOW_STOCK, False): "Only {count} left in stock",
        (AvailabilityState.DISCONTINUED, False): "No longer available",
        (AvailabilityState.PREORDER, False): "Available for pre-order",
        (AvailabilityState.PREORDER, True): "Pre-order now, ships by {when}",
        (AvailabilityState.OUT_OF_STOCK, False): "Out of stock",
        (AvailabilityState.OUT_OF_STOCK, True): "Back in stock by {when}",
    },
    "fr": {
        (AvailabilityState.IN_STOCK, False): "En stock",
        (AvailabilityState.LOW_STOCK, False): "Plus que {count} en stock",
        (AvailabilityState.DISCONTINUED, False): "Plus disponible",
        (AvailabilityState.PREORDER, False): "Disponible en précommande",
        (AvailabilityState.PREORDER, True): "En précommande, expédié d'ici le {when}",
        (AvailabilityState.OUT_OF_STOCK, False): "En rupture de stock",
        (AvailabilityState.OUT_OF_STOCK, True): "De retour en stock d'ici le {when}",
    },
}
"""Message templates by language, then (state, with a promise date)."""


def message(state: AvailabilityState, count: int | None, promise_on: date | None, lang: str) -> str:
    """The sentence a product page shows, e.g. "Plus que 3 en stock", "Back in stock by 12 Dec".

    The promise date is used only by ``out_of_stock`` and ``preorder``."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    dated = promise_on is not None and state in (
        AvailabilityState.OUT_OF_STOCK,
        AvailabilityState.PREORDER,
    )
    when = short_date(promise_on, lang) if promise_on is not None else ""
    return _TEXTS[lang][(state, dated)].format(count=count, when=when)
