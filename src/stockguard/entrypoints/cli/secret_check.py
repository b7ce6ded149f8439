"""The start-up check of ``stockguard serve`` and ``stockguard worker`` on the messaging
secret: a warning on a local set-up, a refusal when shoppers would get the links."""

from __future__ import annotations

from stockguard.config import Settings, development_secret_problem
from stockguard.entrypoints.cli.context import err_console, fail


def check_messaging_secret(settings: Settings) -> None:
    """Warn when the secret is the development value; raise the CLI's exit (code 1) when
    ``STOCKGUARD_MESSAGING__PUBLIC_BASE_URL`` is not a local address."""
    problem = development_secret_problem(settings)
    if problem is None:
        return
    sentence, refuse = problem
    if refuse:
        raise fail(sentence)
    err_console.print(f"[yellow]Warning:[/] {sentence}")
