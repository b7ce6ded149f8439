"""SMTP with a kept-open connection: the ``SmtpTransport`` message, one connection per
thread reused across messages (``RSET``-free: each transaction ends with the server's
reply to DATA), reopened once when the server has dropped it. Saves the TCP set-up,
greeting, EHLO and QUIT round trips of every message, and builds the bytes with
``wire.wire_message``; used for bulk customer messages."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import threading
from dataclasses import dataclass, field

from stockguard.adapters.notifications.smtp import PERMANENT_CODES, SmtpTransport
from stockguard.adapters.notifications.wire import wire_message
from stockguard.services.outbox.delivery import DeliveryFailed
from stockguard.services.outbox.model import Delivery


@dataclass(slots=True)
class PooledSmtpTransport:
    """``Transport`` keeping one open connection per thread to ``smtp``'s server."""

    smtp: SmtpTransport
    _local: threading.local = field(default_factory=threading.local)

    def _client(self) -> smtplib.SMTP:
        client: smtplib.SMTP | None = getattr(self._local, "client", None)
        if client is None:
            client = self.smtp._connect()
            if self.smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.smtp.username:
                client.login(self.smtp.username, self.smtp.password or "")
            self._local.client = client
        return client

    def _drop(self) -> None:
        client = getattr(self._local, "client", None)
        self._local.client = None
        if client is not None:
            with contextlib.suppress(OSError):
                client.close()

    def send(self, delivery: Delivery) -> None:
        """Send one message on the kept connection; raises ``DeliveryFailed`` like
        ``SmtpTransport.send`` (permanent for 5xx)."""
        message = wire_message(self.smtp.sender, delivery)
        for attempt in (1, 2):
            try:
                self._client().sendmail(self.smtp.sender, [delivery.target], message)
                return
            except smtplib.SMTPServerDisconnected as error:
                self._drop()
                if attempt == 2:
                    raise DeliveryFailed(f"{self.smtp.host} closed the connection") from error
            except smtplib.SMTPResponseException as error:
                self._reset()
                reason = f"SMTP {error.smtp_code} from {self.smtp.host}: {error.smtp_error!r}"
                permanent = error.smtp_code in PERMANENT_CODES
                raise DeliveryFailed(reason, permanent=permanent) from error
            except smtplib.SMTPRecipientsRefused as error:
                self._reset()
                raise DeliveryFailed(f"{self.smtp.host} refused {delivery.target}",
                                     permanent=True) from error  # fmt: skip
            except (smtplib.SMTPException, OSError) as error:
                self._drop()
                reason = f"cannot send through {self.smtp.host}:{self.smtp.port}: {error}"
                raise DeliveryFailed(reason) from error

    def _reset(self) -> None:
        try:
            self._client().rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def close(self) -> None:
        """Quit this thread's connection (the worker calls it on shutdown)."""
        client = getattr(self._local, "client", None)
        self._local.client = None
        if client is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
