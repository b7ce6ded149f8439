"""``stockguard worker`` and ``stockguard serve`` refuse to start with the development
messaging secret when shoppers would get the links (a public base URL), and only warn on
a local set-up; a real secret starts without a word about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

runner = CliRunner()


def _invoke(tmp_path: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    database = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    result = runner.invoke(app, ["--database", database, *args], env=env, terminal_width=200)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("command", [["worker", "--once"], ["serve", "--port", "1"]])
def test_a_public_shop_with_the_development_secret_is_refused(
    tmp_path: Path, command: list[str]
) -> None:
    env = {"STOCKGUARD_MESSAGING__PUBLIC_BASE_URL": "https://shop.example.com"}
    code, output = _invoke(tmp_path, env, *command)
    assert code == 1
    assert "STOCKGUARD_MESSAGING__SECRET still has its development value" in output
    assert "before serving shoppers at https://shop.example.com" in output


def test_a_local_worker_warns_and_a_real_secret_is_quiet(tmp_path: Path) -> None:
    code, output = _invoke(tmp_path, {}, "worker", "--once")
    assert code == 0
    assert "Warning: STOCKGUARD_MESSAGING__SECRET still has its development value" in output
    assert "Worker pass:" in output
    env = {
        "STOCKGUARD_MESSAGING__PUBLIC_BASE_URL": "https://shop.example.com",
        "STOCKGUARD_MESSAGING__SECRET": "a-long-random-value-0123456789abcdef",
    }
    code, output = _invoke(tmp_path, env, "worker", "--once")
    assert code == 0
    assert "development value" not in output
    assert "Worker pass:" in output
