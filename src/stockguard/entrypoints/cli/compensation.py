"""``stockguard compensation``: the compensation rules, the codes issued and redeeming one.

``rules set FILE`` (YAML or JSON; refused as a whole with every problem), ``rules list``,
``rules clear``, ``codes list [--customer C]``, ``redeem CODE [--reference R]``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
import yaml  # type: ignore[import-untyped]
from rich.table import Table

from stockguard.adapters.db.compensation import SqlCompensationUnitOfWork
from stockguard.domain import compensation as c
from stockguard.entrypoints.cli.context import console, domain_errors, fail, state
from stockguard.services.compensation import handlers

app = typer.Typer(
    help="Compensation for late orders: `rules set FILE`, `rules list`, `codes list`, "
    "`redeem CODE`.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="The compensation rules (tiers, rules, monthly budget).",
                        no_args_is_help=True)  # fmt: skip
codes_app = typer.Typer(help="Compensation codes issued.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(codes_app, name="codes")


def _uow() -> SqlCompensationUnitOfWork:
    return SqlCompensationUnitOfWork(state.app().sessions)


def _plain(text: str) -> None:
    console.print(text, markup=False, highlight=False)


@rules_app.command("set")
def rules_set(
    path: Annotated[Path, typer.Argument(help="YAML or JSON file with the policy.")],
) -> None:
    """Replace the rules with FILE's (nothing is saved if any part is wrong).

    Fields: currency, tiers.silver / tiers.gold (12-month spend), monthly_budget,
    shipping_value, rules: [{name, kind: percent|amount|free_shipping, value, min_tier,
    min_days_late, min_order_value}], first match wins."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise fail(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise fail(f"{path}{where}: not valid YAML or JSON ({error}).") from error
    with domain_errors():
        policy = handlers.set_policy(_uow, data, str(path), datetime.now(UTC))
    _plain(f"Saved {len(policy.rules)} compensation rule(s) from {path}; "
           f"monthly budget {policy.monthly_budget} {policy.currency}.")  # fmt: skip


@rules_app.command("list")
def rules_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored document.")] = False,
) -> None:
    """The stored rules, in the order they are tried."""
    with _uow() as uow:
        policy = uow.compensation.policy()
    if policy is None:
        _plain("No compensation rules are set: delay notices go out without compensation.")
        return
    if as_json:
        _plain(json.dumps(c.policy_document(policy), indent=2))
        return
    _plain(f"Tiers (12-month spend, {policy.currency}): silver >= {policy.silver_spend}, "
           f"gold >= {policy.gold_spend}; monthly budget {policy.monthly_budget}; "
           f"free shipping counts {policy.shipping_value}.")  # fmt: skip
    table = Table(title="Compensation rules (first match wins)", title_justify="left")
    for column in ("#", "name", "offer", "min tier", "min days late", "min order value"):
        table.add_column(column)
    for n, rule in enumerate(policy.rules, start=1):
        offer = c.Offer(rule.name, rule.kind, rule.value, rule.value, policy.currency)
        table.add_row(str(n), rule.name, offer.describe(), rule.min_tier.value,
                      str(rule.min_days_late), str(rule.min_order_value))  # fmt: skip
    console.print(table)


@rules_app.command("clear")
def rules_clear() -> None:
    """Remove the rules (no more compensation is issued)."""
    with _uow() as uow:
        removed = uow.compensation.delete_policy()
        uow.commit()
    _plain("Compensation rules removed." if removed else "No compensation rules were set.")


@codes_app.command("list")
def codes_list(
    customer: Annotated[str | None, typer.Option(help="Only this customer's codes.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
) -> None:
    """Codes issued, newest first."""
    with _uow() as uow:
        codes = uow.compensation.codes(customer=customer, limit=limit)
    if not codes:
        _plain("No compensation code has been issued.")
        return
    table = Table(title="Compensation codes", title_justify="left")
    for column in ("code", "customer", "order", "offer", "value", "issued", "redeemed", "reason"):
        table.add_column(column, no_wrap=column in ("code", "customer", "order", "value"))
    for code in codes:
        table.add_row(
            code.code, code.customer, code.order_ref, handlers.describe(code),
            f"{code.face_value:.2f} {code.currency}", f"{code.issued_at:%Y-%m-%d}",
            f"{code.redeemed_at:%Y-%m-%d %H:%M}" if code.redeemed_at else "", code.reason,
        )  # fmt: skip
    console.print(table)


@app.command("redeem")
def redeem(
    code: Annotated[str, typer.Argument(help="The code (case does not matter).")],
    reference: Annotated[
        str | None, typer.Option(help="What it was used on (order number...).")
    ] = None,
) -> None:
    """Redeem CODE; a code works once (a second redeem fails with exit code 1)."""
    with domain_errors():
        issued = handlers.redeem(_uow, code, datetime.now(UTC), reference)
    _plain(f"Redeemed {issued.code}: {handlers.describe(issued)} for {issued.customer}.")
