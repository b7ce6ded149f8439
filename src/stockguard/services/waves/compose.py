"""The message one recipient of a wave gets: subject, body and the e-mail extras.

With a message renderer installed (``services.messaging.render``, installed by
``bootstrap``) and links configured (``WaveSettings.links``), a subscriber's message is
the ``back_in_stock`` (or ``discontinued_substitutes``) template in their locale, with
their signed unsubscribe link in the body and the RFC 8058 ``List-Unsubscribe`` headers
in the delivery's payload, beside the HTML part (SMS: the template's SMS line). Without
them, and for viewers (who have no subscription to leave), the plain text of
``messages`` is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stockguard.services.consent.links import unsubscribe_headers, unsubscribe_url
from stockguard.services.messaging.render import installed
from stockguard.services.substitutes.query import Suggestion
from stockguard.services.waves import messages
from stockguard.services.waves.ports import ProductFacts, Recipient, WaveSettings

BACK_IN_STOCK = "back_in_stock"
DISCONTINUED = "discontinued_substitutes"
GREETING = {"fr": "à vous", "en": "there"}
"""Subscriptions carry no name: ``Hello there`` / ``Bonjour à vous``."""


@dataclass(frozen=True, slots=True)
class Composed:
    subject: str
    body: str
    payload: dict[str, Any] = field(default_factory=dict)


def product_link(settings: WaveSettings, sku: str) -> str:
    base = settings.links.public_base_url if settings.links else ""
    return settings.product_url.format(base=base, sku=sku)


def compose(
    template: str,
    facts: ProductFacts,
    recipient: Recipient,
    settings: WaveSettings,
    now: datetime,
    substitutes: Sequence[Suggestion] = (),
) -> Composed:
    """The message of ``template`` for ``recipient`` (see the module docstring)."""
    renderer = installed()
    links = settings.links
    if renderer is None or links is None or recipient.subscription_id is None:
        return _plain(template, facts, recipient, substitutes)
    language = recipient.locale if recipient.locale in GREETING else "en"
    unsubscribe = unsubscribe_url(recipient.subscription_id, links, now=now)
    context: dict[str, Any] = {
        "name": GREETING[language],
        "product": {
            "sku": facts.sku,
            "name": facts.title,
            "price": facts.price,
            "currency": facts.currency,
        },
        "substitutes": [
            {
                "sku": s.sku,
                "name": s.title,
                "price": s.discounted_price or s.price,
                "currency": s.currency,
                "link": product_link(settings, s.sku),
            }
            for s in substitutes
        ],
        "unsubscribe_link": unsubscribe,
    }
    if template == BACK_IN_STOCK:
        context.update(link=product_link(settings, facts.sku), promise=None)
    rendered = renderer.render(template, language, context)
    if recipient.channel == "sms":
        return Composed(rendered.subject, rendered.sms)
    headers = unsubscribe_headers(recipient.subscription_id, links, now=now)
    return Composed(rendered.subject, rendered.text, {"html": rendered.html, "headers": headers})


def _plain(
    template: str, facts: ProductFacts, recipient: Recipient, substitutes: Sequence[Suggestion]
) -> Composed:
    if template == DISCONTINUED:
        text = messages.discontinued(
            facts.title, facts.sku, recipient.locale, [s.title for s in substitutes]
        )
    else:
        text = messages.back_in_stock(facts.title, facts.sku, recipient.locale)
    return Composed(text.subject, text.body)
