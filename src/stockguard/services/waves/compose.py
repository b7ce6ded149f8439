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

from stockguard.services.consent.links import LinkConfig, unsubscribe_headers, unsubscribe_url
from stockguard.services.messaging.render import installed
from stockguard.services.substitutes.query import Suggestion
from stockguard.services.waves import messages
from stockguard.services.waves.ports import ProductFacts, Recipient, WaveSettings

BACK_IN_STOCK = "back_in_stock"
DISCONTINUED = "discontinued_substitutes"
GREETING = {"fr": "à vous", "en": "there"}
"""Without the customer's name: ``Hello there`` / ``Bonjour à vous``."""


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
    links = settings.links
    if installed() is None or links is None or recipient.subscription_id is None:
        return _plain(template, facts, recipient, substitutes)
    unsubscribe = unsubscribe_url(recipient.subscription_id, links, now=now)
    composed = _render(template, facts, recipient, settings, substitutes, unsubscribe)
    if recipient.channel == "sms":
        return composed
    headers = unsubscribe_headers(recipient.subscription_id, links, now=now)
    return Composed(composed.subject, composed.body, {**composed.payload, "headers": headers})


def _language(recipient: Recipient) -> str:
    return recipient.locale if recipient.locale in GREETING else "en"


def _render(
    template: str,
    facts: ProductFacts,
    recipient: Recipient,
    settings: WaveSettings,
    substitutes: Sequence[Suggestion],
    unsubscribe: str,
) -> Composed:
    """The rendered message (SMS: subject and SMS line; e-mail: text and ``html``)."""
    renderer = installed()
    if renderer is None:
        raise RuntimeError("no message renderer is installed")
    language = _language(recipient)
    context: dict[str, Any] = {
        "name": recipient.name or GREETING[language],
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
    return Composed(rendered.subject, rendered.text, {"html": rendered.html})


UNSUBSCRIBE_SLOT = "sgUnsubscribeSlot7f3a9c"
"""Stands for the recipient's unsubscribe link in a wave's shared rendering; plain
letters, so the template's escaping leaves it as it is."""
_ESCAPED = set("&<>\"'")


def compose_many(
    template: str,
    facts: ProductFacts,
    recipients: Sequence[Recipient],
    settings: WaveSettings,
    now: datetime,
    substitutes: Sequence[Suggestion] = (),
) -> list[Composed]:
    """``[compose(template, facts, r, settings, now, substitutes) for r in recipients]``,
    rendering the template once per locale and channel instead of once per recipient.

    In a wave the only part that differs between two subscribers of one locale (and
    greeting name) is their signed unsubscribe link: each group is rendered with
    ``UNSUBSCRIBE_SLOT`` in its place, then each recipient's link is put in the slot. A
    link that the HTML template would escape (it holds one of ``& < > " '``) is rendered
    alone, so the result is always exactly ``compose``'s.
    """
    renderer, links = installed(), settings.links
    shared: dict[tuple[str, str, str | None], Composed] = {}
    out = []
    for recipient in recipients:
        if renderer is None or links is None or recipient.subscription_id is None:
            out.append(compose(template, facts, recipient, settings, now, substitutes))
            continue
        link = unsubscribe_url(recipient.subscription_id, links, now=now)
        if _ESCAPED & set(link):
            out.append(compose(template, facts, recipient, settings, now, substitutes))
            continue
        group = (_language(recipient), recipient.channel, recipient.name)
        if group not in shared:
            shared[group] = _render(template, facts, recipient, settings, substitutes,
                                    UNSUBSCRIBE_SLOT)  # fmt: skip
        out.append(_fill(shared[group], recipient, link, links, now))
    return out


def _fill(
    skeleton: Composed, recipient: Recipient, link: str, links: LinkConfig, now: datetime
) -> Composed:
    body = skeleton.body.replace(UNSUBSCRIBE_SLOT, link)
    if recipient.channel == "sms" or recipient.subscription_id is None:
        return Composed(skeleton.subject, body)
    html = str(skeleton.payload["html"]).replace(UNSUBSCRIBE_SLOT, link)
    headers = unsubscribe_headers(recipient.subscription_id, links, now=now)
    return Composed(skeleton.subject, body, {"html": html, "headers": headers})


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
