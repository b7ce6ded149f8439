"""End to end through the CLI: import a shop, refresh substitutes, show them (personalised,
promoted), refuse an unknown SKU and a bad discount."""

from __future__ import annotations

from pathlib import Path

from integration.db.test_substitutes_on_database import MugShop, shop_files

from cli_run import run_cli


def _words(text: str) -> str:
    return " ".join(text.split())


def test_refresh_then_show_promote_and_personalise_substitutes(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'substitutes.sqlite3'}"
    shop = MugShop("E2E")
    for entity, text in shop_files(shop).items():
        path = tmp_path / f"{entity}.csv"
        path.write_text(text, encoding="utf-8")
        run_cli(database, "import", entity, str(path))

    refreshed = _words(run_cli(database, "substitutes", "refresh"))
    assert "Refreshed substitutes of 7 products from 6 orders" in refreshed  # discontinued too

    shown = run_cli(database, "substitutes", shop.mug_red)
    assert f"{shop.mug_red}: 0 available." in shown
    substitutes, complements = shown.split("Complements")
    assert shop.mug_blue in substitutes
    assert shop.mug_green not in shown  # out of stock everywhere
    assert shop.mug_old not in shown  # discontinued
    assert complements.index(shop.saucer) < complements.index(shop.tea)

    personal = run_cli(database, "substitutes", shop.mug_red, "--customer", f"ADA-{shop.tag}")
    _, personal_complements = personal.split("Complements")
    assert personal_complements.index(shop.tea) < personal_complements.index(shop.saucer)

    promoted = _words(run_cli(database, "substitutes", "promote", shop.mug_red, "--discount", "10"))
    assert f"Substitutes shown for {shop.mug_red} now carry a 10.00% discount." in promoted
    assert "-10.00% = 11.61" in run_cli(database, "substitutes", shop.mug_red)

    refused = run_cli(database, "substitutes", "promote", shop.mug_red, "--discount", "150", code=1)
    assert "must be a percentage above 0 and below 100" in _words(refused)
    unknown = run_cli(database, "substitutes", "NOPE", code=1)
    assert "There is no product with SKU 'NOPE'." in _words(unknown)
