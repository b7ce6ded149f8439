"""Shared CLI state: settings from the environment plus global options, wired lazily."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy.orm import Session

from stockguard.adapters.db.views import catalog
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import errors

console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(slots=True)
class CliState:
    database_url: str | None = None
    _app: App | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """The settings from the environment (``STOCKGUARD_...``); an invalid value stops
        the command with one line per field naming its variable and the reason."""
        try:
            settings = Settings()
        except ValidationError as error:
            raise fail(settings_problem(error)) from None
        if self.database_url:
            settings.database = DatabaseSettings(
                **{**settings.database.model_dump(), "url": self.database_url}
            )
        return settings

    def app(self) -> App:
        """The wired app for the current settings; rebuilt when the database URL changes."""
        settings = self.settings()
        if self._app is None or self._app.settings.database.url != settings.database.url:
            if self._app is not None:
                self._app.engine.dispose()
            self._app = bootstrap(settings)
        return self._app


state = CliState()


def settings_problem(error: ValidationError) -> str:
    """``ValidationError`` of ``Settings`` as sentences naming the environment variables."""
    lines = []
    for issue in error.errors():
        path = "__".join(str(part) for part in issue["loc"]).upper()
        reason = str(issue["msg"]).removeprefix("Value error, ")
        lines.append(f"STOCKGUARD_{path}: {reason}.")
    return "The configuration is invalid:\n" + "\n".join(lines)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` in red on stderr and return the Exit to raise."""
    err_console.print("Error:", style="bold red", end=" ")
    err_console.print(message, markup=False, highlight=False)
    return typer.Exit(code)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a refused request into a one-line message and exit code 1."""
    try:
        yield
    except errors.StockguardError as error:
        raise fail(str(error)) from error


def require_known(session: Session, *, sku: str | None = None, location: str | None = None) -> None:
    """Fail when a --sku or --location filter names nothing stockguard knows (a typo
    would otherwise show an empty list, as if nothing there matched)."""
    with domain_errors():
        if sku and catalog.product(session, sku) is None:
            raise errors.UnknownSku(sku)
        if location and catalog.location(session, location) is None:
            raise errors.UnknownLocation(location)


def handles_domain_errors(function: Callable[P, R]) -> Callable[P, R]:
    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with domain_errors():
            return function(*args, **kwargs)

    return wrapper
