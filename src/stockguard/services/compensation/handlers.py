"""Compensation use cases: set the rules, issue a code for a late order, redeem a code.

Issuing (``compensate``) reads the customer's 12-month spend (tier), picks the first rule
that matches (``domain.compensation.choose``) and issues a code only while the month's
issued face value plus this one stays within the budget cap. One code per idempotency
key: a notice relayed twice does not issue twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from stockguard.domain import compensation as c
from stockguard.services.compensation.model import AffectedOrder, IssuedCode
from stockguard.services.compensation.ports import CompensationStore, CompensationUnitOfWork

SPEND_WINDOW = timedelta(days=365)


def set_policy(
    uow_factory: Callable[[], CompensationUnitOfWork], data: object, source: str, now: datetime
) -> c.Policy:
    """Validate ``data`` as a whole (``PolicyRejected`` lists every problem, nothing is
    saved) and replace the stored rules with it."""
    policy = c.parse_policy(data, source)
    with uow_factory() as uow:
        uow.compensation.save_policy(policy, source, now)
        uow.commit()
    return policy


def compensate(
    store: CompensationStore,
    order: AffectedOrder,
    *,
    days_late: int | None,
    reason: str,
    idempotency_key: str,
    now: datetime,
) -> IssuedCode | None:
    """The code issued for ``order`` under ``idempotency_key`` (an earlier one if any),
    or None when there is no policy, no rule matches, or the budget cap would be passed.
    Does not commit."""
    earlier = store.code_for_key(idempotency_key)
    if earlier is not None:
        return earlier
    policy = store.policy()
    if policy is None:
        return None
    spend = store.customer_spend(order.customer, now - SPEND_WINDOW)
    case = c.Case(policy.tier_of(spend), days_late, order.value)
    offer = c.choose(policy, case)
    month = c.month_of(now)
    if offer is None or not c.within_budget(policy, store.issued_value(month), offer):
        return None
    code = IssuedCode(
        code=c.new_code(),
        customer=order.customer,
        order_ref=order.ref,
        reason=reason[:300],
        rule=offer.rule,
        kind=offer.kind.value,
        value=offer.value,
        face_value=offer.face_value,
        currency=offer.currency,
        issued_at=now,
        idempotency_key=idempotency_key,
    )
    store.add_code(code)
    return code


def redeem(
    uow_factory: Callable[[], CompensationUnitOfWork],
    code: str,
    now: datetime,
    reference: str | None = None,
) -> IssuedCode:
    """Redeem ``code`` once: one conditional UPDATE, so of concurrent redeems exactly one
    wins. ``UnknownCode`` when it does not exist, ``CodeAlreadyRedeemed`` afterwards."""
    code = code.strip().upper()
    with uow_factory() as uow:
        won = uow.compensation.redeem(code, now, reference)
        uow.commit()
        issued = uow.compensation.code(code)
    if issued is None:
        raise c.UnknownCode(code)
    if not won:
        raise c.CodeAlreadyRedeemed(code, issued.redeemed_at)
    return issued


def describe(code: IssuedCode) -> str:
    """``"10% off your next order"`` and the like."""
    offer = c.Offer(code.rule, c.OfferKind(code.kind), code.value, code.face_value, code.currency)
    return offer.describe()
