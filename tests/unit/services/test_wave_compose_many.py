"""A wave's messages rendered once per locale and channel (``compose_many``) are exactly
the messages rendered one recipient at a time (``compose``): subject, text, HTML, SMS,
each recipient's own signed unsubscribe link and List-Unsubscribe headers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from stockguard.adapters.notifications.templates import install_default
from stockguard.services.consent.links import LinkConfig
from stockguard.services.substitutes.query import Suggestion
from stockguard.services.waves import compose
from stockguard.services.waves.ports import ProductFacts, Recipient, WaveSettings

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FACTS = ProductFacts("MUG-01", "Mug « été »", "active", 30, Decimal("12.50"), "EUR")


def _recipients() -> list[Recipient]:
    people = [
        Recipient(i, None, "sms" if i % 5 == 0 else "email",
                  f"+3360000{i:04d}" if i % 5 == 0 else f"c{i}@example.org",
                  ("fr", "en", "de")[i % 3], NOW)
        for i in range(1, 31)
    ]  # fmt: skip
    people.append(Recipient(None, "C9", "email", "viewer@example.org", "fr", NOW))
    return people


def _settings(base: str) -> WaveSettings:
    links = LinkConfig(b"k" * 32, base, unsubscribe_mailto="unsub@shop.example")
    return WaveSettings(links=links)


def test_one_rendering_per_group_gives_each_recipient_their_own_message() -> None:
    install_default()
    settings = _settings("https://shop.example")
    recipients = _recipients()
    for template, substitutes in (
        (compose.BACK_IN_STOCK, []),
        (
            compose.DISCONTINUED,
            [
                Suggestion(
                    "MUG-02",
                    "Mug bleu",
                    "mugs",
                    Decimal("9.90"),
                    "EUR",
                    4,
                    0.8,
                    None,
                    None,
                    "similar",
                )
            ],
        ),
    ):
        many = compose.compose_many(template, FACTS, recipients, settings, NOW, substitutes)
        single = [compose.compose(template, FACTS, r, settings, NOW, substitutes)
                  for r in recipients]  # fmt: skip
        assert many == single
        links = {m.body for m in many}
        assert len(links) > 20  # each subscriber has their own link
        assert not any(compose.UNSUBSCRIBE_SLOT in m.body for m in many)
        assert not any(compose.UNSUBSCRIBE_SLOT in str(m.payload.get("html")) for m in many)


def test_a_link_the_html_would_escape_is_rendered_alone() -> None:
    install_default()
    settings = _settings("https://shop.example/?a=1&b=2")
    recipients = _recipients()[:6]
    many = compose.compose_many(compose.BACK_IN_STOCK, FACTS, recipients, settings, NOW)
    assert many == [compose.compose(compose.BACK_IN_STOCK, FACTS, r, settings, NOW)
                    for r in recipients]  # fmt: skip
    assert "&amp;b=2" in str(many[1].payload["html"])
