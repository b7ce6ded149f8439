"""Commands and handlers of the contracts area (registered on the message bus)."""

from __future__ import annotations

from dataclasses import dataclass

from stockguard.domain import commands, errors
from stockguard.domain import contracts as c
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SetContractClause(commands.Command):
    """Create or replace ``clause`` (a supplier's terms from ``clause.valid_from``)."""

    clause: c.ContractClause


@dataclass(frozen=True, slots=True)
class ClauseStored:
    supplier: str
    valid_from: str
    replaced: bool


def set_contract_clause(cmd: SetContractClause, uow: UnitOfWork) -> ClauseStored:
    """Store the clause; refuses an unknown supplier. The clause validated itself."""
    clause = cmd.clause
    with uow:
        if uow.suppliers.get(clause.supplier) is None:
            raise errors.UnknownSupplier(clause.supplier)
        replaced = uow.contracts.put(clause)
        uow.commit()
    return ClauseStored(clause.supplier, clause.valid_from.isoformat(), replaced)
