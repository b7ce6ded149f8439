"""Ports of the contracts area: contract clauses and the penalties they charge."""

from __future__ import annotations

from typing import Protocol

from stockguard.domain import contracts, events


class ContractRepository(Protocol):
    """Clauses and penalties inside a unit of work.

    ``add_penalty`` stores a penalty and queues its ``PenaltyCharged`` event, which the
    unit of work writes to the outbox on commit (``drain_events``).
    """

    def clauses(self, supplier: str) -> list[contracts.ContractClause]:
        """Every clause of ``supplier``, by ``valid_from``."""
        ...

    def put(self, clause: contracts.ContractClause) -> bool:
        """Store ``clause``, replacing the supplier's clause of the same ``valid_from``;
        True when one was replaced."""
        ...

    def add_penalty(self, penalty: contracts.Penalty) -> bool:
        """Store ``penalty`` unless one with its key exists; True when stored."""
        ...

    def drain_events(self) -> list[events.Event]: ...


class NoContracts:
    """A repository without contracts (units of work that do not hold them, e.g. fakes)."""

    def clauses(self, supplier: str) -> list[contracts.ContractClause]:
        return []

    def put(self, clause: contracts.ContractClause) -> bool:
        raise NotImplementedError("this unit of work stores no contracts")

    def add_penalty(self, penalty: contracts.Penalty) -> bool:
        raise NotImplementedError("this unit of work stores no penalties")

    def drain_events(self) -> list[events.Event]:
        return []
