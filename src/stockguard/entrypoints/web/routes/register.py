"""The "Register" page: the risk register, plans never rehearsed first in view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from stockguard.adapters.db import register as register_db
from stockguard.entrypoints.web.deps import SessionDep, require_operator
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])


@router.get("/register", name="register")
def register_page(request: Request, session: SessionDep) -> Response:
    """Every risk, highest score first; risks whose plan was never rehearsed by a
    simulation are listed above the table and highlighted in it."""
    risks = register_db.list_risks(session)
    never = [r for r in risks if not r.rehearsed]
    context = {"nav": "register", "risks": risks, "never": never}
    return render(request, "register.html", context)
