"""``stockguard forecast`` end to end: long CSV in, long CSV of quantiles out."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from stockguard.entrypoints.cli.main import app

pytestmark = pytest.mark.e2e

OUTPUT_COLUMNS = ["unique_id", "ds", "mean", "p50", "p80", "p90", "p95", "p99", "model"]
QUANTILES = ["p50", "p80", "p90", "p95", "p99"]
FIRST_DAY = date(2026, 1, 1)
N_DAYS = 70
SERIES = ("MUG", "TEA", "CUP@PARIS")


def _write_history(path: Path, *, regressor: bool = False) -> None:
    """Three series over 70 days: weekly, intermittent with stock-out gaps, and a late start."""
    rng = np.random.default_rng(7)
    header = "unique_id,ds,y" + (",price" if regressor else "")
    lines = [header]
    for day in range(N_DAYS):
        ds = FIRST_DAY + timedelta(days=day)
        price = ",9.9" if regressor else ""
        lines.append(f"MUG,{ds},{rng.poisson(12 if day % 7 == 5 else 5)}{price}")
        tea = "" if day % 10 == 9 else str(rng.poisson(0.4))  # empty = stock-out, unobserved
        lines.append(f"TEA,{ds},{tea}{price}")
        if day >= 40:
            lines.append(f"CUP@PARIS,{ds},{rng.poisson(3)}{price}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["forecast", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_forecasts_every_series_for_every_horizon_day_with_ordered_quantiles(
    tmp_path: Path,
) -> None:
    history, output = tmp_path / "long.csv", tmp_path / "forecasts.csv"
    _write_history(history)
    code, out, err = _run("--input", str(history), "--horizon", "14", "--output", str(output))
    assert code == 0, err
    with output.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert reader.fieldnames == OUTPUT_COLUMNS
        rows = list(reader)
    assert len(rows) == 3 * 14
    assert [row["unique_id"] for row in rows[::14]] == ["MUG", "TEA", "CUP@PARIS"]
    last = FIRST_DAY + timedelta(days=N_DAYS - 1)
    expected_days = [str(last + timedelta(days=step)) for step in range(1, 15)]
    assert [row["ds"] for row in rows[:14]] == expected_days
    for row in rows:
        values = [float(row[name]) for name in ["mean", *QUANTILES]]
        assert min(values) >= 0.0
        assert values[1:] == sorted(values[1:]), row
        assert all(len(row[name].partition(".")[2]) <= 4 for name in ["mean", *QUANTILES])
        assert row["model"]
    assert "Forecast 3 series x 14 days (2026-03-12 to 2026-03-25)" in out
    assert "wrote 42 rows to" in out
    assert "Models chosen (series):" in out
    assert "Notice" not in out


def _write_future(path: Path, *, days: int = 7, series: tuple[str, ...] = SERIES) -> None:
    start = FIRST_DAY + timedelta(days=N_DAYS)
    lines = ["unique_id,ds,price"] + [
        f"{name},{start + timedelta(days=step)},8.5" for name in series for step in range(days)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_regressors_with_a_future_file_feed_the_drivers_model(tmp_path: Path) -> None:
    history, future, output = tmp_path / "long.csv", tmp_path / "x.csv", tmp_path / "f.csv"
    _write_history(history, regressor=True)
    _write_future(future)
    code, out, err = _run(
        "-i", str(history), "--horizon", "7", "--future", str(future), "-o", str(output)
    )
    assert code == 0, err
    assert "Notice" not in out
    assert "Drivers model GlobalGBM (own lags, calendar, regressors price;" in out
    assert len(output.read_text(encoding="utf-8").splitlines()) == 1 + 3 * 7


def test_regressors_without_a_future_file_are_refused_with_the_way_out(tmp_path: Path) -> None:
    history, output = tmp_path / "long.csv", tmp_path / "f.csv"
    _write_history(history, regressor=True)
    code, out, err = _run("-i", str(history), "--horizon", "7", "-o", str(output))
    assert code == 1
    assert out == ""
    assert not output.exists()
    assert (
        "long.csv, line 1, column 'price': The drivers model needs this regressor's values "
        "for the 7 forecast days, 2026-03-12 to 2026-03-18; give them in a file passed with "
        "--future (columns unique_id, ds, price), or pass --no-drivers" in " ".join(err.split())
    )


def test_no_drivers_forecasts_from_y_alone_and_says_the_regressors_were_not_used(
    tmp_path: Path,
) -> None:
    history, output = tmp_path / "long.csv", tmp_path / "f.csv"
    _write_history(history, regressor=True)
    code, out, err = _run("-i", str(history), "--horizon", "7", "-o", str(output), "--no-drivers")
    assert code == 0, err
    assert "Notice: regressor columns price were read and checked but not used" in out
    assert "Drivers model" not in out


def test_a_future_file_missing_days_is_refused_line_by_series(tmp_path: Path) -> None:
    history, future, output = tmp_path / "long.csv", tmp_path / "x.csv", tmp_path / "f.csv"
    _write_history(history, regressor=True)
    _write_future(future, days=5)
    code, _, err = _run(
        "-i", str(history), "--horizon", "7", "--future", str(future), "-o", str(output)
    )
    assert code == 1
    assert "x.csv could not be read: 3 problem(s) found, nothing was forecast." in err
    assert "this series lacks 2 of them (first missing: 2026-03-17)" in " ".join(err.split())
    assert not output.exists()


def test_series_driven_by_a_promotion_flag_are_given_to_the_drivers_model(
    tmp_path: Path,
) -> None:
    """Twelve series: the first six sell four times more on promotion days."""
    history, future, output = tmp_path / "long.csv", tmp_path / "x.csv", tmp_path / "f.csv"
    rng = np.random.default_rng(5)
    n_series, n_days, horizon = 12, 150, 14
    promo = rng.random((n_series, n_days + horizon)) < 0.3
    lines, ahead = ["unique_id,ds,y,promo"], ["unique_id,ds,promo"]
    for series in range(n_series):
        lift = 4.0 if series < 6 else 1.0
        for day in range(n_days + horizon):
            ds, flag = FIRST_DAY + timedelta(days=day), int(promo[series, day])
            if day < n_days:
                demand = rng.poisson(3.0 * (lift if flag else 1.0))
                lines.append(f"P{series},{ds},{demand},{flag}")
            else:
                ahead.append(f"P{series},{ds},{flag}")
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    future.write_text("\n".join(ahead) + "\n", encoding="utf-8")
    code, out, err = _run(
        "-i", str(history), "--horizon", str(horizon), "--future", str(future), "-o", str(output)
    )
    assert code == 0, err
    with output.open(encoding="utf-8", newline="") as stream:
        models = {row["unique_id"]: row["model"] for row in csv.DictReader(stream)}
    assert all(models[f"P{series}"].startswith("GlobalGBM") for series in range(6)), models
    assert "Drivers model GlobalGBM (own lags, calendar, regressors promo;" in out
    assert "GlobalGBM" in out.split("Models chosen (series):")[1]


def test_a_broken_file_exits_1_and_lists_every_problem_precisely(tmp_path: Path) -> None:
    broken, output = tmp_path / "long.csv", tmp_path / "forecasts.csv"
    broken.write_text(
        "unique_id,ds,y\n"
        "A,2026-01-01,3\n"
        "A,01/02/2026,3\n"
        "A,2026-01-03,-1\n"
        "A,2026-01-04,2\n"
        "A,2026-01-04,5\n",
        encoding="utf-8",
    )
    code, out, err = _run("--input", str(broken), "--horizon", "7", "--output", str(output))
    assert code == 1
    assert "long.csv could not be read: 3 problem(s) found, nothing was forecast." in err
    assert "not imported" not in err
    assert (
        "long.csv, line 3, column 'ds' (value '01/02/2026'): "
        "Not a date; write dates as YYYY-MM-DD, like 2026-09-01." in err
    )
    assert "long.csv, line 4, column 'y' (value '-1'): The demand y cannot be negative." in err
    assert (
        "long.csv, line 6, column 'ds' (value '2026-01-04'): Line 5 already has the same "
        "unique_id and ds; each may appear only once in a file." in err
    )
    assert not output.exists()
    assert out == ""


def test_a_missing_column_exits_1_and_names_it(tmp_path: Path) -> None:
    broken = tmp_path / "long.csv"
    broken.write_text("unique_id,ds,sales\nA,2026-01-01,3\n", encoding="utf-8")
    code, _, err = _run("-i", str(broken), "--horizon", "7", "-o", str(tmp_path / "out.csv"))
    assert code == 1
    assert "long.csv, line 1: The required column 'y' is missing" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--horizon", "0"], "--horizon must be a whole number of at least 1, got 0."),
        (["--horizon", "7", "--windows", "0"], "--windows must be a whole number"),
        (["--horizon", "7", "--future", "nowhere.csv"], "No such file: nowhere.csv"),
    ],
)
def test_bad_options_exit_1_with_a_clear_message(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    history = tmp_path / "long.csv"
    _write_history(history)
    code, _, err = _run("-i", str(history), "-o", str(tmp_path / "out.csv"), *arguments)
    assert code == 1
    assert message in " ".join(err.split())


def test_a_history_separated_by_semicolons_is_named_as_such(tmp_path: Path) -> None:
    history, output = tmp_path / "long.csv", tmp_path / "out.csv"
    history.write_text("unique_id;ds;y\nA;2026-01-01;3\n", encoding="utf-8")
    code, _, err = _run("-i", str(history), "--horizon", "7", "-o", str(output))
    assert code == 1
    assert "long.csv, line 1: The columns are separated by semicolons (;), not commas" in err
    assert "is missing" not in err
    assert not output.exists()


def test_a_history_without_any_sale_forecasts_zero_with_the_drivers_model(tmp_path: Path) -> None:
    """LightGBM's Tweedie objective refuses labels summing to zero; 30 series (drivers on by
    default) that never sold used to stop the command with a raw LightGBMError."""
    history, output = tmp_path / "long.csv", tmp_path / "out.csv"
    lines = ["unique_id,ds,y"]
    for series in range(30):
        lines += [f"S{series},{FIRST_DAY + timedelta(days=day)},0" for day in range(60)]
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = _run("-i", str(history), "--horizon", "7", "-o", str(output))
    assert code == 0, err
    assert "Drivers model GlobalGBM" in out
    with output.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 30 * 7
    assert {float(row[column]) for row in rows for column in ("mean", *QUANTILES)} == {0.0}
