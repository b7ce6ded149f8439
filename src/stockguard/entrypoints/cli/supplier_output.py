"""Output of ``stockguard suppliers``: rich tables, or CSV/JSON to stdout or a file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from stockguard.entrypoints.cli.context import console, fail
from stockguard.entrypoints.cli.export import Format, write_text
from stockguard.services.suppliers.records import plain


def emit(
    records: list[dict[str, Any]],
    fields: Sequence[str],
    output_format: Format,
    output: Path | None,
    table: Callable[[list[dict[str, Any]]], Table],
) -> None:
    """Print ``records`` as a table, or export them as CSV/JSON (to ``output`` if given)."""
    if output_format is Format.TABLE:
        if output is not None:
            raise fail("--output needs --format csv or --format json")
        console.print(table(records))
        return
    if output_format is Format.JSON:
        text = json.dumps(plain(records), indent=2, default=str) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows([{k: _cell(v) for k, v in r.items()} for r in records])
        text = buffer.getvalue()
    write_text(text, output, len(records))


def _cell(value: Any) -> Any:
    if isinstance(value, dict):
        return ";".join(f"{k}={v:.6g}" for k, v in value.items())
    return value


def share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def days(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def money(value: Any) -> str:
    return f"{float(value):,.0f}"


def change(value: float | None, *, points: bool) -> str:
    if value is None:
        return ""
    if points:
        return f"{value * 100:+.1f} pt"
    return f"{value:+.1f} d"
