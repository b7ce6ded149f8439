"""The worker's customer-message channels from the settings: the SMS provider
(``STOCKGUARD_SMS__*``) and the per-channel throughput limits (``STOCKGUARD_THROUGHPUT__*``)."""

from __future__ import annotations

from stockguard.adapters.notifications.sms import HttpSmsTransport, parse_payload_template
from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.adapters.notifications.smtp_pool import PooledSmtpTransport
from stockguard.config import Settings
from stockguard.services.messaging.throttle import TokenBucket
from stockguard.services.outbox.delivery import Transport
from stockguard.services.outbox.model import Channel


def sms_transport(settings: Settings) -> HttpSmsTransport | None:
    """The generic HTTP SMS transport, or None when ``STOCKGUARD_SMS__URL`` is unset;
    raises ``SmsConfigError`` for a bad URL or payload template."""
    sms = settings.sms
    if sms.url is None:
        return None
    return HttpSmsTransport(
        url=sms.url,
        payload_template=parse_payload_template(sms.payload_template),
        sender=sms.sender,
        auth_header=sms.auth_header,
        auth_value=sms.auth_value.get_secret_value() if sms.auth_value else None,
        timeout=sms.timeout,
    )


def throttles(settings: Settings) -> dict[Channel, TokenBucket]:
    """A token bucket per channel with a limit (rate > 0)."""
    limits = settings.throughput
    rates = {Channel.EMAIL: limits.email_per_second, Channel.SMS: limits.sms_per_second,
             Channel.WEBHOOK: limits.webhook_per_second}  # fmt: skip
    return {
        channel: TokenBucket(rate=rate, burst=limits.burst)
        for channel, rate in rates.items()
        if rate > 0
    }


def kept_open(transport: Transport) -> Transport:
    """``STOCKGUARD_SMTP__KEEP_OPEN``: the SMTP transport over one kept-open connection."""
    if isinstance(transport, SmtpTransport):
        return PooledSmtpTransport(transport)
    return transport
