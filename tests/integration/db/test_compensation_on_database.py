"""Compensation on SQLite and PostgreSQL: the monthly budget cap stops issuing, a code is
redeemed once, and of concurrent redeems exactly one wins (conditional UPDATE)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db.compensation import CODES, SqlCompensationUnitOfWork
from stockguard.bootstrap import App
from stockguard.domain import compensation as c
from stockguard.services.compensation import handlers
from stockguard.services.compensation.model import AffectedOrder, IssuedCode

from conftest import random_sku

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _order(ref: str, value: str = "100.00") -> AffectedOrder:
    return AffectedOrder("order", ref, random_sku("C"), "SKU", None, 1, Decimal(value), "EUR")


def test_the_budget_cap_stops_issuing_when_the_month_would_exceed_it(app: App) -> None:
    uow_factory = partial(SqlCompensationUnitOfWork, app.sessions)
    rules = {
        "monthly_budget": 25,
        "rules": [{"name": "ten off", "kind": "amount", "value": 10, "min_days_late": 1}],
    }
    handlers.set_policy(uow_factory, rules, "rules.yaml", NOW)
    issued: list[IssuedCode | None] = []
    with uow_factory() as uow:
        already = uow.compensation.issued_value(c.month_of(NOW))
        assert already == 0  # each test runs on its own rolled-back transaction
        for n in range(4):
            issued.append(
                handlers.compensate(uow.compensation, _order(f"SO-{n}"), days_late=3,
                                    reason="late", idempotency_key=f"k-{n}", now=NOW)
            )  # fmt: skip
        uow.commit()
        assert [i is not None for i in issued] == [True, True, False, False]  # 10 + 10 <= 25
        assert uow.compensation.issued_value(c.month_of(NOW)) == Decimal(20)
        # the same key gives back the same code; a new month has a new budget
        again = handlers.compensate(
            uow.compensation, _order("SO-0"), days_late=3, reason="late",
            idempotency_key="k-0", now=NOW,
        )  # fmt: skip
        assert again == issued[0]
        next_month = datetime(2026, 12, 1, tzinfo=UTC)
        fresh = handlers.compensate(
            uow.compensation, _order("SO-9"), days_late=3, reason="late",
            idempotency_key="k-9", now=next_month,
        )  # fmt: skip
        assert fresh is not None


def test_a_code_is_redeemed_once_with_a_clear_message(app: App) -> None:
    uow_factory = partial(SqlCompensationUnitOfWork, app.sessions)
    handlers.set_policy(
        uow_factory,
        {"monthly_budget": 100, "rules": [{"name": "ship", "kind": "free_shipping"}],
         "shipping_value": "4.90"},
        "api", NOW,
    )  # fmt: skip
    with uow_factory() as uow:
        code = handlers.compensate(
            uow.compensation, _order("SO-1"), days_late=0, reason="late",
            idempotency_key=random_sku(), now=NOW,
        )  # fmt: skip
        uow.commit()
    assert code is not None
    assert code.kind == "free_shipping"
    assert code.face_value == Decimal("4.90")
    redeemed = handlers.redeem(uow_factory, code.code.lower(), NOW, "order SO-77")
    assert redeemed.redeemed_at is not None
    assert redeemed.redeemed_ref == "order SO-77"
    with pytest.raises(c.CodeAlreadyRedeemed) as twice:
        handlers.redeem(uow_factory, code.code, NOW)
    assert str(twice.value) == (
        f"The compensation code '{code.code}' was already redeemed on 2026-11-25 10:00 UTC; "
        "a code can be used only once."
    )
    with pytest.raises(c.UnknownCode):
        handlers.redeem(uow_factory, "AAAAAAAAAA", NOW)


def test_a_bad_policy_leaves_the_stored_one_untouched(app: App) -> None:
    uow_factory = partial(SqlCompensationUnitOfWork, app.sessions)
    good = handlers.set_policy(uow_factory, {"monthly_budget": 50}, "good.yaml", NOW)
    with pytest.raises(c.PolicyRejected):
        handlers.set_policy(uow_factory, {"monthly_budget": "lots"}, "bad.yaml", NOW)
    with uow_factory() as uow:
        assert uow.compensation.policy() == good


def test_concurrent_redeems_exactly_one_wins(engine: Engine) -> None:
    """Eight threads, each with its own connection, redeem the same committed code."""
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    uow_factory = partial(SqlCompensationUnitOfWork, sessions)
    code = c.new_code()
    with uow_factory() as uow:
        uow.compensation.add_code(
            IssuedCode(code, "c@example.com", "SO-1", "late", "r", "amount", Decimal(5),
                       Decimal(5), "EUR", NOW, random_sku("key"))
        )  # fmt: skip
        uow.commit()
    barrier, outcomes = threading.Barrier(8), []
    lock = threading.Lock()

    def redeem() -> None:
        barrier.wait()
        try:
            handlers.redeem(uow_factory, code, NOW)
            outcome = "won"
        except c.CodeAlreadyRedeemed:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["refused"] * 7 + ["won"]
    finally:
        with sessions() as session:
            session.execute(delete(CODES).where(CODES.c.code == code))
            session.commit()
