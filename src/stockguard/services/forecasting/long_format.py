"""Read the long forecasting CSV (``unique_id, ds, y`` + regressors) into a daily panel.

History file (``stockguard forecast --input``), one row per series and day:

- ``unique_id`` (text, required): the series, for example a SKU or ``SKU@warehouse``.
- ``ds`` (date ``YYYY-MM-DD``, required): the day.
- ``y`` (number >= 0; the column is required, a cell may be empty): the units demanded that
  day. An empty cell means *unobserved* (a stock-out day whose sales understate demand) and
  becomes NaN in the panel, never 0.
- any other column: a numeric regressor (price, promotion flag...); an empty cell is NaN.

The panel has one row per ``unique_id`` (in order of first appearance) and one column per day
from the earliest to the latest ``ds`` of the whole file. A day without a row for a series (a
gap inside it, the days before it starts, the days after its last row) is NaN, unobserved,
exactly like an empty ``y``: a missing row is *not* read as zero sales, so days without sales
must be written as explicit ``0`` rows.

Future file (``--future``): ``unique_id``, ``ds`` and exactly the history's regressor columns,
every cell filled, one row per series and day of the horizon (the ``horizon`` days after the
last date of the history). Rows outside the horizon are ignored.

Both files are checked entirely; every problem (line, column, value, reason) is reported at
once through ``ImportRejected``, as for the import files. ``require_future`` refuses a
history with regressor columns when no future file gives their values over the horizon
(the drivers model cannot guess a promotion calendar or a weather forecast).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TextIO

import numpy as np
import numpy.typing as npt

from stockguard.services.importing import checks, csv_rows
from stockguard.services.importing.columns import (
    Column,
    InvalidCell,
    Parser,
    calendar_date,
    optional,
    text,
)
from stockguard.services.importing.problems import (
    ImportProblem,
    ImportRejected,
    ProgressCallback,
)

FloatArray = npt.NDArray[np.float64]

UNIQUE_ID, DS, Y = "unique_id", "ds", "y"
KEY = (UNIQUE_ID, DS)
MAX_ID_LENGTH = 200
MAX_HISTORY_DAYS = 20 * 366
"""Longest daily history read (20 years); a longer span is almost always a mistyped year."""

EXPECTED_HISTORY = (
    "expected columns are unique_id, ds, y (required) and any numeric regressor columns (optional)."
)


@dataclass(frozen=True, slots=True)
class LongPanel:
    """The history of many series on one daily grid.

    Attributes:
        unique_ids: (n_series,) series identifiers, in order of first appearance.
        start: date of column 0; column j is ``start + j`` days.
        values: (n_series, n_days) demand ``y``; NaN = unobserved.
        regressors: name -> (n_series, n_days) values; NaN = unknown.
    """

    unique_ids: tuple[str, ...]
    start: date
    values: FloatArray
    regressors: Mapping[str, FloatArray]

    def __post_init__(self) -> None:
        if self.values.ndim != 2 or self.values.shape[0] != len(self.unique_ids):
            raise ValueError(f"values must be (n_series, n_days), got {self.values.shape}")
        for name, grid in self.regressors.items():
            if grid.shape != self.values.shape:
                raise ValueError(f"regressor {name!r} must have the shape of values")

    @property
    def n_series(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_days(self) -> int:
        return int(self.values.shape[1])

    @property
    def end(self) -> date:
        """The last day of the grid (the latest ``ds`` of the file)."""
        return self.start + timedelta(days=self.n_days - 1)


@dataclass(frozen=True, slots=True)
class FutureRegressors:
    """Regressor values over the horizon, aligned with a LongPanel's series.

    Attributes:
        start: the first forecast day (the day after the panel's end).
        values: name -> (n_series, horizon) values, all finite.
    """

    start: date
    values: Mapping[str, FloatArray]


def number(what: str, *, non_negative: bool = False) -> Parser:
    """A finite decimal number such as 12 or 3.5 (dot as decimal separator)."""

    def parse(cell: str) -> float:
        try:
            value = float(cell) if "_" not in cell else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InvalidCell(f"Not a number; write the {what} like 12 or 3.5.")
        if non_negative and value < 0:
            raise InvalidCell(f"The {what} cannot be negative.")
        return value

    return parse


def read_history(
    stream: TextIO, file_name: str, progress: ProgressCallback | None = None
) -> LongPanel:
    """Read and check a whole history file; raise ImportRejected listing every problem."""
    content = _content(stream, file_name)
    names = _header_names(content)
    if names:
        _require_columns(file_name, names)
    regressors = [name for name in dict.fromkeys(names) if name and name not in (*KEY, Y)]
    columns = (
        Column(UNIQUE_ID, text(MAX_ID_LENGTH)),
        Column(DS, calendar_date),
        optional(Y, number("demand y", non_negative=True)),
        *(optional(name, number(f"regressor {name}")) for name in regressors),
    )
    parsed = csv_rows.read_file(io.StringIO(content), file_name, columns, progress)
    checks.duplicates(parsed, KEY)
    _check_rows(parsed)
    _raise_if_any(parsed)
    return _panel(parsed.rows, regressors)


def read_future(
    stream: TextIO,
    file_name: str,
    panel: LongPanel,
    horizon: int,
    progress: ProgressCallback | None = None,
) -> FutureRegressors:
    """Read the regressors of the ``horizon`` days after ``panel.end`` for every series."""
    columns = (
        Column(UNIQUE_ID, text(MAX_ID_LENGTH)),
        Column(DS, calendar_date),
        *(Column(name, number(f"regressor {name}")) for name in panel.regressors),
    )
    parsed = csv_rows.read_file(stream, file_name, columns, progress)
    checks.duplicates(parsed, KEY)
    first = panel.end + timedelta(days=1)
    index = {unique_id: row for row, unique_id in enumerate(panel.unique_ids)}
    kept: list[csv_rows.Row] = []
    for row in parsed.rows:
        if not row.has(*KEY):
            continue
        if row.values[UNIQUE_ID] not in index:
            parsed.problem(row, UNIQUE_ID, "Unknown series: the history file has no row for it.")
        elif 0 <= (row.values[DS] - first).days < horizon:
            kept.append(row)
    _check_coverage(parsed, kept, panel, first, horizon)
    _raise_if_any(parsed)
    shape = (panel.n_series, horizon)
    series = np.fromiter((index[row.values[UNIQUE_ID]] for row in kept), np.int64, len(kept))
    steps = np.fromiter(((row.values[DS] - first).days for row in kept), np.int64, len(kept))
    values = {name: _grid(kept, name, series, steps, shape) for name in panel.regressors}
    return FutureRegressors(first, values)


def require_future(panel: LongPanel, file_name: str, horizon: int) -> None:
    """Refuse regressor columns without future values: one problem per column, line 1."""
    if not panel.regressors:
        return
    first = panel.end + timedelta(days=1)
    last = panel.end + timedelta(days=horizon)
    problems = [
        ImportProblem(
            file_name,
            1,
            name,
            None,
            f"The drivers model needs this regressor's values for the {horizon} forecast "
            f"days, {first} to {last}; give them in a file passed with --future (columns "
            f"unique_id, ds, {', '.join(panel.regressors)}), or pass --no-drivers to "
            "forecast from y alone and leave the regressors out.",
        )
        for name in panel.regressors
    ]
    raise ImportRejected(file_name, problems)


def _content(stream: TextIO, file_name: str) -> str:
    try:
        return stream.read().removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        reason = "The file is not UTF-8 text; save it as 'CSV UTF-8' and try again."
        raise ImportRejected(file_name, [ImportProblem(file_name, None, None, None, reason)]) from (
            error
        )


def _header_names(content: str) -> list[str]:
    """The header's column names (lower case), or [] when there is none to read."""
    try:
        for cells in csv.reader(io.StringIO(content, newline="")):
            if any(cell.strip() for cell in cells):
                return [cell.strip().lower() for cell in cells]
    except csv.Error:
        return []  # csv_rows.read_file reports the broken line
    return []


def _require_columns(file_name: str, names: Sequence[str]) -> None:
    wrong_separator = csv_rows.separator_problem(file_name, names)
    if wrong_separator is not None:
        raise ImportRejected(file_name, [wrong_separator])
    missing = [name for name in (*KEY, Y) if name not in names]
    problems = [
        ImportProblem(
            file_name, 1, None, None, f"The required column {name!r} is missing; {EXPECTED_HISTORY}"
        )
        for name in missing
    ]
    if problems:
        raise ImportRejected(file_name, problems)


def _check_rows(parsed: csv_rows.ParsedFile) -> None:
    """No rows, a span of dates too long to be true, a series without any observed y."""
    if not parsed.rows:
        reason = "The file has a header but no rows; give one row per series and day."
        parsed.problems.append(ImportProblem(parsed.file, None, None, None, reason))
        return
    _check_span(parsed)
    _check_observed(parsed)


def _check_span(parsed: csv_rows.ParsedFile) -> None:
    dated = [row for row in parsed.rows if row.has(DS)]
    if not dated:
        return
    earliest = min(dated, key=lambda row: row.values[DS])
    latest = max(dated, key=lambda row: row.values[DS])
    span = (latest.values[DS] - earliest.values[DS]).days + 1
    if span > MAX_HISTORY_DAYS:
        parsed.problem(
            earliest,
            DS,
            f"The dates run from this day to {latest.values[DS]} (line {latest.line}), "
            f"{span} days; at most {MAX_HISTORY_DAYS} days are read. Check for a mistyped year.",
        )


def _check_observed(parsed: csv_rows.ParsedFile) -> None:
    """One problem, on its first line, per series whose y cells are all empty."""
    first_rows: dict[str, csv_rows.Row] = {}
    observed: set[str] = set()
    for row in parsed.rows:
        if row.has(UNIQUE_ID):
            first_rows.setdefault(row.values[UNIQUE_ID], row)
            if row.cells.get(Y):
                observed.add(row.values[UNIQUE_ID])
    for unique_id, row in first_rows.items():
        if unique_id not in observed:
            parsed.problem(
                row,
                UNIQUE_ID,
                "This series has no value of y on any row; give at least one observed day.",
            )


def _check_coverage(
    parsed: csv_rows.ParsedFile,
    kept: Sequence[csv_rows.Row],
    panel: LongPanel,
    first: date,
    horizon: int,
) -> None:
    """One problem per series that lacks a row for some day of the horizon."""
    index = {unique_id: row for row, unique_id in enumerate(panel.unique_ids)}
    covered = np.zeros((panel.n_series, horizon), dtype=np.bool_)
    for row in kept:
        covered[index[row.values[UNIQUE_ID]], (row.values[DS] - first).days] = True
    last = first + timedelta(days=horizon - 1)
    for series in np.flatnonzero(~covered.all(axis=1)):
        gaps = np.flatnonzero(~covered[series])
        missing = first + timedelta(days=int(gaps[0]))
        parsed.problems.append(
            ImportProblem(
                parsed.file,
                None,
                UNIQUE_ID,
                panel.unique_ids[series],
                f"The future file must have a row for every day of the horizon, {first} to "
                f"{last}; this series lacks {gaps.size} of them (first missing: {missing}).",
            )
        )


def _raise_if_any(parsed: csv_rows.ParsedFile) -> None:
    if parsed.problems:
        problems = sorted(
            parsed.problems, key=lambda problem: (problem.line is None, problem.line or 0)
        )
        raise ImportRejected(parsed.file, problems)


def _panel(rows: Sequence[csv_rows.Row], regressors: Sequence[str]) -> LongPanel:
    index = {unique_id: row for row, unique_id in enumerate(dict.fromkeys(_ids(rows)))}
    ordinals = np.fromiter((row.values[DS].toordinal() for row in rows), np.int64, len(rows))
    start = int(ordinals.min())
    series = np.fromiter((index[unique_id] for unique_id in _ids(rows)), np.int64, len(rows))
    shape = (len(index), int(ordinals.max()) - start + 1)
    return LongPanel(
        unique_ids=tuple(index),
        start=date.fromordinal(start),
        values=_grid(rows, Y, series, ordinals - start, shape),
        regressors={
            name: _grid(rows, name, series, ordinals - start, shape) for name in regressors
        },
    )


def _ids(rows: Sequence[csv_rows.Row]) -> list[str]:
    return [row.values[UNIQUE_ID] for row in rows]


def _grid(
    rows: Sequence[csv_rows.Row],
    name: str,
    series: npt.NDArray[np.int64],
    columns: npt.NDArray[np.int64],
    shape: tuple[int, int],
) -> FloatArray:
    """A NaN grid of ``shape`` with each row's ``name`` value at (series, column)."""
    grid = np.full(shape, np.nan)
    cells = (math.nan if row.values[name] is None else row.values[name] for row in rows)
    grid[series, columns] = np.fromiter(cells, np.float64, len(rows))
    return grid
