"""The confirmation message (double opt-in), the only message an unconfirmed contact
ever receives."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from stockguard.domain import subscriptions as s
from stockguard.domain.catalog import Product
from stockguard.services.consent.links import LinkConfig, confirm_url
from stockguard.services.messaging.render import installed
from stockguard.services.outbox.model import Channel, Delivery

SOURCE = "consent"
GREETING = {"fr": "à vous", "en": "there"}
"""Subscriptions carry no name: ``Hello there`` / ``Bonjour à vous``."""

_SUBJECT = {
    "en": "Confirm your back-in-stock alert for {title}",
    "fr": "Confirmez votre alerte de retour en stock pour {title}",
}
_EMAIL = {
    "en": (
        "Hello,\n\nYou (or someone using this address) asked to be told when "
        "{title} ({sku}) is back in stock.\n\nConfirm within {hours} hours by opening "
        "this link:\n{url}\n\nIf it was not you, ignore this message: nothing more "
        "will be sent to you.\n"
    ),
    "fr": (
        "Bonjour,\n\nVous (ou quelqu'un utilisant cette adresse) avez demandé à être "
        "prévenu du retour en stock de {title} ({sku}).\n\nConfirmez sous {hours} heures "
        "en ouvrant ce lien :\n{url}\n\nSi ce n'était pas vous, ignorez ce message : "
        "rien d'autre ne vous sera envoyé.\n"
    ),
}
_SMS = {
    "en": "Confirm your alert for {title}: {url} (ignore if it was not you)",
    "fr": "Confirmez votre alerte pour {title} : {url} (ignorez si ce n'était pas vous)",
}


def confirmation(
    subscription: s.Subscription, product: Product, links: LinkConfig, now: datetime
) -> Delivery:
    """The confirmation message of ``subscription`` (its id is set), in its locale,
    with a confirm link valid ``links.confirm_ttl``.

    With a message renderer installed (``services.messaging.render``) the operator's
    ``confirm_subscription`` template is used (e-mail: text and HTML parts); else the
    plain text here. Each request gets its own idempotency key (id, request time
    and a random part, so two simultaneous requests of one contact do not collide): a
    repeated request sends a fresh link, once.
    """
    assert subscription.id is not None
    locale = subscription.consent.locale
    url = confirm_url(subscription.id, links, now=now)
    email = subscription.channel is s.Channel.EMAIL
    payload: dict[str, Any] = {
        "kind": "confirm",
        "subscription_id": subscription.id,
        "locale": locale,
    }
    renderer = installed()
    if renderer is not None:
        context = {
            "name": GREETING[locale],
            "product": {
                "sku": product.sku,
                "name": product.title,
                "price": product.price,
                "currency": product.currency,
            },
            "confirm_link": url,
            "expires_at": now + links.confirm_ttl,
        }
        rendered = renderer.render("confirm_subscription", locale, context)
        subject, body = rendered.subject, rendered.text if email else rendered.sms
        if email:
            payload["html"] = rendered.html
    else:
        hours = int(links.confirm_ttl.total_seconds() // 3600)
        fields = {"title": product.title, "sku": product.sku, "url": url, "hours": hours}
        subject = _SUBJECT[locale].format(**fields)
        body = (_EMAIL if email else _SMS)[locale].format(**fields)
    stamp = int(now.timestamp() * 1000)
    return Delivery(
        idempotency_key=f"{SOURCE}:confirm:{subscription.id}:{stamp}:{secrets.token_hex(4)}",
        source=SOURCE,
        channel=Channel.EMAIL if email else Channel.SMS,
        target=subscription.contact,
        subject=subject,
        body=body,
        created_at=now,
        payload=payload,
    )
