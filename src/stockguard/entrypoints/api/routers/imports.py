"""CSV uploads: the same all-or-nothing imports as ``stockguard import``."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Path, UploadFile

from stockguard.entrypoints.api.deps import AppDep, Planner
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Problem
from stockguard.entrypoints.api.schemas.imports import ImportReportRead
from stockguard.services.importing import service
from stockguard.services.importing.problems import ImportProblem, ImportRejected

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Larger files are refused with 413; import them with ``stockguard import`` instead."""

CSV_PART = {"file": {"contentType": "text/csv"}}
"""Tells clients (and the docs page) to send the file part as text/csv."""

router = APIRouter(prefix="/imports", tags=["imports"], responses=PROBLEM_RESPONSES)

Entity = Annotated[
    str,
    Path(
        description="Kind of file; formats: docs/data-format.md.",
        pattern="^(" + "|".join(service.FORMATS) + ")$",
        json_schema_extra={"enum": list(service.FORMATS)},
    ),
]
CsvUpload = Annotated[
    UploadFile,
    File(description="The CSV file, UTF-8 (a byte-order mark is fine), header on line 1."),
]


@router.post(
    "/{entity}",
    dependencies=[Planner],
    responses={
        413: {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.",
        }
    },
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"encoding": CSV_PART}}}},
)
def import_csv(entity: Entity, file: CsvUpload, stockguard: AppDep) -> ImportReportRead:
    """Import a CSV file. Every row is checked first: any problem rejects the whole file
    (422 with a ``problems`` list of line, column, value and reason) and nothing is
    written. Uploading the same file again changes nothing."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise HTTPException(413, f"Upload at most {MAX_UPLOAD_BYTES // 2**20} MB per file.")
    name = file.filename or f"{entity}.csv"
    stream = io.TextIOWrapper(file.file, encoding="utf-8-sig", newline="")
    try:
        report = service.import_file(entity, stream, name, stockguard.unit_of_work())
    except UnicodeDecodeError:
        reason = "The file is not UTF-8 text; save it as UTF-8 CSV and upload it again."
        raise ImportRejected(name, [ImportProblem(name, None, None, None, reason)]) from None
    finally:
        stream.detach()
    return ImportReportRead.model_validate(report)
