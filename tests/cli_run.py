"""Running the CLI from the end-to-end tests: one command on one database, its output read."""

from __future__ import annotations

from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

TERMINAL_WIDTH = 200
"""Columns of the test terminal: wide enough that rich does not wrap the tables' cells."""

_runner = CliRunner()


def run_cli(database: str, *args: str, code: int = 0, input: str | None = None) -> str:
    """Run ``stockguard --database DATABASE ARGS...`` (``input`` on stdin), assert that it
    exits with ``code`` (showing its output when not) and return what it printed."""
    result = _runner.invoke(
        app, ["--database", database, *args], input=input, terminal_width=TERMINAL_WIDTH
    )
    assert result.exit_code == code, result.output
    return result.output


def squeezed(text: str) -> str:
    """``text`` with every run of white space (line breaks included) made one space."""
    return " ".join(text.split())
