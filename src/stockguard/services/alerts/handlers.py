"""Use cases on alert rules: add one, import a file (all or nothing), remove one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from stockguard.services.alerts.ports import AlertUnitOfWork
from stockguard.services.alerts.rules import AlertRule
from stockguard.services.alerts.validation import AlertRulesRejected, RuleProblem

KIND_FIELDS = {"locations": "locations", "categories": "categories", "skus": "skus"}
KIND_WORDS = {"locations": "location", "categories": "category", "skus": "SKU"}


def save_rules(
    rules: Sequence[AlertRule],
    source: str,
    uow_factory: Callable[[], AlertUnitOfWork],
    now: datetime,
) -> list[bool]:
    """Create or replace ``rules`` (by name) in one transaction, after checking that every
    location, category and SKU they name exists; returns, per rule, whether it existed.
    Raises ``AlertRulesRejected`` (nothing written) otherwise."""
    with uow_factory() as uow:
        problems = [
            problem
            for index, rule in enumerate(rules, start=1)
            for problem in _unknown(rule, index, uow)
        ]
        if problems:
            raise AlertRulesRejected(source, problems)
        existed = [uow.alerts.save_rule(rule, now) for rule in rules]
        uow.commit()
    return existed


def remove_rule(name: str, uow_factory: Callable[[], AlertUnitOfWork]) -> bool:
    """Delete the rule called ``name``; False when there is none. Its alerts stay logged."""
    with uow_factory() as uow:
        removed = uow.alerts.remove_rule(name)
        uow.commit()
    return removed


def _unknown(rule: AlertRule, index: int, uow: AlertUnitOfWork) -> list[RuleProblem]:
    unknown = uow.alerts.unknown_references(
        locations=set(rule.locations), categories=set(rule.categories), skus=set(rule.skus)
    )
    return [
        RuleProblem(
            index,
            rule.name,
            KIND_FIELDS[kind],
            f"unknown {KIND_WORDS[kind]} {', '.join(map(repr, sorted(codes)))}",
        )
        for kind, codes in sorted(unknown.items())
    ]
