"""Plain-text delay notices (subject and body), the fallback until operator templates
(``services.messaging``) render them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stockguard.services.compensation.handlers import describe
from stockguard.services.compensation.model import AffectedOrder, Contact, IssuedCode


@dataclass(frozen=True, slots=True)
class NoticeText:
    subject: str
    body: str


def _what(order: AffectedOrder) -> str:
    noun = "pre-order" if order.kind == "preorder" else "order"
    return f"your {noun} {order.ref} ({order.quantity} x {order.sku})"


def delay_notice(
    contact: Contact, order: AffectedOrder, new_date: date | None, code: IssuedCode | None
) -> NoticeText:
    """The apology for a late order, the new date (or that none is known yet) and the
    compensation code if one was issued."""
    greeting = f"Hello {contact.name}," if contact.name else "Hello,"
    when = (
        f"We now expect to ship it by {new_date:%A %d %B %Y}."
        if new_date
        else "We do not have a new date yet; we will write again as soon as we do."
    )
    lines = [
        greeting,
        "",
        f"We are sorry: {_what(order)} will be later than we told you.",
        when,
    ]
    if code is not None:
        lines += [
            "",
            f"To apologise, here is {describe(code)}: use the code {code.code} at checkout"
            " (it can be used once).",
        ]
    lines += ["", "Thank you for your patience."]
    subject = f"Your {'pre-order' if order.kind == 'preorder' else 'order'} {order.ref} is delayed"
    return NoticeText(subject, "\n".join(lines))
