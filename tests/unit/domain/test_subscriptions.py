"""Contacts, channels and consent of back-in-stock subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stockguard.domain import subscriptions as s

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ann.Lee@Example.COM ", "ann.lee@example.com"),
        ("o'brien+mugs@shop.co.uk", "o'brien+mugs@shop.co.uk"),
    ],
)
def test_an_email_is_trimmed_and_lower_cased(raw: str, expected: str) -> None:
    assert s.normalize_contact(s.Channel.EMAIL, raw) == expected


@pytest.mark.parametrize(
    "raw", ["ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "a..b@example.com",
            "ann@exa mple.com", "ann@-example.com", "x" * 250 + "@example.com"],
)  # fmt: skip
def test_a_malformed_email_is_refused_with_the_field_and_reason(raw: str) -> None:
    with pytest.raises(s.InvalidSubscription) as refused:
        s.normalize_contact(s.Channel.EMAIL, raw)
    assert refused.value.field == "contact"
    assert "e-mail" in refused.value.reason or "longer than" in refused.value.reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033 (6) 12-34-56-78", "+33612345678"),
        ("+1 415.555.0100", "+14155550100"),
    ],
)
def test_a_phone_number_becomes_e164(raw: str, expected: str) -> None:
    assert s.normalize_contact(s.Channel.SMS, raw) == expected


def test_a_national_phone_number_is_refused_asking_for_the_country_code() -> None:
    with pytest.raises(s.InvalidSubscription, match="international format"):
        s.normalize_contact(s.Channel.SMS, "06 12 34 56 78")


@pytest.mark.parametrize("raw", ["+0612345678", "+33 6 12", "+33612345678901234", "+33abc45678"])
def test_a_phone_number_outside_e164_is_refused(raw: str) -> None:
    with pytest.raises(s.InvalidSubscription, match=r"E\.164"):
        s.normalize_contact(s.Channel.SMS, raw)


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(s.InvalidSubscription, match="'email' or 'sms'"):
        s.parse_channel("pigeon")
    assert s.parse_channel(" SMS ") is s.Channel.SMS


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"text": "  "}, "consent_text"), ({"text": "x" * 1001}, "consent_text"),
     ({"source": "import"}, "source"), ({"locale": "de"}, "locale")],
)  # fmt: skip
def test_consent_must_say_what_was_agreed_where_and_in_which_language(
    overrides: dict[str, str], field: str
) -> None:
    values: dict[str, object] = {"text": "I agree", "given_at": NOW} | overrides
    with pytest.raises(s.InvalidSubscription) as refused:
        s.Consent(**values)  # type: ignore[arg-type]
    assert refused.value.field == field


def _subscription(status: s.SubscriptionStatus) -> s.Subscription:
    consent = s.Consent("I agree", NOW, locale="fr")
    return s.Subscription("MUG-01", s.Channel.EMAIL, "ann@example.com", consent, NOW, status)


def test_a_repeated_request_keeps_a_waiting_subscription_and_its_place() -> None:
    for status in (s.SubscriptionStatus.PENDING, s.SubscriptionStatus.CONFIRMED):
        subscription = _subscription(status)
        later = s.Consent("I agree again", datetime(2026, 11, 26, tzinfo=UTC))
        assert subscription.renew(later) is False
        assert subscription.status is status
        assert subscription.created_at == NOW
        assert subscription.consent.text == "I agree"


def test_an_unsubscribed_contact_who_asks_again_is_pending_at_the_back_of_the_queue() -> None:
    subscription = _subscription(s.SubscriptionStatus.UNSUBSCRIBED)
    later = s.Consent("I agree again", datetime(2026, 11, 26, tzinfo=UTC), locale="en")
    assert subscription.renew(later) is True
    assert subscription.status is s.SubscriptionStatus.PENDING
    assert subscription.created_at == later.given_at
    assert subscription.consent is later
