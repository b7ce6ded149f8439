"""Signed, expiring tokens and the links built from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from stockguard.services.consent import links, tokens
from stockguard.services.consent.tokens import Purpose

SECRET = b"test-secret"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
CONFIG = links.LinkConfig(SECRET, "https://shop.example.com", "unsub@example.com")


def test_a_signed_token_verifies_to_its_subscription() -> None:
    token = tokens.sign(SECRET, Purpose.CONFIRM, 42, NOW + timedelta(hours=1))
    assert tokens.verify(SECRET, Purpose.CONFIRM, token, NOW) == 42


@pytest.mark.parametrize(
    "alter",
    [
        lambda t: t.replace("42.", "43.", 1),  # another subscription
        lambda t: t[:-2],  # truncated signature
        lambda t: t.rsplit(".", 1)[0] + ".AAAA",
        lambda t: "garbage",
        lambda t: "",
        lambda t: t + "x" * 300,
    ],
)
def test_an_altered_token_is_forged(alter: object) -> None:
    token = tokens.sign(SECRET, Purpose.CONFIRM, 42, NOW + timedelta(hours=1))
    with pytest.raises(tokens.ForgedToken):
        tokens.verify(SECRET, Purpose.CONFIRM, alter(token), NOW)  # type: ignore[operator]


def test_a_token_signed_with_another_secret_or_purpose_is_forged() -> None:
    token = tokens.sign(SECRET, Purpose.CLICK, 42, NOW + timedelta(hours=1))
    with pytest.raises(tokens.ForgedToken):
        tokens.verify(SECRET, Purpose.UNSUBSCRIBE, token, NOW)
    with pytest.raises(tokens.ForgedToken):
        tokens.verify(b"other", Purpose.CLICK, token, NOW)


def test_an_expired_token_is_refused_with_its_expiry() -> None:
    token = tokens.sign(SECRET, Purpose.CONFIRM, 42, NOW)
    with pytest.raises(tokens.ExpiredToken) as refused:
        tokens.verify(SECRET, Purpose.CONFIRM, token, NOW + timedelta(seconds=1))
    assert "2026-11-25 12:00" in str(refused.value)


def test_unsubscribe_headers_follow_rfc_8058() -> None:
    headers = links.unsubscribe_headers(7, CONFIG, now=NOW)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = headers["List-Unsubscribe"].split(", ")
    assert https.startswith("<https://shop.example.com/storefront/v1/subscriptions/unsubscribe?")
    assert mailto.startswith("<mailto:unsub@example.com?subject=")
    token = parse_qs(urlsplit(https.strip("<>")).query)["token"][0]
    assert tokens.verify(SECRET, Purpose.UNSUBSCRIBE, token, NOW + timedelta(days=399)) == 7


def test_confirm_url_expires_after_its_ttl() -> None:
    url = links.confirm_url(9, CONFIG, now=NOW)
    token = parse_qs(urlsplit(url).query)["token"][0]
    assert tokens.verify(SECRET, Purpose.CONFIRM, token, NOW + timedelta(hours=71)) == 9
    with pytest.raises(tokens.ExpiredToken):
        tokens.verify(SECRET, Purpose.CONFIRM, token, NOW + timedelta(hours=72))


def test_ip_digest_is_keyed() -> None:
    assert tokens.hmac_ip(SECRET, "1.2.3.4") != tokens.hmac_ip(b"other", "1.2.3.4")
    assert tokens.hmac_ip(SECRET, None) is None
