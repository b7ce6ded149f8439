"""Compensation: the rules (tiers, rules, monthly budget), the codes issued for late
orders, redeeming a code once, and the delay notices sent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.domain import compensation as c
from stockguard.entrypoints.api.deps import AppDep, Planner
from stockguard.entrypoints.api.errors import problem
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.services.compensation import handlers
from stockguard.services.compensation.model import IssuedCode

router = APIRouter(
    prefix="/compensation",
    tags=["compensation"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Planner],
)

RULES_EXAMPLE: dict[str, Any] = {
    "currency": "EUR",
    "tiers": {"silver": 500, "gold": 2000},
    "monthly_budget": 300,
    "shipping_value": 4.9,
    "rules": [
        {"name": "gold late", "kind": "percent", "value": 15, "min_tier": "gold",
         "min_days_late": 3},
        {"name": "anyone late", "kind": "free_shipping", "min_days_late": 2},
    ],
}  # fmt: skip
Code = Annotated[str, Path(min_length=4, max_length=16, pattern="^[A-Za-z0-9]+$")]


class CodeRead(BaseModel):
    code: str
    customer: str
    order: str
    reason: str
    rule: str
    kind: str = Field(description="percent, amount or free_shipping.")
    value: Decimal = Field(description="Percentage or amount (0 for free shipping).")
    face_value: Decimal = Field(description="What it counts against the monthly budget.")
    currency: str
    offer: str
    issued_at: datetime
    redeemed_at: datetime | None
    redeemed_ref: str | None


class CodeRedeemIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reference": "SO-10442"}]}
    )

    reference: str | None = Field(
        default=None, max_length=120, description="What the code was used on (order number)."
    )


class NoticeRead(BaseModel):
    customer: str
    contact: str | None
    order_kind: str
    order: str
    sku: str
    promised_on: date | None
    previous_promised_on: date | None
    reason: str
    code: str | None
    created_at: datetime


def _read(code: IssuedCode) -> CodeRead:
    return CodeRead(
        code=code.code, customer=code.customer, order=code.order_ref, reason=code.reason,
        rule=code.rule, kind=code.kind, value=code.value, face_value=code.face_value,
        currency=code.currency, offer=handlers.describe(code), issued_at=code.issued_at,
        redeemed_at=code.redeemed_at, redeemed_ref=code.redeemed_ref,
    )  # fmt: skip


@router.get("/codes")
def list_compensation_codes(
    stockguard: AppDep,
    customer: Annotated[str | None, Query(min_length=1, max_length=254)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[CodeRead]:
    """Codes issued, newest first (optionally one customer's)."""
    with SqlCompensationUnitOfWork(stockguard.sessions) as uow:
        return [_read(code) for code in uow.compensation.codes(customer=customer, limit=limit)]


@router.post("/codes/{code}/redeem", responses={409: {"description": "Already redeemed."}})
def redeem_compensation_code(
    stockguard: AppDep,
    code: Code,
    body: Annotated[CodeRedeemIn | None, Body(examples=[{"reference": "SO-10442"}])] = None,
) -> Any:
    """Redeem a code once. 404 ``unknown_compensation_code``; 409
    ``compensation_code_redeemed`` when it was used already (of concurrent redeems
    exactly one succeeds)."""
    factory = lambda: SqlCompensationUnitOfWork(stockguard.sessions)  # noqa: E731
    try:
        issued = handlers.redeem(factory, code, datetime.now(UTC), body.reference if body else None)
    except c.CodeAlreadyRedeemed as error:
        return problem(409, error.code, str(error), compensation_code=error.compensation_code,
                       redeemed_at=error.redeemed_at)  # fmt: skip
    except c.UnknownCode as error:
        return problem(404, error.code, str(error), compensation_code=error.compensation_code)
    return _read(issued)


@router.get("/rules")
def get_compensation_rules(stockguard: AppDep) -> dict[str, Any]:
    """The stored policy (``{}`` when none is set)."""
    with SqlCompensationUnitOfWork(stockguard.sessions) as uow:
        policy = uow.compensation.policy()
    return c.policy_document(policy) if policy else {}


@router.put("/rules")
def put_compensation_rules(
    stockguard: AppDep, document: Annotated[dict[str, Any], Body(examples=[RULES_EXAMPLE])]
) -> Any:
    """Replace the policy: ``currency``, ``tiers`` {silver, gold} (12-month spend),
    ``monthly_budget``, ``shipping_value``, ``rules`` [{name, kind, value, min_tier,
    min_days_late, min_order_value}] (first match wins). 422 with every problem and
    nothing saved when any part is wrong."""
    factory = lambda: SqlCompensationUnitOfWork(stockguard.sessions)  # noqa: E731
    try:
        policy = handlers.set_policy(factory, document, "api", datetime.now(UTC))
    except c.PolicyRejected as error:
        return problem(422, error.code, str(error).splitlines()[0], problems=error.problems)
    return c.policy_document(policy)


@router.delete("/rules", status_code=204)
def delete_compensation_rules(stockguard: AppDep) -> Response:
    """Remove the policy: notices go out without compensation."""
    with SqlCompensationUnitOfWork(stockguard.sessions) as uow:
        uow.compensation.delete_policy()
        uow.commit()
    return Response(status_code=204)


@router.get("/notices")
def list_delay_notices(
    stockguard: AppDep,
    customer: Annotated[str | None, Query(min_length=1, max_length=254)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[NoticeRead]:
    """Delay notices queued, newest first."""
    with SqlCompensationUnitOfWork(stockguard.sessions) as uow:
        notices = uow.compensation.notices(customer=customer, limit=limit)
    return [
        NoticeRead(customer=n.customer, contact=n.contact, order_kind=n.order_kind,
                   order=n.order_ref, sku=n.sku, promised_on=n.promised_on,
                   previous_promised_on=n.previous_promised_on, reason=n.reason, code=n.code,
                   created_at=n.created_at)
        for n in notices
    ]  # fmt: skip
