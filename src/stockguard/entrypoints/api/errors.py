"""The one place that maps errors to HTTP: RFC 9457 ``application/problem+json``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from stockguard.domain import errors, reservations, shipping
from stockguard.services.consent import customer_tokens
from stockguard.services.importing.problems import ImportRejected

PROBLEM_BASE = "https://stockguard.dev/problems/"
MEDIA_TYPE = "application/problem+json"

STATUS_BY_ERROR: dict[type[errors.StockguardError], int] = {
    errors.UnknownSku: 404,
    errors.UnknownLocation: 404,
    errors.UnknownPurchaseOrder: 404,
    errors.UnknownSupplier: 404,
    errors.UnknownApiKey: 404,
    errors.UnknownCarrier: 404,
    errors.UnknownShop: 404,
    errors.InvalidShopCode: 422,
    errors.DuplicateShop: 409,
    errors.DuplicateOrder: 409,
    errors.UnknownCustomer: 404,
    errors.UnknownSalesOrder: 404,
    errors.NoForecast: 404,
    errors.InvalidQuantity: 422,
    errors.InvalidScope: 422,
    errors.DuplicateLine: 422,
    ImportRejected: 422,
    errors.InvalidTransition: 409,
    errors.OverReceipt: 409,
    errors.IdempotencyKeyReused: 409,
    errors.ConcurrencyConflict: 409,
    errors.NoPlanningRun: 409,
    errors.InvalidRule: 422,
    errors.InvalidParameter: 422,
    errors.UnknownRule: 404,
    errors.UnknownCategory: 404,
    errors.UnknownProposal: 404,
    errors.UnknownProposalLine: 422,
    errors.EmptyApproval: 409,
    shipping.UnknownShipment: 404,
    shipping.DuplicateShipment: 409,
    reservations.NotEnoughStock: 409,
    reservations.ReservationClosed: 409,
    reservations.PreorderRefused: 409,
    reservations.UnknownReservation: 404,
    reservations.UnknownPreorder: 404,
    reservations.PreorderClosed: 409,
    customer_tokens.ForgedCustomerToken: 400,
    customer_tokens.ExpiredCustomerToken: 410,
    customer_tokens.CustomerTokensOff: 403,
}


def problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + code,
        "title": code.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _status_for(error: errors.StockguardError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def _fields(error: Exception) -> dict[str, Any]:
    """The error's structured fields (``sku``, ``requested``...) as JSON-safe values."""
    safe = (str, int, float, bool, type(None))
    return {k: v for k, v in vars(error).items() if not k.startswith("_") and isinstance(v, safe)}


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, errors.StockguardError)
    extra = _fields(error)
    if isinstance(error, ImportRejected):
        extra["problems"] = [
            {"line": p.line, "column": p.column, "value": p.value, "reason": p.reason}
            for p in error.problems
        ]
    first_line = str(error).splitlines()[0]
    return problem(_status_for(error), error.code, first_line, **extra)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    invalid = [
        {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in error.errors()
    ]
    detail = "; ".join(f"{i['field']}: {i['reason']}" for i in invalid[:5])
    return problem(422, "invalid_request", detail, invalid=invalid)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
    }
    response = problem(
        error.status_code, code.get(error.status_code, "http_error"), str(error.detail)
    )
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _constraint_error(_request: Request, error: Exception) -> JSONResponse:
    """A write the database refused (e.g. a carrier code that does not exist): the
    transaction was rolled back. Handlers should refuse such requests first; this keeps
    any they miss a 409 rather than a 500."""
    assert isinstance(error, IntegrityError)
    detail = (
        "The change refers to a record that does not exist or duplicates one that does; "
        "nothing was written."
    )
    return problem(409, "constraint_violated", detail)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.StockguardError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _constraint_error)
