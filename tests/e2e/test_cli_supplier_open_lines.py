"""Through the CLI: supplier KPIs and the scorecard count open order lines (lead time
censored at their age, overdue lines late); an unknown supplier's scorecard is refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stockguard.bootstrap import bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import purchasing
from stockguard.entrypoints.cli.main import app
from stockguard.planning.inventory import censored
from stockguard.services.importing import scms

runner = CliRunner()
ACME = "ACME-PHARMA-LTD"


def _import(database: str, tmp_path: Path) -> None:
    """Ten Acme lines of drug X sent 1 Jan 2014, each received on its promised day
    after 30..39 days."""
    rows = [
        f"{i + 1},SCMS-{i},Kenya,1/1/14,{i}-Feb-14,{i}-Feb-14,ARV,Adult,"
        f"Acme Pharma Ltd,Drug X,100,10"
        for i in range(1, 11)
    ]
    source = tmp_path / "scms.csv"
    source.write_text("\n".join((",".join(scms.COLUMNS), *rows)) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["--database", database, "db", "upgrade"]).exit_code == 0
    imported = runner.invoke(app, ["--database", database, "import", "scms", str(source)])
    assert imported.exit_code == 0, imported.output


def _open_orders(database: str, ages: list[int]) -> None:
    """Shipped Acme orders for drug X placed ``ages`` days ago, promised 14 days after."""
    today = datetime.now(UTC).date()
    shop = bootstrap(Settings(database=DatabaseSettings(url=database)))
    with shop.unit_of_work() as uow:
        for age in ages:
            ordered = today - timedelta(days=age)
            uow.purchase_orders.add(
                purchasing.PurchaseOrder(
                    number=f"OPEN-{age}",
                    supplier=ACME,
                    location=scms.location_code("Kenya"),
                    lines=[purchasing.PurchaseOrderLine(scms.product_sku("Drug X"), 10,
                                                        Decimal("10"))],
                    status=purchasing.PurchaseOrderStatus.SHIPPED,
                    ordered_on=ordered,
                    expected_on=ordered + timedelta(days=14),
                )
            )  # fmt: skip
        uow.commit()
    shop.engine.dispose()


def _json(database: str, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["--database", database, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def test_kpis_and_scorecard_count_open_lines(cli_database: str, tmp_path: Path) -> None:
    _import(cli_database, tmp_path)
    (before,) = _json(cli_database, "suppliers", "kpis")
    assert (before["lead_time_mean"], before["on_time_rate"]) == (35.5, 1.0)  # 31..40 days
    _open_orders(cli_database, [200, 90])
    (after,) = _json(cli_database, "suppliers", "kpis")
    expected = censored.kaplan_meier_lead_times(
        days=[*range(31, 41), 200, 90], received=[True] * 10 + [False] * 2, group=[0] * 12,
        n_groups=1,
    )  # fmt: skip
    assert after["lead_time_mean"] == float(expected.mean[0])
    assert after["lead_time_mean"] == pytest.approx((355 + 2 * 200) / 12)  # 2/12 left at 200
    assert after["lead_time_std"] == float(expected.std[0])
    assert (after["lead_time_open_orders"], after["lead_time_oldest_open_days"]) == (2, 200)
    assert after["overdue_open"] == 2
    assert after["on_time_rate"] == 10 / 12
    assert after["lead_time_p50"] == before["lead_time_p50"]  # quantiles: receipts only

    card = _json(cli_database, "suppliers", "scorecard", ACME, "--period", "quarter")
    assert card[0]["period"] == "2014-Q1"
    assert (card[0]["open_lines"], card[0]["lead_time_mean"]) == (0, 35.5)
    open_rows = card[1:]
    assert sum(int(str(r["open_lines"])) for r in open_rows) == 2
    assert all(r["on_time_rate"] == 0.0 for r in open_rows)
    table = runner.invoke(app, ["--database", cli_database, "suppliers", "scorecard", ACME],
                          terminal_width=200)  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "Open" in table.output
    assert "Kaplan-Meier" in table.output


def test_scorecard_of_an_unknown_supplier_says_so(cli_database: str, tmp_path: Path) -> None:
    _import(cli_database, tmp_path)
    refused = runner.invoke(app, ["--database", cli_database, "suppliers", "scorecard", "NOPE"],
                            terminal_width=200)  # fmt: skip
    assert refused.exit_code == 1
    assert "There is no supplier with code 'NOPE'" in refused.output
    assert "stockguard suppliers risk" in refused.output
    assert "no dated" not in refused.output.lower()
    kpis = runner.invoke(app, ["--database", cli_database, "suppliers", "kpis", "--supplier",
                               "NOPE"], terminal_width=200)  # fmt: skip
    assert kpis.exit_code == 1
    assert "There is no supplier with code 'NOPE'" in kpis.output
