"""``stockguard messages``: preview customer message templates, see message analytics
(``stats``, table / CSV / JSON)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from stockguard.adapters.db.messaging import customer_context, product_context
from stockguard.adapters.db.messaging_analytics import SqlAnalyticsSource
from stockguard.entrypoints.cli.context import console, fail, state
from stockguard.entrypoints.cli.export import (
    Format,
    FormatOption,
    OutputOption,
    export_records,
    refuse_output_for_table,
)
from stockguard.services.messaging.analytics import (
    DEFAULT_SUBSTITUTES,
    STATS_FIELDS,
    message_analytics,
)
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
def stats(
    window_days: Annotated[
        int | None,
        typer.Option(
            min=0, max=365, help="Conversion window in days (default: the configured one, 7)."
        ),
    ] = None,
    substitutes: Annotated[
        int,
        typer.Option(min=0, max=50, help="Substitutes per SKU a purchase may be of (0: none)."),
    ] = DEFAULT_SUBSTITUTES,
    output_format: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Customer messages per SKU and template, and in total: sent, delivered (provider
    reports), bounced, clicked, unsubscribed, converted (purchase of the SKU or one of
    its best substitutes by the same contact within the window), with rates."""
    refuse_output_for_table(output_format, output)
    app_ = state.app()
    days = window_days
    if days is None:
        days = app_.settings.messaging.conversion_window_days
    with app_.reader() as session:
        report = message_analytics(
            SqlAnalyticsSource(session), window_days=days, substitutes_per_sku=substitutes
        )
    records = [row.as_record() for row in [*report.rows, report.total]]
    if output_format is not Format.TABLE:
        export_records(records, STATS_FIELDS, output_format, output)
        return
    if not report.rows:
        console.print("no customer messages yet")
        return
    console.print(_stats_table(records))
    basis = ", ".join(f"{n} by {how}" for how, n in sorted(report.unsubscribe_basis.items()))
    console.print(
        f"converted: purchase of the SKU or one of its best {substitutes} substitutes within "
        f"{days} days; unsubscribes matched: {basis or 'none'}",
        markup=False,
        highlight=False,
    )


def _percent(rate: object) -> str:
    return "-" if rate is None else f"{float(str(rate)) * 100:.1f}%"


def _stats_table(records: list[dict[str, object]]) -> Table:
    table = Table("SKU", "template", "sent", "delivered", "bounced", "clicked", "unsub.",
                  "converted", "click %", "conv. %", "bounce %")  # fmt: skip
    for r in records:
        counts = [str(r[k]) for k in ("sent", "delivered", "bounced", "clicked",
                                      "unsubscribed", "converted")]  # fmt: skip
        rates = [_percent(r[k]) for k in ("click_rate", "conversion_rate", "bounce_rate")]
        table.add_row(str(r["sku"] or "-"), str(r["template"]), *counts, *rates)
    return table
