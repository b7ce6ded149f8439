"""End to end through the CLI: `risk refresh` reports the rate ratio it measured on the
shop's settled planning runs (ADR 0022) when --rate-ratio asks for it (off by default),
and says so when no run is old enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from e2e.test_cli_replenishment import TODAY, _shop
from stockguard.entrypoints.cli.main import app

runner = CliRunner()


def _run(database: str, *args: str) -> str:
    result = runner.invoke(app, ["--database", database, *args], terminal_width=200)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def _forecast(database: str, today: str) -> str:
    return _run(database, "plan", "forecast", "--today", today,
                "--history-days", "30", "--horizon", "14", "--no-drivers")  # fmt: skip


def test_the_refresh_reports_the_rate_ratio_of_past_runs(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'ratio.sqlite3'}"
    # the refresh reads the real clock: the shop's last run starts 30 days before it, so
    # both runs' 14 days are settled and within the last year whatever the date
    last = datetime.now(UTC).date() - timedelta(days=30)
    _shop(database, today=last)  # MUG sells 4 a day in PAR for the 60 days before it
    earlier = last - timedelta(days=21)
    _forecast(database, earlier.isoformat())
    _forecast(database, last.isoformat())

    applied = _run(database, "risk", "refresh", "--rate-ratio")
    by_default = _run(database, "risk", "refresh")

    assert "Rate ratio by forecast velocity (units/day; SKU-weeks)" in applied
    assert f"planning runs of {earlier.isoformat()} to {last.isoformat()}" in applied
    assert "; applied (--rate-ratio)" in applied
    expected = "Rate ratio 1 (off by default, ADR 0022; --rate-ratio estimates and applies it)."
    assert expected in by_default
    assert "pooled rate" not in by_default
    pooled = _run(database, "risk", "refresh", "--pooled-rates")
    assert pooled.endswith("read the replenishment run's pooled rate (--pooled-rates).")
    assert "(--no-observed-spread)" not in by_default
    forecast_spread = _run(database, "risk", "refresh", "--no-observed-spread")
    assert forecast_spread.endswith(
        "Daily variances are the forecast's alone, not floored by the sales' own "
        "(--no-observed-spread)."
    )


def test_without_settled_runs_the_refresh_says_the_ratio_is_1(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'none.sqlite3'}"
    _shop(database)
    today = datetime.now(UTC).date()  # the refresh's clock: this run is not settled
    days = str((today - TODAY).days + 60)
    _run(database, "plan", "forecast", "--today", today.isoformat(),
         "--history-days", days, "--horizon", "14", "--no-drivers")  # fmt: skip

    refreshed = _run(database, "risk", "refresh", "--rate-ratio")

    assert "Rate ratio 1 (no planning run is 14 days old yet within the last year" in refreshed
