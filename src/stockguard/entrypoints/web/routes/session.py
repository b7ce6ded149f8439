"""Signing in and out."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stockguard.adapters.db.operators import SqlOperators, normalise_email
from stockguard.adapters.passwords import PasswordHasher
from stockguard.entrypoints.web import auth
from stockguard.entrypoints.web.deps import AppDep, CsrfChecked
from stockguard.entrypoints.web.rendering import path, render

router = APIRouter()

FAILED = "The e-mail address or the password is incorrect."


@router.get("/login", name="login")
def login_page(request: Request, next: str = "") -> Response:
    if auth.operator_email(request):
        return RedirectResponse(_safe_next(request, next), status_code=303)
    return render(request, "login.html", {"next": next, "email": ""})


@router.post("/login", name="login_submit", dependencies=[CsrfChecked])
def login_submit(
    request: Request,
    stockguard: AppDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Check the password; the same message and a 401 for any failure."""
    email = normalise_email(email)
    client = request.client.host if request.client else "unknown"
    guard: auth.SignInGuard = request.app.state.sign_in_guard
    wait = guard.retry_after(email, client)
    context = {"next": next, "email": email}
    if wait > 0:
        minutes = math.ceil(wait / 60)
        context["error"] = f"Too many failed sign-ins. Try again in {minutes} minute(s)."
        response = render(request, "login.html", context, status=429)
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    if not _password_matches(request, SqlOperators(stockguard.sessions), email, password):
        guard.failed(email, client)
        return render(request, "login.html", {**context, "error": FAILED}, status=401)
    guard.succeeded(email)
    auth.sign_in(request, email)
    return RedirectResponse(_safe_next(request, next), status_code=303)


@router.post("/logout", name="logout", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    auth.sign_out(request)
    return RedirectResponse(path(request, "login"), status_code=303)


def _password_matches(request: Request, operators: SqlOperators, email: str, password: str) -> bool:
    hasher: PasswordHasher = request.app.state.passwords
    operator = operators.find(email) if email else None
    if operator is None:
        hasher.verify_nothing(password)  # as slow as a real check: no address probing
        return False
    if not hasher.verify(operator.password_hash, password):
        return False
    if hasher.needs_rehash(operator.password_hash):
        operators.set_password_hash(email, hasher.hash(password))
    return True


def _safe_next(request: Request, target: str) -> str:
    """``target`` when it is a path inside the dashboard, else the overview (no open
    redirects to other sites)."""
    root = request.scope.get("root_path", "")
    inside = target.startswith(f"{root}/") and not target.startswith("//")
    if inside and "\\" not in target and "://" not in target:
        return target
    return path(request, "overview")
