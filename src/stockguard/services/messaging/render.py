"""Render a customer message (subject, text, HTML and SMS) in the customer's language.

``render("back_in_stock", "fr", context)`` returns a :class:`RenderedMessage`. The known
templates and the context each needs are in ``services.messaging.registry``; money amounts
are in currency units (``Decimal("12.90")`` EUR, not cents), dates are ``date`` or aware
``datetime``. The engine (Jinja2 with Babel formats, autoescaped HTML, strict context,
operator overrides) is an adapter, ``adapters.notifications.templates.JinjaMessageRenderer``,
which ``bootstrap`` installs with :func:`install` (the services layer imports no template
engine, see the import-linter contracts); tests install it the same way or pass
``renderer=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

SMS_MAX_CHARS = 459  # three concatenated GSM segments of 153 characters


class MessageTemplateError(ValueError):
    """A template cannot be rendered or an override is invalid; the message says why."""


@dataclass(frozen=True, slots=True)
class RenderedMessage:
    """One message in every part: subject line (one line), plain text, HTML and the SMS
    body (one line, at most ``SMS_MAX_CHARS`` characters)."""

    subject: str
    text: str
    html: str
    sms: str


class MessageRenderer(Protocol):
    def render(self, template: str, locale: str, context: Mapping[str, Any]) -> RenderedMessage:
        """Render ``template`` in ``locale``; raise :class:`MessageTemplateError`."""
        ...


_installed: list[MessageRenderer] = []


def install(renderer: MessageRenderer) -> None:
    """Make ``renderer`` the one :func:`render` uses (``bootstrap`` calls it)."""
    _installed[:] = [renderer]


def uninstall() -> None:
    """Remove the installed renderer (messages fall back to plain text); for tests."""
    _installed.clear()


def installed() -> MessageRenderer | None:
    """The renderer :func:`render` uses, if one was installed."""
    return _installed[0] if _installed else None


def render(
    template: str,
    locale: str,
    context: Mapping[str, Any],
    *,
    renderer: MessageRenderer | None = None,
) -> RenderedMessage:
    """Render ``template`` ("back_in_stock", "confirm_subscription", "delay_notice",
    "discontinued_substitutes") in ``locale`` ("fr", "en", "fr_FR", "en-GB" ...) with
    ``context`` (keys in ``registry.TEMPLATES[template].required``).

    Uses ``renderer`` when given, else the installed one. Raises
    :class:`MessageTemplateError` naming the template, the part and the missing or wrong
    value, or saying that no renderer was installed.
    """
    chosen = renderer or installed()
    if chosen is None:
        raise MessageTemplateError(
            "no message renderer installed: bootstrap() installs one; outside it call "
            "stockguard.adapters.notifications.templates.install_default()"
        )
    return chosen.render(template, locale, context)
