"""The operator dashboard: server-rendered pages mounted at ``/dashboard`` in the API app.

``install_dashboard(app, settings)`` mounts a separate ASGI app so that the dashboard
keeps its own session middleware, HTML error pages and routes out of the OpenAPI schema.
"""

from __future__ import annotations

import functools
import importlib.util
import secrets
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from stockguard.adapters.passwords import PasswordHasher
from stockguard.config import DashboardSettings, Settings
from stockguard.entrypoints.web import auth
from stockguard.entrypoints.web.rendering import make_templates, path, render
from stockguard.entrypoints.web.routes import (
    audit,
    compensations,
    customer_service,
    message_analytics,
    overview,
    purchasing,
    register,
    replenishment,
    risk,
    scenarios,
    session,
    stock,
    supplier_kpis,
)
from stockguard.entrypoints.web.routes import notices as notice_pages
from stockguard.entrypoints.web.routes import subscriptions as subscription_pages
from stockguard.entrypoints.web.routes import waves as wave_pages

MOUNT_PATH = "/dashboard"
STATIC = Path(__file__).parent / "static"
ASSET_CACHE = "public, max-age=86400"


def install_dashboard(app: FastAPI, settings: Settings) -> None:
    """Mount the dashboard at ``/dashboard``; it shares ``app.state.stockguard``."""
    dashboard = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    dashboard.state.stockguard = app.state.stockguard
    dashboard.state.templates = make_templates()
    dashboard.state.passwords = PasswordHasher()
    dashboard.state.sign_in_guard = auth.SignInGuard()
    _add_session(dashboard, settings.dashboard)
    for router in (
        session.router,
        overview.router,
        stock.router,
        purchasing.router,
        supplier_kpis.router,
        replenishment.router,
        risk.router,
        audit.router,
        scenarios.router,
        register.router,
        customer_service.router,
        message_analytics.router,
        subscription_pages.router,
        wave_pages.router,
        notice_pages.router,
        compensations.router,
    ):
        dashboard.include_router(router)
    dashboard.add_api_route("/vendor/plotly.min.js", _plotly, name="plotly")
    dashboard.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_pages(dashboard)
    app.mount(MOUNT_PATH, dashboard, name="dashboard")


def _add_session(dashboard: FastAPI, options: DashboardSettings) -> None:
    secret = options.session_secret
    dashboard.add_middleware(
        SessionMiddleware,
        secret_key=secret.get_secret_value() if secret else _process_secret(),
        session_cookie=options.cookie_name,
        max_age=options.session_max_age,
        same_site="lax",
        https_only=options.https_only,
    )


@functools.cache
def _process_secret() -> str:
    """A random signing key for this process, when the settings name none."""
    return secrets.token_urlsafe(48)


@functools.cache
def _plotly_file() -> Path:
    """plotly.min.js as installed with the ``plotly`` package (never a CDN)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the plotly package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


def _plotly() -> Response:
    return FileResponse(
        _plotly_file(), media_type="text/javascript", headers={"Cache-Control": ASSET_CACHE}
    )


def _add_error_pages(dashboard: FastAPI) -> None:
    async def login_required(request: Request, _error: Exception) -> Response:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{path(request, 'login')}?{urlencode({'next': here})}"
        return RedirectResponse(target, status_code=303)

    async def csrf_rejected(request: Request, _error: Exception) -> Response:
        message = "This form expired or did not come from the dashboard. Reload it and retry."
        return _error_page(request, 403, message)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        return _error_page(request, error.status_code, str(error.detail))

    async def invalid_request(request: Request, _error: Exception) -> Response:
        message = "The address holds an invalid filter or page number."
        return _error_page(request, 400, message)

    dashboard.add_exception_handler(auth.LoginRequired, login_required)
    dashboard.add_exception_handler(auth.CsrfRejected, csrf_rejected)
    dashboard.add_exception_handler(StarletteHTTPException, http_error)
    dashboard.add_exception_handler(RequestValidationError, invalid_request)


def _error_page(request: Request, status: int, message: str) -> Response:
    context = {"title": HTTPStatus(status).phrase, "message": message}
    return render(request, "error.html", context, status=status)
