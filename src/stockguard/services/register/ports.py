"""Port of the register area: the risks, inside a unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from stockguard.domain.register import Risk


class RiskRegisterRepository(Protocol):
    """Risks by code. ``save`` inserts or replaces; ``remove`` deletes (False: no such risk)."""

    def get(self, code: str) -> Risk | None: ...

    def all(self) -> list[Risk]:
        """Every risk, highest score first, then by code."""
        ...

    def save(self, risk: Risk, now: datetime) -> None: ...

    def remove(self, code: str) -> bool: ...


class NoRegister:
    """A register that holds nothing and refuses writes (units of work without one)."""

    def get(self, code: str) -> Risk | None:
        return None

    def all(self) -> list[Risk]:
        return []

    def save(self, risk: Risk, now: datetime) -> None:
        raise NotImplementedError("this unit of work has no risk register")

    def remove(self, code: str) -> bool:
        return False
