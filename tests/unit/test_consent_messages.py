"""The confirmation message (double opt-in) and the rate-limit arithmetic, on fakes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from stockguard.adapters.notifications.templates import JinjaMessageRenderer
from stockguard.domain import catalog
from stockguard.domain import subscriptions as s
from stockguard.services.consent import links, messages, ratelimit, tokens
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.consent.ports import RequestTimes
from stockguard.services.messaging import render
from stockguard.services.outbox.model import Channel

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
MUG = catalog.Product("MUG-01", "Ceramic mug", Decimal("12.90"))
POLICY = ConsentPolicy(links.LinkConfig(b"k", "https://shop.example"), per_contact=2, per_ip=3)


def a_subscription(channel: s.Channel, contact: str, locale: str) -> s.Subscription:
    consent = s.Consent("I agree.", NOW, locale=locale)
    return s.Subscription("MUG-01", channel, contact, consent, NOW, id=17)


@pytest.fixture
def no_renderer() -> Iterator[None]:
    before = render.installed()
    render._installed.clear()
    yield
    if before is not None:
        render.install(before)


@pytest.fixture
def jinja() -> Iterator[None]:
    before = render.installed()
    render.install(JinjaMessageRenderer())
    yield
    render._installed.clear()
    if before is not None:
        render.install(before)


def _token(body: str) -> str:
    link = next(w for w in body.split() if links.CONFIRM_PATH in w)
    return link.split("token=")[1]


@pytest.mark.usefixtures("no_renderer")
@pytest.mark.parametrize("locale", ["en", "fr"])
def test_plain_confirmation_carries_a_working_link(locale: str) -> None:
    sub = a_subscription(s.Channel.EMAIL, "ann@example.com", locale)
    delivery = messages.confirmation(sub, MUG, POLICY.links, NOW)
    assert (delivery.channel, delivery.target, delivery.source) == (
        Channel.EMAIL, "ann@example.com", "consent",
    )  # fmt: skip
    assert "Ceramic mug" in delivery.subject
    assert tokens.verify(b"k", tokens.Purpose.CONFIRM, _token(delivery.body), NOW) == 17
    assert delivery.payload["kind"] == "confirm"


@pytest.mark.usefixtures("jinja")
def test_with_the_template_engine_the_operator_template_is_used() -> None:
    sub = a_subscription(s.Channel.EMAIL, "ann@example.com", "fr")
    delivery = messages.confirmation(sub, MUG, POLICY.links, NOW)
    assert delivery.subject.startswith("Confirmez")
    assert tokens.verify(b"k", tokens.Purpose.CONFIRM, _token(delivery.body), NOW) == 17
    assert links.CONFIRM_PATH in delivery.payload["html"]
    sms = messages.confirmation(
        a_subscription(s.Channel.SMS, "+33612345678", "en"), MUG, POLICY.links, NOW
    )
    assert sms.channel is Channel.SMS
    assert "\n" not in sms.body
    assert "html" not in sms.payload


class Times:
    def __init__(self, contact: list[datetime], ip: list[datetime]) -> None:
        self.times = RequestTimes(contact, ip)

    def request_times(
        self, contact_hmac: str, ip_hmac: str | None, since: datetime
    ) -> RequestTimes:
        return RequestTimes(
            [t for t in self.times.by_contact if t > since],
            [t for t in self.times.by_ip if t > since],
        )


def test_retry_after_is_when_the_oldest_counted_request_leaves_the_window() -> None:
    contact = [NOW - timedelta(minutes=50), NOW - timedelta(minutes=10)]
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check(Times(contact, []), POLICY, "c", "i", NOW)  # type: ignore[arg-type]
    assert (refused.value.scope, refused.value.retry_after) == ("contact", 10 * 60)
    # one request older than the window no longer counts
    ratelimit.check(Times([NOW - timedelta(minutes=61), *contact[1:]], []), POLICY, "c", "i", NOW)  # type: ignore[arg-type]
    ip = [NOW - timedelta(minutes=m) for m in (59, 30, 1)]
    with pytest.raises(ratelimit.RateLimited) as flood:
        ratelimit.check(Times([], ip), POLICY, "c", "i", NOW)  # type: ignore[arg-type]
    assert (flood.value.scope, flood.value.retry_after) == ("address", 60)
    ratelimit.check(Times([], ip), POLICY, "c", None, NOW)  # type: ignore[arg-type]  # no address known
