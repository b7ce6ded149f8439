"""Public storefront API (``/storefront/v1``, storefront scope): availability and ping.

Each answer is one indexed read of precomputed rows (no planning work per request),
kept for ``CACHE_SECONDS`` in an in-process cache and sent with an ``ETag`` and a short
``Cache-Control`` so browsers and CDNs revalidate cheaply (304 on ``If-None-Match``).

The endpoints are ``async``: a cached answer is sent without a database session or a
worker thread; only a miss reads the rows, in the thread pool (``run_in_threadpool``).
The API key check (``deps.require``) still reads the key row on every request, so a
revoked key is refused at once (ADR 0005).
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from stockguard.adapters.db import storefront as rows
from stockguard.bootstrap import App
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import AppDep, Storefront
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.storefront import (
    AvailabilityBatchRead,
    AvailabilityRead,
    Lang,
    Pong,
)
from stockguard.services.storefront import view

router = APIRouter(
    prefix="/storefront/v1",
    tags=["storefront"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Storefront],
)

CACHE_SECONDS = 2.0
"""How long an answer is reused in this process (a movement shows within that time)."""
MAX_AGE = 5
"""``Cache-Control: max-age`` in seconds."""
MAX_BATCH = 100

SkuPath = Annotated[str, Path(min_length=1, max_length=64)]
LocationQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=32, description="One location; all sellable ones if absent."),
]
LangQuery = Annotated[Lang, Query(description="Language of the message: en or fr.")]


class _TtlCache:
    """A small thread-safe cache of serialised answers, by key, for ``seconds``."""

    def __init__(self, seconds: float, size: int = 20_000) -> None:
        self.seconds, self.size = seconds, size
        self._items: dict[tuple[object, ...], tuple[float, bytes]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def put(self, key: tuple[object, ...], body: bytes) -> None:
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.seconds, body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = _TtlCache(CACHE_SECONDS)


def _shown(
    stockguard: App, skus: list[str], location: str | None, lang: Lang
) -> tuple[list[AvailabilityRead], list[str]]:
    """The shown rows of ``skus`` (in order) and the SKUs with no such product; blocking
    (two indexed reads): call it in the thread pool."""
    with stockguard.reader() as session:
        stored = rows.rows_of(session, skus, location)
        missing = [sku for sku in skus if sku not in stored]
        statuses = rows.product_statuses(session, missing) if missing else {}
    shown: list[AvailabilityRead] = []
    for sku in skus:
        found = stored.get(sku, [])
        if not found and sku not in statuses:
            continue
        discontinued = found[0].discontinued if found else statuses[sku]
        if location is None:
            row = view.combine(sku, found, discontinued=discontinued)
        elif found:
            row = found[0]
        else:
            row = view.combine(sku, [], discontinued=discontinued)
            row.location = location
        shown.append(AvailabilityRead.model_validate(view.show(row, lang.value)))
    known = {item.sku for item in shown}
    return shown, [sku for sku in skus if sku not in known]


def _send(request: Request, body: bytes) -> Response:
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE}", "Vary": "Authorization"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/availability/{sku}", response_model=AvailabilityRead)
async def get_availability(
    request: Request,
    stockguard: AppDep,
    sku: SkuPath,
    location: LocationQuery = None,
    lang: LangQuery = Lang.EN,
) -> Response:
    """The SKU's availability (all sellable locations combined unless ``location``):
    state, colour, count when low, restock promise when out, message in ``lang``.
    404 ``unknown_sku`` when there is no such product."""
    key: tuple[object, ...] = ("one", sku, location, lang)
    body = cache.get(key)
    if body is None:
        shown, _ = await run_in_threadpool(_shown, stockguard, [sku], location, lang)
        if not shown:
            raise errors.UnknownSku(sku)
        body = shown[0].model_dump_json().encode()
        cache.put(key, body)
    return _send(request, body)


@router.get("/availability", response_model=AvailabilityBatchRead)
async def list_availability(
    request: Request,
    stockguard: AppDep,
    skus: Annotated[
        str, Query(min_length=1, max_length=6500, description="Comma-separated SKUs (<= 100).")
    ],
    location: LocationQuery = None,
    lang: LangQuery = Lang.EN,
) -> Response:
    """Several SKUs at once (``skus=a,b,c``, at most 100, in the order asked); SKUs
    with no such product are listed in ``unknown``."""
    wanted = list(dict.fromkeys(s.strip() for s in skus.split(",") if s.strip()))
    if not wanted or len(wanted) > MAX_BATCH:
        raise errors.InvalidParameter("skus", skus[:80], f"must name 1 to {MAX_BATCH} SKUs")
    key: tuple[object, ...] = ("many", tuple(wanted), location, lang)
    body = cache.get(key)
    if body is None:
        shown, unknown = await run_in_threadpool(_shown, stockguard, wanted, location, lang)
        body = AvailabilityBatchRead(items=shown, unknown=unknown).model_dump_json().encode()
        cache.put(key, body)
    return _send(request, body)


@router.get("/ping")
async def ping() -> Pong:
    """A trivial answer behind the same key check (the load benchmark's reference)."""
    return Pong()
