"""Back-in-stock waves: restock episodes in progress and recent, and one episode's waves.

Read-only: the waves service has no pause, resume or cancel operation (a wave goes out
on restock and after each pause, and sending stops by itself when the SKU sells out).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from starlette.responses import Response

from stockguard.adapters.db.views import waves as views
from stockguard.entrypoints.web.deps import AppDep, SessionDep, require_operator
from stockguard.entrypoints.web.paging import PAGE_SIZE, Pager
from stockguard.entrypoints.web.rendering import render

router = APIRouter(dependencies=[Depends(require_operator)])

Filter = Annotated[str, Query(max_length=64)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/waves", name="waves")
def waves_page(
    request: Request, stockguard: AppDep, session: SessionDep, sku: Filter = "",
    state: Filter = "", page: PageNumber = 1,
) -> Response:  # fmt: skip
    """Restock episodes: sending first, then paused (sold out), then done."""
    chosen = state if state in views.STATES else ""
    pause = timedelta(minutes=stockguard.settings.waves.pause_minutes)
    found = views.episodes(
        session, pause=pause, sku=sku.strip() or None, state=chosen or None, limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )  # fmt: skip
    context = {
        "nav": "subscriptions",
        "rows": found.rows,
        "pager": Pager(page=page, total=found.total),
        "sku": sku,
        "state": chosen,
        "states": views.STATES,
        "settings": stockguard.settings.waves,
    }
    return render(request, "waves.html", context)


@router.get("/waves/{episode_id}", name="wave_episode")
def episode_page(
    request: Request,
    stockguard: AppDep,
    session: SessionDep,
    episode_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    """One restock episode and its waves, with the delivery state of their messages."""
    pause = timedelta(minutes=stockguard.settings.waves.pause_minutes)
    found = views.episode(session, episode_id, pause=pause)
    if found is None:
        raise HTTPException(404, f"There is no restock episode {episode_id}.")
    context = {
        "nav": "subscriptions",
        "episode": found,
        "waves": views.waves_of(session, episode_id),
        "settings": stockguard.settings.waves,
    }
    return render(request, "wave_episode.html", context)
