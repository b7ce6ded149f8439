"""Typed dependencies: the wired app, a read session, and scope checks for API keys."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.access import api_key_from_row
from stockguard.bootstrap import App
from stockguard.domain import access
from stockguard.entrypoints.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE
from stockguard.services.messagebus import MessageBus

bearer = HTTPBearer(
    auto_error=False,
    description="An API key from `stockguard keys create`, sent as `Authorization: Bearer sg_…`.",
)


async def get_stockguard(request: Request) -> App:
    """The wired app (``async``: no I/O, so FastAPI runs it inline, not in a thread)."""
    stockguard: App = request.app.state.stockguard
    return stockguard


AppDep = Annotated[App, Depends(get_stockguard)]


def get_bus(stockguard: AppDep) -> MessageBus:
    return stockguard.bus


def get_session(stockguard: AppDep) -> Iterator[Session]:
    """A read-only session for queries; handlers open their own unit of work.

    An endpoint that writes through the bus should not also take this session: each
    request's sessions must be independent (in tests they share one connection).
    """
    with stockguard.reader() as session:
        yield session


BusDep = Annotated[MessageBus, Depends(get_bus)]
SessionDep = Annotated[Session, Depends(get_session)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]


def _authenticate(
    session: Session, credentials: HTTPAuthorizationCredentials | None
) -> access.ApiKey:
    unauthorized = HTTPException(
        401,
        "Send a valid API key as 'Authorization: Bearer sg_...'.",
        {"WWW-Authenticate": "Bearer"},
    )
    if credentials is None:
        raise unauthorized
    parts = access.split_token(credentials.credentials)
    if parts is None:
        raise unauthorized
    table = t.table_of(t.ApiKeyRow)
    row = session.execute(select(table).where(table.c.prefix == parts[0])).first()
    key = api_key_from_row(row) if row else None
    if key is None or not key.matches(parts[1]):
        raise unauthorized
    return key


def require(scope: access.Scope) -> Callable[..., Any]:
    """Dependency that admits keys whose scopes grant ``scope`` (401 or 403 otherwise)."""

    def check(
        stockguard: AppDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> access.ApiKey:
        with stockguard.reader() as session:  # closed before the endpoint runs
            key = _authenticate(session, credentials)
        if not key.allows(scope):
            raise HTTPException(403, f"This API key lacks the '{scope.value}' scope.")
        return key

    check.__name__ = f"require_{scope.value}"
    return check


Admin = Depends(require(access.Scope.ADMIN))
Planner = Depends(require(access.Scope.PLANNER))
Storefront = Depends(require(access.Scope.STOREFRONT))
