"""The "Customers" page for customer service: look up a customer, see their open orders
and pre-orders with the dates promised, the notices and codes they were sent, and send
an apology with the compensation the rules give in one action.

Without a customer the page lists the latest delay notices and compensation codes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.domain import errors
from stockguard.entrypoints.web.deps import AppDep, CsrfChecked, require_operator
from stockguard.entrypoints.web.flash import flash
from stockguard.entrypoints.web.rendering import path, render
from stockguard.services.compensation.handlers import describe
from stockguard.services.notices.apology import ApologySent, customer_view, send_apology

router = APIRouter(dependencies=[Depends(require_operator)])

Text = Annotated[str | None, Query(max_length=254)]


@router.get("/customer-service", name="customer_service")
def customer_service_page(
    request: Request, stockguard: AppDep, q: Text = None, customer: Text = None
) -> Response:
    """Search (``q``: id, e-mail or name), one customer's view, or the latest notices."""

    def factory() -> SqlCompensationUnitOfWork:
        return SqlCompensationUnitOfWork(stockguard.sessions)

    context: dict[str, object] = {"nav": "customer_service", "q": q or "", "describe": describe}
    with factory() as uow:
        if q and q.strip():
            context["matches"] = uow.compensation.customers_like(q)
        if not customer:
            context["notices"] = uow.compensation.notices(limit=50)
            context["codes"] = uow.compensation.codes(limit=50)
        else:
            context["codes"] = uow.compensation.codes(customer=customer, limit=50)
    if customer:
        context["view"] = customer_view(factory, customer)
        context["customer"] = customer
    return render(request, "customer_service.html", context)


@router.post("/customer-service/apology", name="send_apology", dependencies=[CsrfChecked])
def apology(
    request: Request,
    stockguard: AppDep,
    customer: Annotated[str, Form(min_length=1, max_length=254)],
    order: Annotated[str, Form(min_length=1, max_length=64)],
) -> Response:
    """Queue the apology (current date + compensation by the rules) for one order."""

    def factory() -> SqlCompensationUnitOfWork:
        return SqlCompensationUnitOfWork(stockguard.sessions)

    try:
        sent = send_apology(factory, customer, order, datetime.now(UTC))
    except errors.DomainError as error:
        flash(request, f"{error} Nothing was sent.", kind="error")
    else:
        text, failed = _outcome(customer, order, sent)
        flash(request, text, kind="error" if failed else "done")
    target = path(request, "customer_service") + f"?customer={customer}"
    return RedirectResponse(target, status_code=303)


def _outcome(customer: str, order: str, sent: ApologySent) -> tuple[str, bool]:
    """The flash message of an apology and whether nothing went out."""
    notice = sent.notice
    if not sent.sent or notice is None:
        return f"An apology for {order} with this date was sent already; nothing more.", True
    if notice.contact is None:
        return f"Recorded, but {customer} has no e-mail address: nothing was sent.", True
    offer = f"code {notice.code}" if notice.code else "no compensation under the current rules"
    return f"Apology for {order} queued to {notice.contact} ({offer}).", False
