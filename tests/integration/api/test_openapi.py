"""The OpenAPI document: complete, documented, and every operation behind a key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

PUBLIC_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
"""Paths anyone may read; FastAPI keeps them out of the document itself."""
SIGNED_PATHS = {
    "/webhooks/orders",
    "/webhooks/inventory",
    "/storefront/v1/subscriptions/confirm",
    "/storefront/v1/subscriptions/unsubscribe",
    "/m/c/{token}",
    "/api/v1/messages/events",
}
"""Shops (and message providers, on /api/v1/messages/events) authenticate the webhooks with
an HMAC signature of the body; the links in customer messages (confirm, unsubscribe,
click) carry a signed, expiring token instead of an API key."""


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_document_and_the_docs_page_need_no_key(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_every_operation_requires_a_bearer_key_unless_allow_listed(
    document: dict[str, Any],
) -> None:
    open_operations = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(document)
        if not operation.get("security") and path not in PUBLIC_PATHS | SIGNED_PATHS
    ]
    assert open_operations == []
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_every_operation_has_a_summary_a_description_a_tag_and_problem_responses(
    document: dict[str, Any],
) -> None:
    known_tags = {tag["name"] for tag in document["tags"]}
    for path, method, operation in _operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation.get("description"), where
        assert set(operation["tags"]) <= known_tags, where
        problems = {"401", "422"} | ({"403"} if operation.get("security") else set())
        for status in problems:
            assert "application/problem+json" in operation["responses"][status]["content"], where


def test_every_json_request_body_carries_an_example(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    bodies = [
        (f"{method.upper()} {path}", operation["requestBody"]["content"])
        for path, method, operation in _operations(document)
        if "requestBody" in operation
    ]
    assert bodies, "no operation takes a body"
    for where, content in bodies:
        if "multipart/form-data" in content:
            assert content["multipart/form-data"]["encoding"]["file"]["contentType"] == "text/csv"
            continue
        schema = content["application/json"]["schema"]
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        assert schema.get("examples"), where


def test_request_models_refuse_unknown_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    request_models = [
        name
        for name, schema in schemas.items()
        if name.endswith(("Create", "Update", "In")) and schema.get("type") == "object"
    ]
    assert {"PurchaseOrderCreate", "PurchaseOrderUpdate", "ReceiptCreate"} <= set(request_models)
    assert all(schemas[name]["additionalProperties"] is False for name in request_models)
