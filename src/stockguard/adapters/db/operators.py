"""Dashboard operators: e-mail address, argon2 hash, creation time.

Operators are not part of the stock model, so they skip the message bus: this small
store opens its own short transactions on the given session factory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, exc, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from stockguard.adapters.db import tables as t


@dataclass(frozen=True, slots=True)
class Operator:
    id: int
    email: str
    password_hash: str
    created_at: datetime


class OperatorExists(ValueError):
    def __init__(self, email: str) -> None:
        super().__init__(f"an operator with the e-mail address {email!r} already exists")
        self.email = email


def normalise_email(email: str) -> str:
    """Addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _operator(row: Row[Any]) -> Operator:
    return Operator(row.id, row.email, row.password_hash, row.created_at)


class SqlOperators:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._table = t.table_of(t.OperatorRow)

    def find(self, email: str) -> Operator | None:
        query = select(self._table).where(self._table.c.email == normalise_email(email))
        with self._sessions() as session:
            row = session.execute(query).first()
        return _operator(row) if row else None

    def list(self) -> list[Operator]:
        with self._sessions() as session:
            rows = session.execute(select(self._table).order_by(self._table.c.email)).all()
        return [_operator(row) for row in rows]

    def add(self, email: str, password_hash: str, *, created_at: datetime) -> Operator:
        """Store a new operator; raises ``OperatorExists`` for a known address."""
        email = normalise_email(email)
        if self.find(email) is not None:
            raise OperatorExists(email)
        values = {"email": email, "password_hash": password_hash, "created_at": created_at}
        try:
            with self._sessions.begin() as session:
                query = insert(self._table).values(values).returning(self._table.c.id)
                new_id = session.execute(query).scalar_one()
        except exc.IntegrityError as error:  # created concurrently since the check
            raise OperatorExists(email) from error
        return Operator(int(new_id), email, password_hash, created_at)

    def set_password_hash(self, email: str, password_hash: str) -> None:
        query = (
            update(self._table)
            .where(self._table.c.email == normalise_email(email))
            .values(password_hash=password_hash)
        )
        with self._sessions.begin() as session:
            session.execute(query)
