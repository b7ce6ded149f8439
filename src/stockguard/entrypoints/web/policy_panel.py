"""The SKU page's "Replenishment policy" panel: the policy per location, computed now, and
the explanation of the SKU's latest proposal line there. Slow rows are pooled with the
group figures the latest replenishment run stored (ADR 0018), as that run's lines are;
``PolicyPanel.pooling`` says with which run's, or that none has stored any yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stockguard.adapters.db.views import policies, run_priors
from stockguard.adapters.db.views.proposal_lines import (
    POLICY_LABELS,
    LineFacts,
    line_facts,
    policy_summary,
    service_label,
)
from stockguard.bootstrap import App
from stockguard.domain import errors
from stockguard.services.replenishment.sku_policy import LocationPolicy, policies_of_sku

CURRENCY = "EUR"
"""The panel's currency (offers and the run whose pooled-rate figures it reads)."""


@dataclass(frozen=True, slots=True)
class PolicyRow:
    policy: LocationPolicy
    summary: str
    policy_label: str
    service_label: str
    latest_line: LineFacts | None = None
    """The SKU's newest proposal line at this location, with its proposal's status."""
    latest_status: str | None = None
    latest_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PolicyPanel:
    """Rows per location, or ``note`` saying why there are none."""

    rows: list[PolicyRow] = field(default_factory=list)
    run_id: int | None = None
    abc_class: str | None = None
    note: str | None = None
    warning: str | None = None
    """Shown above the rows (e.g. no supplier offers the SKU)."""
    pooling: str | None = None
    """Whether slow rows were pooled, with which run's figures (``SkuPolicies.pooling_note``)."""


def policy_panel(stockguard: App, sku: str) -> PolicyPanel:
    """The panel of ``sku``. It opens its own short sessions: call it while no other
    session of the page is open (on SQLite a transaction holds the lock until it ends)."""
    with stockguard.reader() as session:
        run_id = policies.latest_run(session)
        latest = policies.latest_lines_of(session, sku)
        revenue = policies.forecast_revenue(session, run_id) if run_id is not None else {}
        priors = run_priors.latest_run_priors(session, CURRENCY)
    if run_id is None:
        return PolicyPanel(note="No forecast yet: run stockguard plan forecast first.")
    source = policies.SkuReplenishmentSource(stockguard.read_sessions or stockguard.sessions, sku)
    try:
        found = policies_of_sku(source, sku=sku, revenue=revenue, currency=CURRENCY, priors=priors)
    except errors.NoForecast:
        return PolicyPanel(
            note="The latest planning run did not forecast this SKU, so it has no policy yet."
        )
    except errors.InvalidRule as error:
        return PolicyPanel(note=f"{error} Fix the rule with stockguard rules set.")
    rows = [_row(policy, latest.get(policy.location)) for policy in found.locations]
    warning = None
    if not found.has_offer:
        warning = (
            f"No supplier offers this SKU in {found.currency}: nothing can be bought, and "
            "the levels below assume the default lead time. Add an offer with stockguard "
            "import supplier-offers."
        )
    return PolicyPanel(
        rows=rows,
        run_id=found.run_id,
        abc_class=found.abc_class,
        warning=warning,
        pooling=found.pooling_note,
    )


def _row(policy: LocationPolicy, latest: Any | None) -> PolicyRow:
    return PolicyRow(
        policy=policy,
        summary=policy_summary(policy),
        policy_label=POLICY_LABELS.get(policy.policy, policy.policy),
        service_label=service_label(policy.service_level, policy.service_measure),
        latest_line=line_facts(latest) if latest is not None else None,
        latest_status=latest.proposal_status if latest is not None else None,
        latest_at=latest.created_at if latest is not None else None,
    )
