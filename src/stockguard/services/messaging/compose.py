"""Turn a rendered customer message into a queued delivery (e-mail or SMS).

The e-mail's text goes in ``Delivery.body``; the HTML part, the extra headers
(``List-Unsubscribe`` ...), the template and the SKU go in ``Delivery.payload`` (the SMTP
transport adds the HTML as a ``multipart/alternative`` part and the headers as they are;
the analytics group by template and SKU). An SMS delivery carries the SMS part as body.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from stockguard.services.messaging.render import RenderedMessage
from stockguard.services.outbox.model import Channel, Delivery


def customer_delivery(
    message: RenderedMessage,
    *,
    idempotency_key: str,
    channel: Channel,
    target: str,
    template: str,
    sku: str | None,
    created_at: datetime,
    headers: Mapping[str, str] | None = None,
    source: str = "messaging",
) -> Delivery:
    """One delivery of ``message`` to ``target`` (an address or an E.164 phone number)."""
    if channel is Channel.SMS:
        body, subject = message.sms, ""
        payload: dict[str, object] = {}
    else:
        body, subject = message.text, message.subject
        payload = {"html": message.html, "headers": dict(headers or {})}
    payload |= {"template": template, "sku": sku}
    return Delivery(
        idempotency_key=idempotency_key,
        source=source,
        channel=channel,
        target=target,
        subject=subject,
        body=body,
        created_at=created_at,
        payload=payload,
    )
