"""E-mail through SMTP (``smtplib``): plain, STARTTLS or SSL, optional login.

The Message-ID is derived from the delivery's idempotency key, so a message resent after
a crash carries the same Message-ID as the first copy; mail clients and archives that
de-duplicate on it show it once.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Delivery

Security = Literal["none", "starttls", "ssl"]
PERMANENT_CODES = range(500, 600)
"""SMTP 5xx replies refuse a message for good (bad recipient, policy)."""


def message_id(idempotency_key: str, sender: str) -> str:
    """``<sha256(key)[:32]@sender-domain>``: the same key always gives the same id."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    domain = sender.rsplit("@", 1)[-1] or "stockguard.invalid"
    return f"<{digest}@{domain}>"


@dataclass(frozen=True, slots=True)
class SmtpTransport:
    host: str
    port: int
    sender: str
    security: Security = "none"
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def build_message(self, delivery: Delivery) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = delivery.target
        message["Subject"] = delivery.subject
        message["Date"] = format_datetime(delivery.created_at)
        message["Message-ID"] = message_id(delivery.idempotency_key, self.sender)
        message["X-Stockguard-Idempotency-Key"] = delivery.idempotency_key
        for name, value in delivery.payload.get("headers", {}).items():
            message[name] = value  # e.g. List-Unsubscribe (RFC 8058) of customer messages
        message.set_content(delivery.body)
        if html := delivery.payload.get("html"):
            message.add_alternative(html, subtype="html")  # multipart/alternative
        return message

    def send(self, delivery: Delivery) -> None:
        """Send one message; raises ``DeliveryFailed`` (permanent for 5xx replies)."""
        message = self.build_message(delivery)
        try:
            with self._connect() as client:
                if self.security == "starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except smtplib.SMTPResponseException as error:
            reason = f"SMTP {error.smtp_code} from {self.host}: {error.smtp_error!r}"
            raise DeliveryFailed(reason, permanent=error.smtp_code in PERMANENT_CODES) from error
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(
                f"{self.host} refused {delivery.target}", permanent=True
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            reason = f"cannot send through {self.host}:{self.port}: {error}"
            raise DeliveryFailed(reason) from error

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            context = ssl.create_default_context()
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
