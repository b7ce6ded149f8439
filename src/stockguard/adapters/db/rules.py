"""Replenishment rules: rows <-> domain ``ReplenishmentRule``, and their repository."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.domain import replenishment as r

KEY_SEPARATOR = "@"


def rule_key(key: tuple[str, ...]) -> str:
    """The stored ``key`` column: the scope's key fields joined by ``@``."""
    return KEY_SEPARATOR.join(key)


def rule_to_values(rule: r.ReplenishmentRule) -> dict[str, Any]:
    return {
        "scope": rule.scope.value,
        "key": rule_key(rule.key),
        "sku": rule.sku,
        "location": rule.location,
        "category": rule.category,
        "abc_class": rule.abc_class,
        "policy": rule.policy.value if rule.policy else None,
        "service_measure": rule.service_measure.value if rule.service_measure else None,
        "service_level": rule.service_level,
        "review_period_days": rule.review_period_days,
        "fixed_order_quantity": rule.fixed_order_quantity,
        "manual_minimum": rule.manual_minimum,
        "manual_maximum": rule.manual_maximum,
        "max_supplier_share": rule.max_supplier_share,
        "budget": rule.budget,
    }


def rule_from_row(row: Row[Any]) -> r.ReplenishmentRule:
    return r.ReplenishmentRule(
        scope=r.RuleScope(row.scope),
        sku=row.sku,
        location=row.location,
        category=row.category,
        abc_class=row.abc_class,
        policy=r.PolicyName(row.policy) if row.policy else None,
        service_measure=r.ServiceMeasure(row.service_measure) if row.service_measure else None,
        service_level=row.service_level,
        review_period_days=row.review_period_days,
        fixed_order_quantity=row.fixed_order_quantity,
        manual_minimum=row.manual_minimum,
        manual_maximum=row.manual_maximum,
        max_supplier_share=row.max_supplier_share,
        budget=row.budget,
    )


def read_rules(session: Session) -> list[r.ReplenishmentRule]:
    """Every rule, by scope precedence then key."""
    table = t.table_of(t.ReplenishmentRuleRow)
    rows = session.execute(select(table).order_by(table.c.key)).all()
    order = {scope.value: rank for rank, scope in enumerate(r.SCOPE_PRECEDENCE)}
    return [rule_from_row(row) for row in sorted(rows, key=lambda x: (order[x.scope], x.key))]


class SqlRuleRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def list(self) -> list[r.ReplenishmentRule]:
        return read_rules(self._session)

    def put(self, rule: r.ReplenishmentRule) -> bool:
        table = t.table_of(t.ReplenishmentRuleRow)
        values = rule_to_values(rule)
        where = (table.c.scope == values["scope"], table.c.key == values["key"])
        found = self._session.execute(select(table.c.id).where(*where).with_for_update()).first()
        if found is None:
            self._session.execute(insert(table), [values])
            return False
        self._session.execute(update(table).where(table.c.id == found.id).values(**values))
        return True

    def remove(self, scope: r.RuleScope, key: tuple[str, ...]) -> bool:
        table = t.table_of(t.ReplenishmentRuleRow)
        result = self._session.execute(
            delete(table).where(table.c.scope == scope.value, table.c.key == rule_key(key))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
