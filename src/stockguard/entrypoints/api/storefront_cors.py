"""CORS for the storefront API, so that a shop's pages on another origin can call it.

The widget runs on the shop's origin and calls ``/storefront/v1`` on stockguard's with an
``Authorization`` header, which makes the browser send a preflight. Any origin is
allowed, without credentials: the storefront key is public by design (it sits in the
page) and no cookie is ever honoured there. Other paths (operator API, dashboard) get no
CORS headers, and requests without an ``Origin`` header pass through untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/storefront/v1/"
PREFLIGHT_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"Authorization, Content-Type, If-None-Match"),
    (b"access-control-max-age", b"600"),
    (b"content-length", b"0"),
]


class StorefrontCors:
    """Pure ASGI middleware: answers preflights under ``/storefront/v1/`` and adds
    ``Access-Control-Allow-Origin: *`` (and exposes ``ETag``) to their responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"origin" not in headers:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await send({"type": "http.response.start", "status": 204, "headers": PREFLIGHT_HEADERS})
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"access-control-expose-headers", b"ETag")]
                if b"access-control-allow-origin" not in present:
                    extra.append((b"access-control-allow-origin", b"*"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_cors)
