"""Delay notice texts: the ``delay_notice`` template of ``services.messaging`` (e-mail
text + HTML in the customer's language) when a renderer is installed and the notice fits
it, else a plain-text English fallback of this module.

The template needs both dates and expresses an offer as an amount or free shipping; a
notice without a previous or new date, or with a percentage offer, uses the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from stockguard.services.compensation.handlers import describe
from stockguard.services.compensation.model import AffectedOrder, Contact, IssuedCode
from stockguard.services.messaging import render as messaging
from stockguard.services.substitutes.query import Suggestion

TEMPLATE = "delay_notice"
ProductLink = Callable[[str], str]
"""The product page of a SKU (``WavesSettings.product_url`` filled in)."""


@dataclass(frozen=True, slots=True)
class NoticeText:
    subject: str
    body: str
    html: str | None = None


def delay_notice(
    contact: Contact,
    order: AffectedOrder,
    new_date: date | None,
    previous: date | None,
    code: IssuedCode | None,
    *,
    link: str = "",
    substitutes: Sequence[Suggestion] = (),
    product_link: ProductLink | None = None,
) -> NoticeText:
    """The apology for a late order with the new date, the compensation code and the
    customer's in-stock substitutes (linked with ``product_link``, else none)."""
    renderer = messaging.installed()
    fits = (
        new_date is not None and previous is not None and (code is None or code.kind != "percent")
    )
    if renderer is not None and fits:
        context: dict[str, Any] = {
            "name": contact.name or "",
            "product": {"sku": order.sku, "name": order.title or order.sku,
                        "currency": order.currency},
            "order_ref": order.ref,
            "old_date": previous,
            "new_date": new_date,
            "compensation": None if code is None else {
                "kind": "free_shipping" if code.kind == "free_shipping" else "discount",
                "code": code.code,
                "amount": code.face_value,
                "currency": code.currency,
            },
            "link": link,
            "substitutes": _offered(substitutes, product_link),
        }  # fmt: skip
        try:
            made = messaging.render(TEMPLATE, contact.locale, context, renderer=renderer)
        except messaging.MessageTemplateError:
            pass  # an operator override that does not fit: the fallback still informs
        else:
            return NoticeText(made.subject, made.text, made.html)
    return plain_notice(contact, order, new_date, code)


def _offered(
    substitutes: Sequence[Suggestion], product_link: ProductLink | None
) -> list[dict[str, Any]]:
    """Template entries of the substitutes; none without a way to link to them."""
    if product_link is None:
        return []
    return [
        {"sku": s.sku, "name": s.title, "price": s.discounted_price or s.price,
         "currency": s.currency, "link": product_link(s.sku)}
        for s in substitutes
    ]  # fmt: skip


def plain_notice(
    contact: Contact, order: AffectedOrder, new_date: date | None, code: IssuedCode | None
) -> NoticeText:
    """The fallback: English plain text."""
    noun = "pre-order" if order.kind == "preorder" else "order"
    greeting = f"Hello {contact.name}," if contact.name else "Hello,"
    when = (
        f"We now expect to ship it by {new_date:%A %d %B %Y}."
        if new_date
        else "We do not have a new date yet; we will write again as soon as we do."
    )
    product = order.title or order.sku
    lines = [
        greeting,
        "",
        f"We are sorry: your {noun} {order.ref} ({order.quantity} x {product}) will be later "
        "than we told you.",
        when,
    ]
    if code is not None:
        lines += [
            "",
            f"To apologise, here is {describe(code)}: use the code {code.code} at checkout"
            " (it can be used once).",
        ]
    lines += ["", "Thank you for your patience."]
    return NoticeText(f"Your {noun} {order.ref} is delayed", "\n".join(lines))
