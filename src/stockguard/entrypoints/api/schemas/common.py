"""Shared response shapes: pages of results and RFC 9457 problems."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE_SIZE = 500
MAX_OFFSET = 1_000_000_000
"""Larger offsets overflow SQLite's integers; no list is that long."""


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; ``total`` counts every match of the filters."""

    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(ge=0, le=MAX_OFFSET)


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["https://stockguard.dev/problems/unknown_sku"])
    title: str = Field(examples=["Unknown sku"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["There is no product with SKU 'MUG-01'."])
    code: str = Field(examples=["unknown_sku"])


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": text}
    for status, text in (
        (400, "The body could not be parsed (malformed JSON or multipart data)."),
        (401, "Missing or invalid API key."),
        (403, "The key's scopes do not allow this endpoint."),
        (404, "The resource does not exist."),
        (409, "Conflict with the current state."),
        (422, "The request is invalid; the problem names the field and the reason."),
    )
}
"""Error responses every authenticated endpoint can return, for the OpenAPI document."""
