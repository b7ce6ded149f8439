"""``stockguard contacts``: export or erase what is stored about a shopper's contact."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.services.consent import customer_tokens
from stockguard.services.consent import handlers as h

app = typer.Typer(
    help="A shopper's data (subscriptions, consent log, messages): export or erase it; "
    "customer tokens for the widget.",
    no_args_is_help=True,
)

Contact = Annotated[
    str, typer.Argument(help="E-mail address or phone number in international format.")
]


@app.command("export")
@handles_domain_errors
def export(
    contact: Contact,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSON here [default: stdout].")
    ] = None,
) -> None:
    """Print (or write) as JSON everything stored about CONTACT: subscriptions,
    consent log and messages sent. The export is logged."""
    data = state.app().bus.handle(h.ExportContact(contact, datetime.now(UTC), source="cli"))
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    console.print(f"Wrote the data of {data['contact']} to {output}.")


@app.command("erase")
@handles_domain_errors
def erase(
    contact: Contact,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Anonymise everything stored about CONTACT (rows stay for counts; the contact,
    message texts and client digests go; queued messages are cancelled). Logged."""
    if not yes and not typer.confirm(f"Erase every trace of {contact}? This cannot be undone"):
        raise fail("Nothing erased.")
    counts = state.app().bus.handle(h.EraseContact(contact, datetime.now(UTC), source="cli"))
    summary = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in counts.items())
    console.print(f"Erased {contact}: {summary}.")


@app.command("customer-token")
@handles_domain_errors
def customer_token(
    customer: Annotated[str, typer.Argument(help="The shop's customer id (external id).")],
    hours: Annotated[
        float, typer.Option(min=0.01, max=24 * 30, help="Hours the token stays valid.")
    ] = 1.0,
) -> None:
    """Print a customer token for CUSTOMER, as the shop's server makes one for the widget's
    data-customer-token (signed with STOCKGUARD_CONSENT__CUSTOMER_TOKEN_SECRET); to try the
    integration or compare with the shop's own code."""
    secret = customer_tokens.secret_of(state.settings().consent.customer_token_secret)
    if secret is None:
        raise fail(str(customer_tokens.CustomerTokensOff()))
    expires = datetime.now(UTC) + timedelta(hours=hours)
    try:
        typer.echo(customer_tokens.sign(secret, customer, expires))
    except ValueError as error:
        raise fail(f"{error}; got {len(customer)} characters.") from error
