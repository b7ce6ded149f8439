"""The widget script and the demo product page, as a shop's browser fetches them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

WIDGET = "/storefront/v1/widget.js"


def test_the_widget_is_served_without_a_key_with_caching_headers(client: TestClient) -> None:
    response = client.get(WIDGET)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"].startswith("public, max-age=300")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["etag"])
    script = response.text
    assert "data-stockguard-sku" in script
    assert 'aria-live": "polite"' in script
    # no third-party origin: every URL the script builds starts from its own origin
    assert re.findall(r"https?://[^\s\"')]+", script) == [
        "https://stock.example.com/storefront/v1/widget.js"
    ]


def test_an_unchanged_widget_costs_a_304(client: TestClient) -> None:
    etag = client.get(WIDGET).headers["etag"]
    again = client.get(WIDGET, headers={"If-None-Match": f'"other", {etag}'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(WIDGET, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_demo_page_embeds_the_widget_for_the_sku_and_escapes_its_inputs(
    client: TestClient,
) -> None:
    response = client.get(
        '/storefront/demo/product/MUG"01<x>', params={"key": "sg_a_b", "lang": "fr"}
    )
    assert response.status_code == 200
    page = response.text
    assert '<html lang="fr">' in page
    assert '<script src="/storefront/v1/widget.js" data-api-key="sg_a_b" defer>' in page
    assert 'data-stockguard-sku="MUG&quot;01&lt;x&gt;"' in page
    assert "<x>" not in page
    policy = response.headers["content-security-policy"]
    assert "connect-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_the_demo_page_accepts_only_french_or_english(client: TestClient) -> None:
    response = client.get("/storefront/demo/product/MUG-01", params={"lang": "de"})
    assert response.status_code == 422


def test_a_shop_on_another_origin_may_call_the_storefront_api(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    shop = {"Origin": "https://shop.example.com"}
    preflight = client.options(
        "/storefront/v1/subscriptions",
        headers=shop
        | {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Authorization" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in preflight.headers
    answer = client.get("/storefront/v1/availability/NOPE", headers=shop | storefront_headers)
    assert answer.status_code == 404
    assert answer.headers["access-control-allow-origin"] == "*"
    assert answer.headers["access-control-expose-headers"] == "ETag"
    script = client.get(WIDGET, headers=shop)
    assert script.headers.get_list("access-control-allow-origin") == ["*"]


def test_only_the_storefront_api_answers_other_origins(
    client: TestClient, storefront_headers: dict[str, str]
) -> None:
    shop = {"Origin": "https://shop.example.com"}
    private = client.get("/products", headers=shop | storefront_headers)
    assert "access-control-allow-origin" not in private.headers
    same_origin = client.get("/storefront/v1/availability/NOPE", headers=storefront_headers)
    assert "access-control-allow-origin" not in same_origin.headers
