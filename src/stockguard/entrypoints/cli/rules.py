"""``stockguard rules``: set, list and remove replenishment rules per SKU, category, location."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.views import replenishment as views
from stockguard.domain import commands
from stockguard.domain import replenishment as r
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.entrypoints.cli.replenish import money

app = typer.Typer(
    help="Replenishment rules: a SKU x location takes each setting from its most specific "
    "rule (SKU x location, SKU, category, location, ABC class, default).",
    no_args_is_help=True,
)

Sku = Annotated[str | None, typer.Option(help="Rule for this SKU (with --location: there only).")]
Location = Annotated[str | None, typer.Option(help="Rule for this location.")]
Category = Annotated[str | None, typer.Option(help="Rule for every SKU of this category.")]
AbcClass = Annotated[str | None, typer.Option("--abc-class", help="Rule for class A, B or C.")]
Default = Annotated[bool, typer.Option("--default", help="The default rule (all SKUs).")]


def scope_of(
    *, sku: str | None, location: str | None, category: str | None, abc: str | None, default: bool
) -> tuple[r.RuleScope, dict[str, str]]:
    """The rule's scope and key fields from the scope options, refusing mixes."""
    named = {
        k: v
        for k, v in (
            ("sku", sku),
            ("location", location),
            ("category", category),
            ("abc_class", abc),
        )
        if v is not None
    }
    for scope in r.SCOPE_PRECEDENCE:
        if set(named) == set(r.SCOPE_KEYS[scope]) and (scope is r.RuleScope.DEFAULT) == default:
            return scope, named
    raise fail(
        "name one scope: --sku, --sku with --location, --category, --location, --abc-class "
        "or --default"
    )


def share(text: str | None, option: str) -> float | None:
    """``0.95`` or ``95%`` as 0.95."""
    if text is None:
        return None
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a share; write it like 0.95 or 95%") from None
    return value


@app.command("set")
@handles_domain_errors
def set_rule(
    sku: Sku = None,
    location: Location = None,
    category: Category = None,
    abc_class: AbcClass = None,
    default: Default = False,
    policy: Annotated[r.PolicyName | None, typer.Option(help="Replenishment policy.")] = None,
    service_measure: Annotated[
        r.ServiceMeasure | None,
        typer.Option(help="cycle: no stock-out per cycle; fill: share served."),
    ] = None,
    service_level: Annotated[str | None, typer.Option(help="Target, e.g. 0.95 or 95%.")] = None,
    review_period: Annotated[
        int | None, typer.Option(help="Days between reviews (periodic).")
    ] = None,
    fixed_quantity: Annotated[
        int | None, typer.Option(help="Units per order (fixed_quantity).")
    ] = None,
    minimum: Annotated[int | None, typer.Option("--min", help="Manual minimum (manual).")] = None,
    maximum: Annotated[int | None, typer.Option("--max", help="Manual maximum (manual).")] = None,
    max_share: Annotated[
        str | None, typer.Option(help="Largest share of a line one supplier may take, e.g. 60%.")
    ] = None,
    budget: Annotated[
        str | None, typer.Option(help="Spending cap shared by the scope's lines.")
    ] = None,
    unset: Annotated[
        list[str] | None, typer.Option(help="Clear a setting (repeat), e.g. --unset budget.")
    ] = None,
    replace: Annotated[
        bool, typer.Option(help="Replace the whole rule instead of updating the settings given.")
    ] = False,
) -> None:
    """Create or update the rule of one scope; settings not given keep their values."""
    scope, keys = scope_of(
        sku=sku, location=location, category=category, abc=abc_class, default=default
    )
    settings: dict[str, Any] = {
        "policy": policy,
        "service_measure": service_measure,
        "service_level": share(service_level, "--service-level"),
        "review_period_days": review_period,
        "fixed_order_quantity": fixed_quantity,
        "manual_minimum": minimum,
        "manual_maximum": maximum,
        "max_supplier_share": share(max_share, "--max-share"),
        "budget": money(budget, "--budget"),
    }
    if all(v is None for v in settings.values()) and not unset:
        raise fail("nothing to set: give at least one setting (see --help) or --unset")
    values: dict[str, Any] = {**keys, **settings}
    rule = r.ReplenishmentRule(scope=scope, **values)
    command = commands.SetReplenishmentRule(rule, merge=not replace, unset=tuple(unset or ()))
    existed = state.app().bus.handle(command)
    console.print(f"{'Updated' if existed else 'Created'} rule {rule.label}.")


@app.command("list")
def list_rules() -> None:
    """Every rule, most specific scope first; empty cells come from wider scopes."""
    with state.app().reader() as session:
        found = views.rules(session)
    table = Table(
        "Scope", "Key", "Policy", "Measure", "Level", "Review", "Fixed Q", "Min", "Max",
        "Max share", "Budget",
    )  # fmt: skip
    for rule in found:
        table.add_row(
            rule.scope.value,
            "@".join(rule.key),
            *(_cell(getattr(rule, name)) for name in r.SETTINGS),
        )
    console.print(table)


@app.command()
@handles_domain_errors
def remove(
    sku: Sku = None,
    location: Location = None,
    category: Category = None,
    abc_class: AbcClass = None,
    default: Default = False,
) -> None:
    """Delete the rule of one scope; its SKUs fall back to wider rules."""
    scope, keys = scope_of(
        sku=sku, location=location, category=category, abc=abc_class, default=default
    )
    key = tuple(keys[name] for name in r.SCOPE_KEYS[scope])
    state.app().bus.handle(commands.RemoveReplenishmentRule(scope, key))
    console.print(f"Removed rule {' '.join([scope.value, '@'.join(key)]).strip()}.")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)
