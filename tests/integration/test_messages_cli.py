"""``stockguard messages preview`` and ``messages stats`` through the CLI (CliRunner)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app as cli


@pytest.mark.slow
def test_preview_renders_each_part_and_refuses_unknowns(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    runner = CliRunner()
    shown = runner.invoke(cli, ["--database", database, "messages", "preview", "delay_notice",
                                "--lang", "fr"])  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert "Votre commande SO-10442 : nouvelle date de livraison le 14 déc. 2026" in shown.output
    assert "<!doctype html>" in shown.output
    assert "sms (" in shown.output
    sms = runner.invoke(cli, ["--database", database, "messages", "preview", "back_in_stock",
                              "--lang", "en", "--part", "sms"])  # fmt: skip
    assert sms.exit_code == 0, sms.output
    assert sms.output.startswith("Ceramic mug 350 ml is back in stock (€12.90)")
    unknown = runner.invoke(cli, ["--database", database, "messages", "preview", "promo"])
    assert unknown.exit_code == 1
    assert "unknown template 'promo'" in unknown.output
    no_sku = runner.invoke(cli, ["--database", database, "messages", "preview", "back_in_stock",
                                 "--sku", "NOPE"])  # fmt: skip
    assert no_sku.exit_code == 1
    assert "no product with this SKU" in no_sku.output
    stats = runner.invoke(cli, ["--database", database, "messages", "stats"])
    assert stats.exit_code == 0
    assert "no customer messages yet" in stats.output
