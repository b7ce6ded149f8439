"""Alerts through the CLI: a bad rules file is refused whole, a good one imported, and
`stockguard worker --once` turns an outbox event into a webhook call and a logged alert."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from integration.alert_receivers import put_event, webhook_receiver
from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import events
from stockguard.entrypoints.cli.main import app

from builders import a_location, a_product

runner = CliRunner()


def _run(database: str, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--database", database, *args], env={"COLUMNS": "220"})
    assert result.exit_code == code, result.output
    return result.output


def test_rules_are_imported_all_or_nothing_and_the_worker_sends_the_alert(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'alerts.sqlite3'}"
    wired = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with wired.unit_of_work() as uow:
        uow.locations.add(a_location("PAR", name="Paris"))
        uow.products.add(a_product("MUG-1", title="Blue mug", category="Mugs"))
        uow.commit()
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n"
        "  - {name: ops, email: [ops@shop.example], locations: [PAR]}\n"
        "  - {name: buyers, email: [not-an-address], abc_classes: [D]}\n"
    )

    refused = _run(database, "alerts", "rules", "import", str(bad), code=1)

    assert "rules.yaml, rule 2 'buyers', field abc_classes: unknown ABC class 'D'" in refused
    assert "field email: 'not-an-address' is not an e-mail address" in refused
    assert "nothing was written" in refused
    assert "ops@shop.example" not in _run(database, "alerts", "rules", "list")

    with webhook_receiver() as hook:
        good = tmp_path / "good.toml"
        good.write_text(
            f'[[rules]]\nname = "slack"\nevents = ["StockedOut"]\ncategories = ["Mugs"]\n'
            f'webhook = "{hook.url}"\n'
        )
        assert "Imported 1 alert rule(s) from good.toml: 1 new" in _run(
            database, "alerts", "rules", "import", str(good)
        )
        put_event(wired, events.StockedOut("MUG-1", "PAR", 0), datetime.now(UTC))
        passed = _run(database, "worker", "--once")
    wired.engine.dispose()

    assert "relayed 1 event(s)" in passed
    assert "sent 1 message(s)" in passed
    [(key, body)] = hook.calls
    assert key.startswith("alert:")
    assert body["text"] == (
        "Out of stock: MUG-1 (Blue mug) at Paris: MUG-1 (Blue mug) at Paris is out of stock "
        "(on hand: 0)."
    )
    logged = _run(database, "alerts", "list")
    assert "StockedOut" in logged
    assert "sent" in logged
    assert "Removed alert rule 'slack'." in _run(database, "alerts", "rules", "remove", "slack")
    assert "no alert rule named 'slack'" in _run(
        database, "alerts", "rules", "remove", "slack", code=1
    )
