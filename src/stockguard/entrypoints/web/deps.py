"""Dependencies of dashboard pages: the wired app, a read session, the operator, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from stockguard.bootstrap import App
from stockguard.entrypoints.web import auth


def get_stockguard(request: Request) -> App:
    stockguard: App = request.app.state.stockguard
    return stockguard


AppDep = Annotated[App, Depends(get_stockguard)]


def get_session(stockguard: AppDep) -> Iterator[Session]:
    """A read-only session for one page's queries."""
    with stockguard.reader() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def require_operator(request: Request) -> str:
    """The signed-in operator's e-mail address; otherwise a redirect to the login page."""
    email = auth.operator_email(request)
    if email is None:
        raise auth.LoginRequired
    return email


def require_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Refuse a form whose hidden ``csrf_token`` is not this session's token (403)."""
    auth.check_csrf(request, csrf_token)


OperatorDep = Annotated[str, Depends(require_operator)]
CsrfChecked = Depends(require_csrf)
