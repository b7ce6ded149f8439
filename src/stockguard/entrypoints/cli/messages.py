"""``stockguard messages``: preview customer message templates, see message analytics."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from stockguard.adapters.db.messaging import customer_context, message_stats, product_context
from stockguard.entrypoints.cli.context import console, fail, state
from stockguard.services.messaging.registry import SAMPLES, TEMPLATES
from stockguard.services.messaging.render import MessageTemplateError, render

app = typer.Typer(help="Customer messages: templates and previews.", no_args_is_help=True)


def _real_context(session: Session, sku: str | None, customer: str | None) -> dict[str, Any]:
    """The product and customer name from the database, refusing unknown ones."""
    found: dict[str, Any] = {}
    if sku is not None:
        product = product_context(session, sku)
        if product is None:
            raise fail(f"--sku {sku!r}: no product with this SKU in the catalogue")
        found["product"] = product
    if customer is not None:
        person = customer_context(session, customer)
        if person is None:
            raise fail(f"--customer {customer!r}: no customer with this id")
        found["name"] = person["name"]
    return found


@app.command("preview")
def preview(
    template: Annotated[str, typer.Argument(help=f"One of: {', '.join(sorted(TEMPLATES))}.")],
    lang: Annotated[str, typer.Option(help="Language or locale: fr, en, fr_FR, en-GB.")] = "en",
    sku: Annotated[str | None, typer.Option(help="Show this product (from the catalogue).")] = None,
    customer: Annotated[
        str | None, typer.Option(help="Address this customer (external id) by name.")
    ] = None,
    part: Annotated[
        str, typer.Option(help="Which part to print: all, subject, text, html or sms.")
    ] = "all",
) -> None:
    """Render TEMPLATE on a sample context (links, dates and substitutes are examples),
    with the real product and customer when --sku / --customer are given, through the
    operator overrides when STOCKGUARD_MESSAGING__TEMPLATES_DIR is set."""
    if template not in TEMPLATES:
        raise fail(f"unknown template {template!r}; known: {', '.join(sorted(TEMPLATES))}")
    if part not in ("all", "subject", "text", "html", "sms"):
        raise fail(f"--part {part!r}: use all, subject, text, html or sms")
    app_ = state.app()  # installs the renderer with the configured overrides
    context = dict(SAMPLES[template])
    if sku is not None or customer is not None:
        with app_.reader() as session:
            context.update(_real_context(session, sku, customer))
    try:
        message = render(template, lang, context)
    except MessageTemplateError as error:
        raise fail(str(error)) from None
    parts = {"subject": message.subject, "text": message.text, "html": message.html,
             "sms": message.sms}  # fmt: skip
    for name, value in parts.items():
        if part in ("all", name):
            if part == "all":
                console.rule(f"{name} ({len(value)} characters)" if name == "sms" else name)
            console.print(value, markup=False, highlight=False, soft_wrap=True)


@app.command("stats")
def stats() -> None:
    """Customer messages per SKU and template by event (distinct messages): clicked
    (signed links) and any other recorded event."""
    with state.app().reader() as session:
        rows = message_stats(session)
    if not rows:
        console.print("no message events recorded yet")
        return
    table = Table("SKU", "template", "event", "messages")
    for sku, template, kind, count in rows:
        table.add_row(sku or "-", template, kind, str(count))
    console.print(table)
