"""``stockguard operators create`` end to end on a SQLite file."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

pytestmark = pytest.mark.e2e


@pytest.fixture
def database(cli_database: str) -> str:
    """The shared ``cli_database`` (tests/conftest.py) under this module's name."""
    return cli_database


def test_a_bad_e_mail_address_is_refused_before_the_password_is_asked(database: str) -> None:
    """The password used to be asked twice, then thrown away with the address refused."""
    result = CliRunner().invoke(
        app, ["--database", database, "operators", "create", "ops.example.com"]
    )
    assert result.exit_code == 1
    assert "'ops.example.com' is not an e-mail address" in result.stderr
    assert "Password" not in result.stdout
    listed = CliRunner().invoke(app, ["--database", database, "operators", "list"])
    assert "ops.example.com" not in listed.stdout


def test_an_operator_is_created_with_the_password_typed_twice(database: str) -> None:
    result = CliRunner().invoke(
        app,
        ["--database", database, "operators", "create", "ops@shop.example"],
        input="long enough secret\nlong enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "Operator ops@shop.example can now sign in at /dashboard." in result.stdout
    listed = CliRunner().invoke(app, ["--database", database, "operators", "list"])
    assert "ops@shop.example" in listed.stdout
