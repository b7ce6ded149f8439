"""The directly built e-mail (``wire.wire_message``) parses back to the same message as
``SmtpTransport.build_message``: headers, text and HTML parts, in fr and en; a line
break in a header value cannot inject a header."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.adapters.notifications.wire import encoded_subject, wire_message
from stockguard.services.outbox.model import Channel, Delivery

SENDER = "shop@shop.example"
HEADERS = {
    "List-Unsubscribe": "<https://shop.example/u?token=abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def _parse(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _delivery(subject: str, body: str, html: str | None) -> Delivery:
    payload: dict[str, object] = {"headers": HEADERS}
    if html is not None:
        payload["html"] = html
    return Delivery("bis:MUG-01:1:7", "wave", Channel.EMAIL, "c7@example.org", subject, body,
                    datetime(2026, 11, 25, 9, 30, tzinfo=UTC), payload)  # fmt: skip


CASES = [
    ("Back in stock: Blue mug", "Hello,\nthe mug is back.\n", "<p>The <b>mug</b> is back</p>"),
    ("De retour : la tasse bleue « Édition été » à 12,50 €", "Bonjour à vous,\nc'est revenu.\n",
     "<p>La tasse est de retour — 12,50\u00a0€</p>"),
    ("Long " + "très " * 60 + "subject", "x" * 5000, None),
    ("Empty body", "", "<p></p>"),
]  # fmt: skip


@pytest.mark.parametrize(("subject", "body", "html"), CASES)
def test_parses_back_like_the_standard_message(subject: str, body: str, html: str | None) -> None:
    delivery = _delivery(subject, body, html)
    raw = wire_message(SENDER, delivery)
    ours = _parse(raw)
    standard = _parse(SmtpTransport("h", 25, SENDER).build_message(delivery).as_bytes())
    names = ["From", "To", "Subject", "Date", "Message-ID", "X-Stockguard-Idempotency-Key",
             *HEADERS]  # fmt: skip
    for name in names:
        assert str(ours[name]) == str(standard[name]), name
    for kind in (("plain",), ("html",)):
        mine, theirs = ours.get_body(kind), standard.get_body(kind)
        assert (mine is None) == (theirs is None)
        if mine is not None and theirs is not None:
            # set_content ends a part with a newline; the wire builder sends it as given
            assert mine.get_content().rstrip("\n") == theirs.get_content().rstrip("\n")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends CRLF


def test_a_line_break_in_a_header_value_cannot_add_a_header() -> None:
    delivery = Delivery("k", "wave", Channel.EMAIL, "a@example.org\r\nBcc: all@example.org",
                        "Hi\nBcc: x@example.org", "body", datetime.now(UTC))  # fmt: skip
    raw = wire_message(SENDER, delivery)
    assert _parse(raw)["Bcc"] is None
    assert not any(line.startswith(b"Bcc") for line in raw.split(b"\r\n"))
    assert b"To: a@example.org  Bcc: all@example.org\r\n" in raw


def test_a_french_subject_is_encoded_and_cached() -> None:
    subject = "Bonne nouvelle : c'est revenu"
    assert encoded_subject(subject) == subject
    accented = "Votre tasse est de retour à 12,50 €"
    assert encoded_subject(accented).startswith("=?utf-8?")
    assert encoded_subject(accented) is encoded_subject(accented)
