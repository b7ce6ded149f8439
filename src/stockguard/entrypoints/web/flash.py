"""One-time messages shown on the next page (after a form's redirect), kept in the session."""

from __future__ import annotations

from typing import Literal

from starlette.requests import Request

FLASH_KEY = "flash"
MAX_MESSAGES = 5
Kind = Literal["done", "error"]


def flash(request: Request, text: str, *, kind: Kind = "done") -> None:
    """Show ``text`` on the next page rendered for this session."""
    messages = [m for m in request.session.get(FLASH_KEY, []) if isinstance(m, dict)]
    request.session[FLASH_KEY] = [*messages, {"kind": kind, "text": text}][-MAX_MESSAGES:]


def pop_flashes(request: Request) -> list[dict[str, str]]:
    """The messages waiting for this session, removed from it."""
    if FLASH_KEY not in request.session:
        return []
    messages = request.session.pop(FLASH_KEY)
    return [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
