"""Use cases of the risk register: add, update, remove, import, and record rehearsals.

Each runs in one unit of work and commits once; a refused request writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from stockguard.domain import register as reg
from stockguard.services.register.document import parse_register
from stockguard.services.register.fields import fields_of, risk_from_fields
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """Codes created and updated by a register import (in file order)."""

    created: tuple[str, ...]
    updated: tuple[str, ...]


def add_risk(uow: UnitOfWork, raw: Mapping[str, Any], *, now: datetime) -> reg.Risk:
    """Add a risk from raw fields; refuses a code already in the register."""
    risk = _valid(raw, source="request")
    with uow:
        if uow.register.get(risk.code) is not None:
            raise reg.RiskRejected(
                "request",
                [f"risk {risk.code!r}, field code: already in the register; update it instead"],
            )
        uow.register.save(risk, now)
        uow.commit()
    return risk


def update_risk(
    uow: UnitOfWork, code: str, changes: Mapping[str, Any], *, now: datetime
) -> reg.Risk:
    """Change some fields of a risk (a None value clears an optional field)."""
    if "code" in changes and changes["code"] != code:
        raise reg.RiskRejected("request", [f"risk {code!r}, field code: cannot be changed"])
    with uow:
        current = _get(uow, code)
        risk = _valid({**fields_of(current), **changes}, source="request", keep=current)
        uow.register.save(risk, now)
        uow.commit()
    return risk


def remove_risk(uow: UnitOfWork, code: str) -> None:
    with uow:
        if not uow.register.remove(code):
            raise reg.UnknownRisk(code)
        uow.commit()


def import_register(uow: UnitOfWork, text: str, *, source: str, now: datetime) -> ImportSummary:
    """Add or update every risk of a register file, all or nothing.

    Updated risks keep their rehearsal date: a file describes risks, simulations rehearse them.
    """
    risks = parse_register(text, source)
    created: list[str] = []
    updated: list[str] = []
    with uow:
        for risk in risks:
            current = uow.register.get(risk.code)
            kept = risk if current is None else _keep_rehearsal(risk, current)
            uow.register.save(kept, now)
            (created if current is None else updated).append(risk.code)
        uow.commit()
    return ImportSummary(tuple(created), tuple(updated))


def mark_rehearsed(uow: UnitOfWork, code: str, *, run_id: int | None, when: datetime) -> reg.Risk:
    """Record that scenario run ``run_id`` rehearsed the risk's plan, finishing at ``when``."""
    with uow:
        risk = _get(uow, code).rehearsed_by(run_id, when.date())
        uow.register.save(risk, when)
        uow.commit()
    return risk


def mark_scenario_rehearsed(
    uow: UnitOfWork, scenario: str, *, run_id: int | None, when: datetime
) -> list[str]:
    """Mark every risk modelled by ``scenario`` (its file path or library name) rehearsed;
    returns their codes. A scenario run calls this when it completes."""
    with uow:
        risks = [r for r in uow.register.all() if r.scenario == scenario]
        for risk in risks:
            uow.register.save(risk.rehearsed_by(run_id, when.date()), when)
        uow.commit()
    return [r.code for r in risks]


def _keep_rehearsal(risk: reg.Risk, current: reg.Risk) -> reg.Risk:
    return replace(
        risk, last_rehearsed_on=current.last_rehearsed_on, last_run_id=current.last_run_id
    )


def _get(uow: UnitOfWork, code: str) -> reg.Risk:
    risk = uow.register.get(code)
    if risk is None:
        raise reg.UnknownRisk(code)
    return risk


def _valid(raw: Mapping[str, Any], *, source: str, keep: reg.Risk | None = None) -> reg.Risk:
    risk, problems = risk_from_fields(raw, keep=keep)
    if risk is None:
        code = raw.get("code")
        where = f"risk {code!r}" if code else "risk"
        raise reg.RiskRejected(source, [reg.describe(p, where) for p in problems])
    return risk
