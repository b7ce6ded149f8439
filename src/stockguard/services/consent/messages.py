"""The confirmation message (double opt-in), the only message an unconfirmed contact
ever receives."""

from __future__ import annotations

from datetime import datetime

from stockguard.domain import subscriptions as s
from stockguard.services.consent.links import LinkConfig, confirm_url
from stockguard.services.outbox.model import Channel, Delivery

SOURCE = "consent"

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
    subscription: s.Subscription, title: str, links: LinkConfig, now: datetime
) -> Delivery:
    """The confirmation message of ``subscription`` (its id is set), in its locale,
    with a confirm link valid ``links.confirm_ttl``. The idempotency key carries the
    request time, so a repeated request sends a fresh link once."""
    assert subscription.id is not None
    locale = subscription.consent.locale
    url = confirm_url(subscription.id, links, now=now)
    hours = int(links.confirm_ttl.total_seconds() // 3600)
    fields = {"title": title, "sku": subscription.sku, "url": url, "hours": hours}
    email = subscription.channel is s.Channel.EMAIL
    body = (_EMAIL if email else _SMS)[locale].format(**fields)
    return Delivery(
        idempotency_key=f"{SOURCE}:confirm:{subscription.id}:{int(now.timestamp() * 1000)}",
        source=SOURCE,
        channel=Channel.EMAIL if email else Channel.SMS,
        target=subscription.contact,
        subject=_SUBJECT[locale].format(**fields),
        body=body,
        created_at=now,
        payload={"kind": "confirm", "subscription_id": subscription.id, "locale": locale},
    )
