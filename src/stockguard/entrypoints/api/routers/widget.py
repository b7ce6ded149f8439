"""The product-page widget script and a demo product page that embeds it.

``GET /storefront/v1/widget.js`` needs no key (a shop's pages load it; the key travels
in the script tag and is checked by the API calls it makes). It is served with an ETag
and a short public cache lifetime, so a new release reaches shops within minutes and
unchanged copies cost a 304. Neither is a JSON operation, so neither is in the OpenAPI
document (which lists only keyed endpoints).
"""

from __future__ import annotations

import hashlib
import html
from functools import cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Query
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

router = APIRouter(tags=["storefront"])

WIDGET_FILE = (
    Path(__file__).resolve().parents[2] / "web" / "static" / "widget" / "stockguard-widget.js"
)
CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
DEMO_POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The demo page may only talk to this server: the widget must work under it."""


@cache
def _widget() -> tuple[bytes, str]:
    body = WIDGET_FILE.read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get("/storefront/v1/widget.js", response_class=Response, include_in_schema=False)
def widget_script(
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The widget (JavaScript, no dependencies). Conditional requests get 304."""
    body, etag = _widget()
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": "*",
    }
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


DEMO_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 52rem;
  padding: 0 1rem; color: #18181b; }}
.product {{ display: grid; grid-template-columns: 16rem 1fr; gap: 2rem; }}
.picture {{ background: #e4e4e7; border-radius: 8px; aspect-ratio: 1;
  display: grid; place-items: center; color: #52525b; }}
</style>
<script src="/storefront/v1/widget.js" data-api-key="{key}" defer></script>
</head>
<body>
<main class="product">
  <div class="picture" aria-hidden="true">{sku}</div>
  <div>
    <h1>{heading}</h1>
    <p>{intro}</p>
    <div id="stockguard" data-stockguard-sku="{sku}" data-lang="{lang}"{location}{variants}
         data-product-url="{product_url}"></div>
  </div>
</main>
</body>
</html>
"""


@router.get("/storefront/demo/product/{sku}", response_class=HTMLResponse, include_in_schema=False)
def demo_product_page(
    sku: Annotated[str, PathParam(min_length=1, max_length=64)],
    key: Annotated[str, Query(max_length=200, description="A storefront API key.")] = "",
    lang: Annotated[str, Query(pattern="^(fr|en)$")] = "en",
    location: Annotated[str | None, Query(max_length=32)] = None,
    any_variant: Annotated[
        bool, Query(description="Offer 'another size or colour will do' in the form.")
    ] = False,
) -> HTMLResponse:
    """A bare product page embedding the widget for ``sku`` (demo and browser tests).
    It shows no catalogue data itself: everything comes through the widget and ``key``.
    With ``any_variant`` the page sets ``data-any-variant="true"``, as a shop does on a
    product with sizes or colours."""
    french = lang == "fr"
    query = {"key": key, "lang": lang} | ({"location": location} if location else {})
    page = DEMO_PAGE.format(
        lang=lang,
        title=html.escape(f"{sku} · stockguard demo"),
        heading=html.escape(("Produit " if french else "Product ") + sku),
        intro=(
            "Page produit de démonstration : le bloc ci-dessous est le widget stockguard."
            if french
            else "Demo product page: the block below is the stockguard widget."
        ),
        sku=html.escape(sku),
        key=html.escape(key),
        location=f' data-location="{html.escape(location)}"' if location else "",
        variants=' data-any-variant="true"' if any_variant else "",
        product_url=html.escape("/storefront/demo/product/{sku}?" + urlencode(query)),
    )
    return HTMLResponse(page, headers={"Content-Security-Policy": DEMO_POLICY})
