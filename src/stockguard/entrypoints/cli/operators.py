"""``stockguard operators``: accounts that sign in to the dashboard (argon2 hashes only)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from stockguard.adapters.db.operators import Operator, OperatorExists, SqlOperators
from stockguard.adapters.passwords import MINIMUM_LENGTH, PasswordHasher, WeakPassword
from stockguard.bootstrap import App
from stockguard.entrypoints.cli.context import console, fail, state

app = typer.Typer(help="Create and list dashboard operators.", no_args_is_help=True)


def create_operator(stockguard: App, email: str, password: str) -> Operator:
    """Hash ``password`` and store the operator; raises WeakPassword or OperatorExists."""
    check_email(email)
    password_hash = PasswordHasher().hash(password)
    return SqlOperators(stockguard.sessions).add(email, password_hash, created_at=datetime.now(UTC))


def check_email(email: str) -> None:
    """Raise ValueError when ``email`` cannot be an e-mail address (no @, or spaces)."""
    if "@" not in email or any(c.isspace() for c in email.strip()):
        raise ValueError(f"{email!r} is not an e-mail address")


@app.command()
def create(
    email: Annotated[str, typer.Argument(help="The operator's e-mail address (their login).")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
    ] = False,
) -> None:
    """Create an operator; prompts for the password twice unless --password-stdin."""
    try:
        check_email(email)  # before asking for a password that would be thrown away
    except ValueError as error:
        raise fail(str(error)) from error
    password = _read_password(password_stdin)
    try:
        operator = create_operator(state.app(), email, password)
    except (WeakPassword, OperatorExists, ValueError) as error:
        raise fail(str(error)) from error
    console.print(f"Operator {operator.email} can now sign in at /dashboard.", highlight=False)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt(
        f"Password (at least {MINIMUM_LENGTH} characters)",
        hide_input=True,
        confirmation_prompt=True,
    )
    return password


@app.command("list")
def list_operators() -> None:
    """List operators (e-mail address and creation time); hashes are never shown."""
    table = Table("E-mail", "Created")
    for operator in SqlOperators(state.app().sessions).list():
        table.add_row(operator.email, f"{operator.created_at:%Y-%m-%d %H:%M}")
    console.print(table)
