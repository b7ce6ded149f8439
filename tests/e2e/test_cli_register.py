"""End to end through the CLI: the risk register added, imported, listed, shown, updated,
removed; a refused file writes nothing and says where and why."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from stockguard.entrypoints.cli.main import app

runner = CliRunner()

REGISTER = """\
risks:
  - code: STRIKE
    title: Carrier strike
    category: logistics
    likelihood: 3
    impact: 3
    owner_role: Logistics manager
    scenario: carrier-strike
    plans: carrier-strike
    plan: transfer from Paris
"""


def _invoke(database: str, *args: str) -> Result:
    return runner.invoke(app, ["--database", database, *args], terminal_width=200)


def _run(database: str, *args: str) -> str:
    result = _invoke(database, *args)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_the_register_from_the_cli(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    _run(database, "db", "upgrade")
    added = _run(database, "register", "add", "FLOOD-PT", "--title", "Flood at ATL",
                 "--category", "natural_disaster", "--likelihood", "2", "--impact", "5",
                 "--owner", "Head of purchasing", "--scenario", "supplier-flood",
                 "--kpi", "fill_rate=0.95")  # fmt: skip
    assert "Added risk FLOOD-PT (score 10)" in added
    register = tmp_path / "risks.yaml"
    register.write_text(REGISTER)
    assert "1 risk(s) added, 0 updated" in _run(database, "register", "import", str(register))

    listed = _run(database, "register", "list")
    assert listed.index("FLOOD-PT") < listed.index("STRIKE")  # score 10 before 9
    assert "never" in listed
    assert "Never rehearsed: FLOOD-PT, STRIKE" in listed

    shown = _run(database, "register", "show", "FLOOD-PT")
    assert "fill_rate = 0.95" in shown
    assert "natural_disaster" in shown

    assert "score 20" in _run(database, "register", "update", "FLOOD-PT", "--likelihood", "4")
    _run(database, "register", "remove", "STRIKE")
    assert "STRIKE" not in _run(database, "register", "list")


def test_a_bad_register_file_is_refused_whole_naming_line_and_field(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    _run(database, "db", "upgrade")
    register = tmp_path / "risks.yaml"
    register.write_text(
        REGISTER + REGISTER.replace("risks:\n", "").replace("impact: 3", "impact: 8")
    )
    refused = _invoke(database, "register", "import", str(register))
    assert refused.exit_code == 1
    text = " ".join(refused.output.split())
    assert "risks.yaml, line 15, risk 'STRIKE', field impact: must be a whole number" in text
    assert "code already used on line 2" in text
    assert "nothing was written" in text
    assert "STRIKE" not in _run(database, "register", "list")

    unknown = _invoke(database, "register", "update", "NOPE", "--impact", "2")
    assert unknown.exit_code == 1
    assert "There is no risk 'NOPE'" in unknown.output
