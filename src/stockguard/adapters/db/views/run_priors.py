"""The pooled-rate group figures the latest replenishment run stored with its proposal.

A run keeps them in its proposal's ``parameters`` (JSON, key
``run_priors.PARAMETER_KEY``); one SKU's policy (``GET /policies/{sku}``, the SKU page)
reads them back so that its slow rows are pooled as that run pooled them (ADR 0018).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.services.replenishment import run_priors


def latest_run_priors(session: Session, currency: str) -> run_priors.RunPriors | None:
    """The figures of the newest proposal in ``currency``; None when there is none or it
    stored none (a proposal made before the figures were kept)."""
    proposals = t.table_of(t.ReplenishmentProposalRow)
    query = (
        select(proposals.c.id, proposals.c.run_id, proposals.c.created_at, proposals.c.parameters)
        .where(proposals.c.currency == currency)
        .order_by(proposals.c.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    if row is None or not isinstance(row.parameters, dict):
        return None
    stored = row.parameters.get(run_priors.PARAMETER_KEY)
    if not isinstance(stored, dict):
        return None
    return run_priors.from_json(
        stored, proposal_id=row.id, run_id=row.run_id, created_at=row.created_at
    )
