"""Reading the long forecasting CSV: the daily grid, unobserved days, every problem at once."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest

from stockguard.services.forecasting import long_format
from stockguard.services.importing.problems import ImportProblem, ImportRejected

HISTORY = "history.csv"
FUTURE = "future.csv"


def _history(text: str) -> long_format.LongPanel:
    return long_format.read_history(io.StringIO(text), HISTORY)


def _problems(text: str) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        _history(text)
    return caught.value.problems


def _future(text: str, panel: long_format.LongPanel, horizon: int) -> list[ImportProblem]:
    with pytest.raises(ImportRejected) as caught:
        long_format.read_future(io.StringIO(text), FUTURE, panel, horizon)
    return caught.value.problems


def test_builds_one_row_per_series_on_a_daily_grid_from_the_global_first_to_last_day() -> None:
    panel = _history(
        "unique_id,ds,y\n"
        "A,2026-01-01,3\n"
        "A,2026-01-02,4.5\n"
        "A,2026-01-04,0\n"
        "B,2026-01-03,7\n"
        "B,2026-01-04,\n"
    )
    assert panel.unique_ids == ("A", "B")
    assert panel.start == date(2026, 1, 1)
    assert panel.end == date(2026, 1, 4)
    nan = np.nan
    np.testing.assert_array_equal(
        panel.values, np.array([[3.0, 4.5, nan, 0.0], [nan, nan, 7.0, nan]])
    )
    assert dict(panel.regressors) == {}


def test_rows_in_any_order_and_a_byte_order_mark_give_the_same_panel() -> None:
    ordered = _history("unique_id,ds,y\nA,2026-01-01,1\nA,2026-01-02,2\n")
    shuffled = _history("\ufeffUnique_ID, DS ,Y\nA,2026-01-02,2\nA,2026-01-01,1\n")
    np.testing.assert_array_equal(ordered.values, shuffled.values)
    assert shuffled.start == ordered.start


def test_extra_numeric_columns_are_regressors_with_empty_cells_unknown() -> None:
    panel = _history(
        "unique_id,ds,y,price,promo\nA,2026-01-01,3,9.5,0\nA,2026-01-02,,,1\nB,2026-01-02,2,-1.5,0\n"
    )
    assert list(panel.regressors) == ["price", "promo"]
    np.testing.assert_array_equal(panel.regressors["price"], [[9.5, np.nan], [np.nan, -1.5]])
    np.testing.assert_array_equal(panel.regressors["promo"], [[0.0, 1.0], [np.nan, 0.0]])
    assert np.isnan(panel.values[0, 1])


def test_every_bad_cell_is_reported_with_line_column_value_and_reason() -> None:
    problems = _problems(
        "unique_id,ds,y,price\n"
        "A,2026-01-01,3,1\n"
        "A,2026-13-01,3,1\n"
        "A,2026-01-03,-2,1\n"
        "A,2026-01-04,many,1\n"
        "A,2026-01-05,1,1\n"
        "A,2026-01-05,2,1\n"
        "A,2026-01-06,1,cheap\n"
        ",2026-01-07,1,1\n"
    )
    assert problems == [
        ImportProblem(HISTORY, 3, "ds", "2026-13-01", "Not a real calendar date."),
        ImportProblem(HISTORY, 4, "y", "-2", "The demand y cannot be negative."),
        ImportProblem(HISTORY, 5, "y", "many", "Not a number; write the demand y like 12 or 3.5."),
        ImportProblem(
            HISTORY,
            7,
            "ds",
            "2026-01-05",
            "Line 6 already has the same unique_id and ds; each may appear only once in a file.",
        ),
        ImportProblem(
            HISTORY, 8, "price", "cheap", "Not a number; write the regressor price like 12 or 3.5."
        ),
        ImportProblem(HISTORY, 9, "unique_id", None, "This column must not be empty."),
    ]


@pytest.mark.parametrize("cell", ["nan", "inf", "1,5", "1_000", "12 units"])
def test_only_finite_plain_numbers_are_demand(cell: str) -> None:
    (problem,) = _problems(f'unique_id,ds,y\nA,2026-01-01,1\nA,2026-01-02,"{cell}"\n')
    assert (problem.line, problem.column, problem.value) == (3, "y", cell)


def test_a_missing_required_column_is_named_and_the_expected_columns_listed() -> None:
    (problem,) = _problems("unique_id,date,y\nA,2026-01-01,1\n")
    assert problem.line == 1
    assert problem.reason == (
        "The required column 'ds' is missing; expected columns are unique_id, ds, y (required) "
        "and any numeric regressor columns (optional)."
    )


def test_the_y_column_is_required_even_though_its_cells_may_be_empty() -> None:
    (problem,) = _problems("unique_id,ds,sales\nA,2026-01-01,1\n")
    assert problem.reason.startswith("The required column 'y' is missing")


def test_a_series_with_no_observed_day_is_rejected_on_its_first_line() -> None:
    (problem,) = _problems("unique_id,ds,y\nA,2026-01-01,1\nB,2026-01-01,\nB,2026-01-02,\n")
    assert (problem.line, problem.column, problem.value) == (3, "unique_id", "B")
    assert "no value of y on any row" in problem.reason


def test_a_header_without_rows_and_an_empty_file_are_rejected() -> None:
    (no_rows,) = _problems("unique_id,ds,y\n")
    assert "no rows" in no_rows.reason
    (empty,) = _problems("")
    assert "The file is empty" in empty.reason


def test_a_mistyped_year_that_would_span_centuries_is_caught() -> None:
    (problem,) = _problems("unique_id,ds,y\nA,1026-01-01,1\nA,2026-01-02,1\n")
    assert (problem.line, problem.column, problem.value) == (2, "ds", "1026-01-01")
    assert "mistyped year" in problem.reason


def _panel_with_price() -> long_format.LongPanel:
    return _history("unique_id,ds,y,price\nA,2026-01-01,3,9\nB,2026-01-02,2,4\n")


def test_future_regressors_cover_the_horizon_after_the_last_history_day() -> None:
    panel = _panel_with_price()
    future = long_format.read_future(
        io.StringIO(
            "unique_id,ds,price\n"
            "B,2026-01-03,5\n"
            "A,2026-01-03,8\n"
            "A,2026-01-04,7\n"
            "B,2026-01-04,6\n"
            "A,2026-01-09,1\n"  # beyond the horizon: ignored
        ),
        FUTURE,
        panel,
        2,
    )
    assert future.start == date(2026, 1, 3)
    np.testing.assert_array_equal(future.values["price"], [[8.0, 7.0], [5.0, 6.0]])


def test_future_file_problems_unknown_series_empty_cells_and_missing_days() -> None:
    panel = _panel_with_price()
    problems = _future(
        "unique_id,ds,price\nA,2026-01-03,8\nA,2026-01-04,\nC,2026-01-03,1\nB,2026-01-03,1\n",
        panel,
        2,
    )
    assert [(p.line, p.column, p.value) for p in problems] == [
        (3, "price", None),
        (4, "unique_id", "C"),
        (None, "unique_id", "B"),
    ]
    assert problems[0].reason == "This column must not be empty."
    assert problems[1].reason == "Unknown series: the history file has no row for it."
    assert problems[2].reason == (
        "The future file must have a row for every day of the horizon, 2026-01-03 to "
        "2026-01-04; this series lacks 1 of them (first missing: 2026-01-04)."
    )


def test_future_file_must_have_exactly_the_history_regressor_columns() -> None:
    panel = _panel_with_price()
    problems = _future("unique_id,ds,promo\nA,2026-01-03,1\n", panel, 1)
    reasons = [p.reason for p in problems]
    assert any(r.startswith("Unknown column") for r in reasons)
    assert any(r.startswith("The required column 'price' is missing") for r in reasons)
