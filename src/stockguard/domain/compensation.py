"""Compensation for late orders: value tiers, rules, the monthly budget and codes.

A policy holds the 12-month-spend thresholds of the customer value tiers, an ordered list
of rules and a monthly budget cap. The first rule whose conditions all hold gives the
offer (a percentage or a fixed amount off, or free shipping). Each offer has a face value
in the shop's currency, counted against the month's budget:

- percent: ``face = order_value * percent / 100``
- amount: ``face = amount``
- free shipping: ``face = policy.shipping_value``

An offer is issued only when ``issued_this_month + face <= monthly_budget``.
Codes are 10 base32 characters from ``secrets`` (50 bits): unguessable, and unique by a
database constraint.
"""

from __future__ import annotations

import base64
import enum
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeVar

from stockguard.domain import errors

CODE_LENGTH = 10
E = TypeVar("E", bound=enum.StrEnum)
CENT = Decimal("0.01")


class Tier(enum.StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"

    @property
    def rank(self) -> int:
        return list(Tier).index(self)


class OfferKind(enum.StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"
    FREE_SHIPPING = "free_shipping"


@dataclass(frozen=True, slots=True)
class Rule:
    """Conditions (all must hold) and the offer they give.

    ``min_tier``: the customer's tier is at least this one; ``min_days_late``: days (the
    new date minus the previous promise) at least this; ``min_order_value``: order value
    (shop currency) at least this. ``value`` is a percentage (0-100] for ``percent``, an
    amount for ``amount`` and unused (0) for ``free_shipping``.
    """

    name: str
    kind: OfferKind
    value: Decimal = Decimal(0)
    min_tier: Tier = Tier.BRONZE
    min_days_late: int = 0
    min_order_value: Decimal = Decimal(0)

    def matches(self, case: Case) -> bool:
        return (
            case.tier.rank >= self.min_tier.rank
            and case.days_late is not None
            and case.days_late >= self.min_days_late
            and case.order_value >= self.min_order_value
        )


@dataclass(frozen=True, slots=True)
class Policy:
    """Tier thresholds on 12-month spend (``silver <= gold``), ordered rules, the monthly
    cap on issued face value, and the face value of free shipping; money in ``currency``."""

    silver_spend: Decimal
    gold_spend: Decimal
    monthly_budget: Decimal
    shipping_value: Decimal
    currency: str
    rules: tuple[Rule, ...]

    def tier_of(self, spend_12_months: Decimal) -> Tier:
        """``gold`` if spend >= gold_spend, else ``silver`` if spend >= silver_spend, else
        ``bronze``."""
        if spend_12_months >= self.gold_spend:
            return Tier.GOLD
        if spend_12_months >= self.silver_spend:
            return Tier.SILVER
        return Tier.BRONZE


@dataclass(frozen=True, slots=True)
class Case:
    """A late order as the rules see it: tier, days late (None when no new date is
    known) and order value."""

    tier: Tier
    days_late: int | None
    order_value: Decimal


@dataclass(frozen=True, slots=True)
class Offer:
    rule: str
    kind: OfferKind
    value: Decimal
    face_value: Decimal
    currency: str

    def describe(self) -> str:
        if self.kind is OfferKind.PERCENT:
            return f"{self.value.normalize():f}% off your next order"
        if self.kind is OfferKind.AMOUNT:
            return f"{self.value.quantize(CENT)} {self.currency} off your next order"
        return "free shipping on your next order"


def choose(policy: Policy, case: Case) -> Offer | None:
    """The offer of the first rule matching ``case``, or None."""
    for rule in policy.rules:
        if rule.matches(case):
            return Offer(rule.name, rule.kind, rule.value, face_value(policy, rule, case),
                         policy.currency)  # fmt: skip
    return None


def face_value(policy: Policy, rule: Rule, case: Case) -> Decimal:
    """Money the offer is worth (see the module doc), rounded to the cent."""
    if rule.kind is OfferKind.PERCENT:
        return (case.order_value * rule.value / 100).quantize(CENT)
    if rule.kind is OfferKind.AMOUNT:
        return rule.value.quantize(CENT)
    return policy.shipping_value.quantize(CENT)


def within_budget(policy: Policy, issued_this_month: Decimal, offer: Offer) -> bool:
    """``issued_this_month + offer.face_value <= monthly_budget``."""
    return issued_this_month + offer.face_value <= policy.monthly_budget


def days_late(new: date | None, previous: date | None, today: date) -> int | None:
    """Days the customer now waits longer: ``new - previous`` (``new - today`` when there
    was no previous promise); None when no new date is known."""
    if new is None:
        return None
    return max(0, (new - (previous or today)).days)


def new_code() -> str:
    """10 random base32 characters (A-Z, 2-7), 50 bits of entropy."""
    return base64.b32encode(secrets.token_bytes(7)).decode()[:CODE_LENGTH]


def month_of(at: datetime) -> str:
    """``YYYY-MM`` of ``at`` (UTC), the budget period."""
    return f"{at.year:04d}-{at.month:02d}"


# -- errors -----------------------------------------------------------------------------


class PolicyRejected(errors.DomainError):
    """A compensation policy with problems; nothing was saved."""

    code: ClassVar[str] = "compensation_policy_rejected"

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  {source}: {p}" for p in problems)
        super().__init__(
            f"The compensation rules in {source} were refused ({len(problems)} problem(s)); "
            f"nothing was saved.\n{lines}"
        )


class UnknownCode(errors.DomainError):
    code: ClassVar[str] = "unknown_compensation_code"

    def __init__(self, code: str) -> None:
        self.compensation_code = code
        super().__init__(f"There is no compensation code {code!r}; check it was typed exactly.")


class CodeAlreadyRedeemed(errors.DomainError):
    code: ClassVar[str] = "compensation_code_redeemed"

    def __init__(self, code: str, redeemed_at: datetime | None) -> None:
        self.compensation_code = code
        self.redeemed_at = redeemed_at.isoformat() if redeemed_at else None
        when = f" on {redeemed_at:%Y-%m-%d %H:%M} UTC" if redeemed_at else ""
        super().__init__(
            f"The compensation code {code!r} was already redeemed{when}; "
            "a code can be used only once."
        )


# -- parsing ----------------------------------------------------------------------------


def parse_policy(data: object, source: str = "rules") -> Policy:
    """A ``Policy`` from a mapping (YAML/JSON document); every problem is reported at once
    (``field: reason``) in ``PolicyRejected``."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise PolicyRejected(source, ["the document must be a mapping with tiers, rules..."])
    allowed = {"currency", "tiers", "monthly_budget", "shipping_value", "rules"}
    problems += [f"{k}: unknown field (allowed: {', '.join(sorted(allowed))})"
                 for k in data if k not in allowed]  # fmt: skip
    currency = data.get("currency", "EUR")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        problems.append(f"currency: {currency!r} is not a 3-letter ISO code")
        currency = "EUR"
    tiers = data.get("tiers", {})
    if not isinstance(tiers, Mapping):
        problems.append("tiers: must be a mapping with silver and gold 12-month spend")
        tiers = {}
    silver = _money(tiers.get("silver", 0), "tiers.silver", problems)
    gold = _money(tiers.get("gold", 0), "tiers.gold", problems)
    if silver > gold:
        problems.append(f"tiers: silver ({silver}) must not exceed gold ({gold})")
    budget = _money(data.get("monthly_budget"), "monthly_budget", problems)
    shipping = _money(data.get("shipping_value", 0), "shipping_value", problems)
    raw_rules = data.get("rules", [])
    rules: list[Rule] = []
    if not isinstance(raw_rules, list):
        problems.append("rules: must be a list")
        raw_rules = []
    names: set[str] = set()
    for index, raw in enumerate(raw_rules, start=1):
        rule = _rule(raw, f"rules[{index}]", problems)
        if rule is not None:
            if rule.name in names:
                problems.append(f"rules[{index}].name: {rule.name!r} is used twice")
            names.add(rule.name)
            rules.append(rule)
    if problems:
        raise PolicyRejected(source, problems)
    return Policy(silver, gold, budget, shipping, currency.upper(), tuple(rules))


def _rule(raw: object, where: str, problems: list[str]) -> Rule | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: must be a mapping")
        return None
    before = len(problems)
    allowed = {"name", "kind", "value", "min_tier", "min_days_late", "min_order_value"}
    problems += [f"{where}.{k}: unknown field" for k in raw if k not in allowed]
    name = raw.get("name")
    if not (isinstance(name, str) and 0 < len(name.strip()) <= 80):
        problems.append(f"{where}.name: required, 1 to 80 characters")
        name = "?"
    kind = _enum(OfferKind, raw.get("kind"), f"{where}.kind", problems)
    value = _money(raw.get("value", 0), f"{where}.value", problems)
    if kind is OfferKind.PERCENT and not Decimal(0) < value <= 100:
        problems.append(f"{where}.value: a percentage must be > 0 and <= 100, got {value}")
    if kind is OfferKind.AMOUNT and value <= 0:
        problems.append(f"{where}.value: an amount must be > 0, got {value}")
    tier = _enum(Tier, raw.get("min_tier", "bronze"), f"{where}.min_tier", problems)
    late = raw.get("min_days_late", 0)
    if isinstance(late, bool) or not isinstance(late, int) or late < 0:
        problems.append(f"{where}.min_days_late: must be a whole number of days >= 0")
        late = 0
    order_value = _money(raw.get("min_order_value", 0), f"{where}.min_order_value", problems)
    if len(problems) > before or kind is None or tier is None:
        return None
    return Rule(name.strip(), kind, value, tier, late, order_value)


def _enum(cls: type[E], raw: object, where: str, problems: list[str]) -> E | None:
    try:
        return cls(str(raw))
    except ValueError:
        choices = ", ".join(m.value for m in cls)
        problems.append(f"{where}: {raw!r} is not one of {choices}")
        return None


def _money(raw: object, where: str, problems: list[str]) -> Decimal:
    """A non-negative amount; ``raw`` may be an int, a float or a numeric string."""
    if raw is None or isinstance(raw, bool):
        problems.append(f"{where}: required, a number >= 0")
        return Decimal(0)
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        problems.append(f"{where}: {raw!r} is not a number")
        return Decimal(0)
    if not value.is_finite() or value < 0:
        problems.append(f"{where}: must be a number >= 0, got {raw!r}")
        return Decimal(0)
    return value


def policy_document(policy: Policy) -> dict[str, Any]:
    """The JSON form of ``policy`` (what ``parse_policy`` reads back)."""
    return {
        "currency": policy.currency,
        "tiers": {"silver": str(policy.silver_spend), "gold": str(policy.gold_spend)},
        "monthly_budget": str(policy.monthly_budget),
        "shipping_value": str(policy.shipping_value),
        "rules": [
            {
                "name": r.name,
                "kind": r.kind.value,
                "value": str(r.value),
                "min_tier": r.min_tier.value,
                "min_days_late": r.min_days_late,
                "min_order_value": str(r.min_order_value),
            }
            for r in policy.rules
        ],
    }
