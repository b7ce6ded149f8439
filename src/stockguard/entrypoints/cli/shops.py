"""``stockguard shops``: shops that send signed webhooks; each secret is shown once."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from stockguard.domain import commands, shops
from stockguard.entrypoints.cli.context import console, handles_domain_errors, state

app = typer.Typer(help="Create, list shops and rotate their webhook secrets.", no_args_is_help=True)

COPY_NOTE = (
    "Copy it into the shop's webhook settings now; it will not be shown again. stockguard "
    "keeps it (HMAC needs it to check signatures), so guard the database like the secret."
)


def new_secret() -> str:
    """32 random bytes, URL-safe: the key of the shop's HMAC-SHA256 signatures."""
    return secrets.token_urlsafe(32)


@app.command()
@handles_domain_errors
def create(
    code: Annotated[str, typer.Argument(help="Short code the shop sends in X-Stockguard-Shop.")],
    name: Annotated[str, typer.Option("--name", help="Display name, e.g. 'Acme web shop'.")],
    location: Annotated[
        str, typer.Option("--location", help="Location its sales take stock from by default.")
    ],
) -> None:
    """Register a shop and print its webhook secret once."""
    secret = new_secret()
    cmd = commands.CreateShop(code, name, location, secret, datetime.now(UTC))
    shop: shops.Shop = state.app().bus.handle(cmd)
    console.print(f"Created shop {shop.code!r} ({shop.name}) selling from {shop.location}.")
    console.print(f"Webhook secret. {COPY_NOTE}", style="bold")
    typer.echo(secret)


@app.command("rotate-secret")
@handles_domain_errors
def rotate_secret(
    code: Annotated[str, typer.Argument(help="The shop's code (see 'shops list').")],
) -> None:
    """Replace a shop's webhook secret; the old one stops working at once."""
    secret = new_secret()
    state.app().bus.handle(commands.RotateShopSecret(code, secret))
    console.print(f"New webhook secret of shop {code!r}; the old one no longer works.")
    console.print(COPY_NOTE, style="bold")
    typer.echo(secret)


@app.command("list")
def list_shops() -> None:
    """List shops (code, name, location, created); secrets are never shown."""
    with state.app().unit_of_work() as uow:
        found = uow.shops.list()
    table = Table("Code", "Name", "Location", "Created")
    for shop in found:
        table.add_row(shop.code, shop.name, shop.location, f"{shop.created_at:%Y-%m-%d %H:%M}")
    console.print(table)
