"""End to end through the CLI: set compensation rules from YAML (a bad file refused with
every problem), list them, list codes, redeem a code once."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.services.compensation import handlers
from stockguard.services.compensation.model import AffectedOrder

from cli_run import run_cli, squeezed

RULES = """\
currency: EUR
tiers: {silver: 500, gold: 2000}
monthly_budget: 200
shipping_value: 4.90
rules:
  - {name: gold customers, kind: percent, value: 15, min_tier: gold, min_days_late: 1}
  - {name: everyone late, kind: free_shipping, min_days_late: 3}
"""


def _run(database: str, *args: str, code: int = 0) -> str:
    return squeezed(run_cli(database, *args, code=code))


def test_rules_codes_and_redeem_once(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'compensation.sqlite3'}"
    _run(database, "db", "upgrade")
    assert "No compensation rules are set" in _run(database, "compensation", "rules", "list")

    bad = tmp_path / "bad.yaml"
    bad.write_text("monthly_budget: -1\nrules:\n  - {name: x, kind: percent, value: 0}\n")
    refused = _run(database, "compensation", "rules", "set", str(bad), code=1)
    assert "were refused (2 problem(s)); nothing was saved" in refused

    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    saved = _run(database, "compensation", "rules", "set", str(rules))
    assert "Saved 2 compensation rule(s)" in saved
    listed = _run(database, "compensation", "rules", "list")
    assert "silver >= 500, gold >= 2000; monthly budget 200" in listed
    document = json.loads(_run(database, "compensation", "rules", "list", "--json"))
    assert [r["name"] for r in document["rules"]] == ["gold customers", "everyone late"]

    engine = db_engine.make_engine(database)
    factory = partial(SqlCompensationUnitOfWork, sessionmaker(bind=engine))
    with factory() as uow:
        order = AffectedOrder("preorder", "PRE-1", "ada@example.com", "MUG", "PAR", 2,
                              Decimal("30.00"), "EUR")  # fmt: skip
        code = handlers.compensate(uow.compensation, order, days_late=5, reason="po_slipped",
                                   idempotency_key="k1", now=datetime.now(UTC))  # fmt: skip
        uow.commit()
    engine.dispose()
    assert code is not None
    assert code.kind == "free_shipping"  # bronze: the gold rule does not match

    codes = _run(database, "compensation", "codes", "list")
    assert code.code in codes
    assert "ada@example.com" in codes
    redeemed = _run(database, "compensation", "redeem", code.code.lower())
    assert (
        f"Redeemed {code.code}: free shipping on your next order for ada@example.com." in redeemed
    )
    again = _run(database, "compensation", "redeem", code.code, code=1)
    assert "was already redeemed" in again
    assert "a code can be used only once" in again
