"""``stockguard contacts``: export or erase what is stored about a shopper's contact."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.services.consent import handlers as h

app = typer.Typer(
    help="A shopper's data (subscriptions, consent log, messages): export or erase it.",
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
