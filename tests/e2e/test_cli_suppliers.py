"""End to end through the CLI: import an SCMS-format history -> KPIs, scorecard, rating,
risk, diversification and the lead-time distribution, in every output format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app
from stockguard.services.importing import scms

from cli_run import run_cli

runner = CliRunner()

VENDOR_A = "Acme Pharma Ltd"
VENDOR_B = "Bolt Labs"


def _rows() -> list[str]:
    """Acme: 10 shipments of drug X, lead times 30..39 days, the last 3 two days late;
    Bolt: drug Y twice, on time (so X and Y are each single-sourced)."""
    rows = []
    for i in range(10):
        sent = "1/1/14"
        delivered = f"{i + 31}-Jan-14" if i + 31 <= 31 else f"{i}-Feb-14"
        scheduled = delivered if i < 7 else f"{i - 2}-Feb-14"
        rows.append(f"{i + 1},SCMS-{i},Kenya,{sent},{scheduled},{delivered},ARV,Adult,"
                    f"{VENDOR_A},Drug X,100,{10 + i % 2}")  # fmt: skip
    rows.append(f"11,SO-1,Kenya,N/A - From RDC,5-Mar-14,5-Mar-14,ARV,Adult,{VENDOR_B},Drug Y,5,3")
    rows.append(f"12,SO-2,Kenya,2/1/14,7-Apr-14,6-Apr-14,ARV,Adult,{VENDOR_B},Drug Y,5,3")
    return rows


def test_suppliers_cli_from_an_scms_import_to_risk_and_diversification(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'suppliers.sqlite3'}"
    source = tmp_path / "scms.csv"
    source.write_text("\n".join((",".join(scms.COLUMNS), *_rows())) + "\n", encoding="utf-8")
    run_cli(database, "db", "upgrade")
    imported = run_cli(database, "import", "scms", str(source))
    cells = [line.strip("│").split("│") for line in imported.splitlines() if line.startswith("│")]
    counts = {name.strip(): value.strip() for name, value in cells}
    assert (counts["Rows read"], counts["Suppliers (vendors)"], counts["Products"]) == (
        "12",
        "2",
        "2",
    )
    assert (counts["Purchase orders"], counts["Receipts"]) == ("12", "12")

    (acme, bolt) = json.loads(run_cli(database, "suppliers", "kpis", "--format", "json"))
    assert (acme["supplier"], acme["lines"]) == ("ACME-PHARMA-LTD", 10)
    assert acme["on_time_rate"] == 0.7
    assert acme["lead_time_mean"] == 34.5  # 30..39 days
    assert acme["lead_time_observations"] == 10
    assert acme["fill_rate"] == 1.0
    assert bolt["lead_time_observations"] == 1
    table = run_cli(database, "suppliers", "kpis")
    assert "Supplier KPIs" in table
    assert "70.0%" in table

    card = run_cli(database, "suppliers", "scorecard", "ACME-PHARMA-LTD", "--period", "month")
    assert "2014-01" in card
    assert "2014-02" in card

    rated = run_cli(database, "suppliers", "rate", "ACME-PHARMA-LTD", "--financial", "B",
                 "--capacity", "0.8", "--hazard-zone", "flood")  # fmt: skip
    assert "financial B" in rated
    refused = runner.invoke(app, ["--database", database, "suppliers", "rate", "NOPE",
                                  "--financial", "A"])  # fmt: skip
    assert refused.exit_code == 1
    assert "NOPE" in refused.output

    exported = tmp_path / "risk.csv"
    run_cli(database, "suppliers", "risk", "--format", "csv", "--output", str(exported))
    rows = {r["supplier"]: r for r in csv.DictReader(exported.read_text().splitlines())}
    assert float(rows["ACME-PHARMA-LTD"]["financial_risk"]) == 0.25
    assert float(rows["ACME-PHARMA-LTD"]["hazard_risk"]) == 1.0
    assert float(rows["ACME-PHARMA-LTD"]["score"]) > float(rows["BOLT-LABS"]["score"])

    report = json.loads(run_cli(database, "suppliers", "diversification", "--format", "json"))[0]
    assert report["skus"] == 2
    assert {s["supplier"] for s in report["single_sourced"]} == {"ACME-PHARMA-LTD", "BOLT-LABS"}
    assert "Single-sourced SKUs" in run_cli(database, "suppliers", "diversification")

    sku = scms.product_sku("Drug X")
    fitted = " ".join(run_cli(database, "suppliers", "lead-time", "ACME-PHARMA-LTD", sku).split())
    assert "supplier_sku, 10 receipts" in fitted
    assert "mean 34.5 d" in fitted
