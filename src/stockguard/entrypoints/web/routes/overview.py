"""The overview page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from stockguard.adapters.db.views.dashboard import overview as views
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])


@router.get("/", name="overview")
def overview(request: Request, session: SessionDep) -> Response:
    context = {
        "nav": "overview",
        "figures": views.overview(session),
        "stockouts": views.recent_stockouts(session, limit=10),
    }
    return render(request, "overview.html", context)
