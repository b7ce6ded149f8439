"""``stockguard alerts``: the alert log, and the rules that decide who hears of what."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from stockguard.adapters.db.alerts import read_rules
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.views import alerts as views
from stockguard.entrypoints.cli.context import console, fail, handles_domain_errors, state
from stockguard.services.alerts import handlers
from stockguard.services.alerts.rules import AlertRule, AlertStatus
from stockguard.services.alerts.validation import parse_rules_text, validate_rules

app = typer.Typer(
    help="Operator alerts (e-mail, webhook) on stock-outs, risk and promotions; "
    "`stockguard worker` sends them.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Alert rules: events, scope, channel, throttle, digest.")
app.add_typer(rules_app, name="rules")


def _uow_factory() -> SqlRelayUnitOfWork:
    return SqlRelayUnitOfWork(state.app().sessions)


@app.command("list")
def list_alerts(
    status: Annotated[AlertStatus | None, typer.Option(help="Only this status.")] = None,
    rule: Annotated[str | None, typer.Option(help="Only this rule.")] = None,
    sku: Annotated[str | None, typer.Option(help="Only this SKU.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows to show.")] = 50,
) -> None:
    """Alerts, newest first: sent, suppressed by the throttle, or held for a digest."""
    with state.app().reader() as session:
        found = views.alerts(
            session, status=status.value if status else None, rule=rule, sku=sku, limit=limit
        )
    table = Table("When (UTC)", "Rule", "Event", "SKU", "Location", "Status", "Held back",
                  "Message")  # fmt: skip
    for row in found.rows:
        table.add_row(
            f"{row.occurred_at:%Y-%m-%d %H:%M}", row.rule_name, row.event_type, row.sku or "",
            row.location or "", row.status, str(row.suppressed_before or ""), row.body,
        )  # fmt: skip
    console.print(table)
    console.print(f"{len(found.rows)} of {found.total} alert(s).")


@app.command("deliveries")
def list_deliveries(
    status: Annotated[str | None, typer.Option(help="pending, sending, sent or failed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Rows to show.")] = 50,
) -> None:
    """Outgoing messages, newest first, with attempts and the last error."""
    with state.app().reader() as session:
        found = views.deliveries(session, status=status, limit=limit)
    table = Table("Id", "Channel", "To", "Subject", "Status", "Attempts", "Last error")
    for row in found.rows:
        table.add_row(
            str(row.id), row.channel, row.target, row.subject, row.status, str(row.attempts),
            row.last_error or "",
        )  # fmt: skip
    console.print(table)


@rules_app.command("add")
@handles_domain_errors
def add_rule(
    name: Annotated[str, typer.Argument(help="Rule name (replaces the rule of that name).")],
    event: Annotated[list[str] | None, typer.Option(help="Event type (repeat).")] = None,
    category: Annotated[list[str] | None, typer.Option(help="Product category (repeat).")] = None,
    abc_class: Annotated[
        list[str] | None, typer.Option("--abc-class", help="A, B or C (repeat).")
    ] = None,
    location: Annotated[list[str] | None, typer.Option(help="Location code (repeat).")] = None,
    sku: Annotated[list[str] | None, typer.Option(help="SKU (repeat).")] = None,
    email: Annotated[list[str] | None, typer.Option(help="Recipient (repeat).")] = None,
    webhook: Annotated[str | None, typer.Option(help="Slack-compatible webhook URL.")] = None,
    throttle_hours: Annotated[float, typer.Option(help="Quiet hours per SKU x location.")] = 6,
    digest: Annotated[str | None, typer.Option(help="'daily': one message a day.")] = None,
    digest_hour: Annotated[int, typer.Option(help="UTC hour of the digest.")] = 8,
) -> None:
    """Create or replace one rule. Events: StockoutRiskRaised, RiskCleared, StockedOut,
    BackInStock, ReorderPointCrossed, PromotionAtRisk (none = all); scopes left out mean
    all. Give --email (repeat) or --webhook."""
    item: dict[str, Any] = {
        "name": name, "events": event or [], "categories": category or [],
        "abc_classes": abc_class or [], "locations": location or [], "skus": sku or [],
        "email": email, "webhook": webhook, "throttle_hours": throttle_hours,
        "digest": digest, "digest_hour": digest_hour,
    }  # fmt: skip
    rules = validate_rules([item], "command line")
    existed = handlers.save_rules(rules, "command line", _uow_factory, datetime.now(UTC))
    console.print(f"{'Replaced' if existed[0] else 'Created'} alert rule {name!r}.")


@rules_app.command("import")
@handles_domain_errors
def import_rules(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML or TOML file.")],
) -> None:
    """Create or replace every rule of a file (see docs/alerts.md), all or nothing."""
    rules = parse_rules_text(path.read_text(encoding="utf-8"), path.name)
    existed = handlers.save_rules(rules, path.name, _uow_factory, datetime.now(UTC))
    replaced = sum(existed)
    console.print(
        f"Imported {len(rules)} alert rule(s) from {path.name}: "
        f"{len(rules) - replaced} new, {replaced} replaced."
    )


@rules_app.command("list")
def list_rules() -> None:
    """Every alert rule; empty scope cells mean all."""
    with state.app().reader() as session:
        found = read_rules(session)
    table = Table("Name", "Events", "Categories", "ABC", "Locations", "SKUs", "Channel", "To",
                  "Throttle", "Digest")  # fmt: skip
    for rule in found:
        table.add_row(*rule_cells(rule))
    console.print(table)


def rule_cells(rule: AlertRule) -> list[str]:
    digest = f"{rule.digest} at {rule.digest_hour:02d}:00" if rule.digest else ""
    return [
        rule.name, ", ".join(rule.event_types) or "all", ", ".join(rule.categories),
        ", ".join(rule.abc_classes), ", ".join(rule.locations), ", ".join(rule.skus),
        rule.channel.value, ", ".join(rule.targets), f"{rule.throttle_seconds / 3600:g} h",
        digest,
    ]  # fmt: skip


@rules_app.command("remove")
def remove_rule(name: Annotated[str, typer.Argument(help="Rule name.")]) -> None:
    """Delete a rule; the alerts it raised stay in the log."""
    if not handlers.remove_rule(name, _uow_factory):
        raise fail(f"there is no alert rule named {name!r}")
    console.print(f"Removed alert rule {name!r}.")
