"""``stockguard keys``: API keys with scopes; the secret is shown once, stored hashed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from stockguard.domain import access, commands
from stockguard.entrypoints.cli.context import console, handles_domain_errors, state

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)

SCOPE_HELP = "admin (everything), planner (stock, purchasing, parties, imports), storefront " \
    "(public catalogue data only). Repeat for several."  # fmt: skip


def new_token() -> tuple[str, str]:
    """A fresh (prefix, secret) pair: 8 hex characters and 32 random bytes, URL-safe."""
    return secrets.token_hex(4), secrets.token_urlsafe(32)


@app.command()
@handles_domain_errors
def create(
    name: Annotated[str, typer.Argument(help="What the key is for, e.g. 'shop front'.")],
    scope: Annotated[list[str], typer.Option("--scope", help=SCOPE_HELP)],
) -> None:
    """Create a key and print it once; only its digest is stored."""
    prefix, secret = new_token()
    cmd = commands.CreateApiKey(name, tuple(scope), prefix, secret, datetime.now(UTC))
    key: access.ApiKey = state.app().bus.handle(cmd)
    scopes = ", ".join(sorted(s.value for s in key.scopes))
    console.print(f"Created key {prefix!r} ({name}) with scopes: {scopes}.")
    console.print("Copy it now, it will not be shown again:", style="bold")
    typer.echo(f"{access.KEY_PREFIX}_{prefix}_{secret}")


@app.command()
@handles_domain_errors
def revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (see 'keys list').")],
) -> None:
    """Revoke a key; requests with it get 401 from now on."""
    state.app().bus.handle(commands.RevokeApiKey(prefix, datetime.now(UTC)))
    console.print(f"Key {prefix!r} is revoked.")


@app.command("list")
def list_keys() -> None:
    """List keys (prefix, name, scopes, created, revoked); secrets are never shown."""
    with state.app().unit_of_work() as uow:
        keys = uow.api_keys.list()
    table = Table("Prefix", "Name", "Scopes", "Created", "Revoked")
    for key in keys:
        table.add_row(
            key.prefix,
            key.name,
            ", ".join(sorted(s.value for s in key.scopes)),
            f"{key.created_at:%Y-%m-%d %H:%M}",
            f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
        )
    console.print(table)
