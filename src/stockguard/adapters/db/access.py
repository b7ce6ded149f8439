"""API key repository: keys are found by their public prefix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.domain import access


def api_key_from_row(row: Row[Any]) -> access.ApiKey:
    return access.ApiKey(
        prefix=row.prefix,
        name=row.name,
        secret_digest=row.secret_digest,
        scopes=frozenset(access.Scope(s) for s in row.scopes.split(",") if s),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class SqlApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[str, access.ApiKey] = {}
        self._new: set[str] = set()

    @property
    def seen(self) -> Sequence[access.ApiKey]:
        return list(self._seen.values())

    def get(self, prefix: str) -> access.ApiKey | None:
        if prefix not in self._seen:
            table = t.table_of(t.ApiKeyRow)
            row = self._session.execute(select(table).where(table.c.prefix == prefix)).first()
            if row is None:
                return None
            self._seen[prefix] = api_key_from_row(row)
        return self._seen[prefix]

    def add(self, key: access.ApiKey) -> None:
        self._seen[key.prefix] = key
        self._new.add(key.prefix)

    def list(self) -> list[access.ApiKey]:
        table = t.table_of(t.ApiKeyRow)
        rows = self._session.execute(select(table).order_by(table.c.created_at)).all()
        return [api_key_from_row(row) for row in rows]

    def flush(self) -> None:
        table = t.table_of(t.ApiKeyRow)
        for prefix, key in self._seen.items():
            values = {
                "prefix": key.prefix,
                "name": key.name,
                "secret_digest": key.secret_digest,
                "scopes": ",".join(sorted(s.value for s in key.scopes)),
                "created_at": key.created_at,
                "revoked_at": key.revoked_at,
            }
            if prefix in self._new:
                self._session.execute(insert(table), [values])
            else:
                self._session.execute(
                    update(table).where(table.c.prefix == prefix).values(revoked_at=key.revoked_at)
                )
        self._new.clear()
