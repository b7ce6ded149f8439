"""Validating alert rules from a YAML/TOML file, the CLI or the API, with clear errors.

Every problem names the source (file or "request"), the rule (1-based index and name),
the field and the reason; a source with any problem is rejected as a whole.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from stockguard.domain import errors
from stockguard.services.alerts.rules import ABC_CLASSES, ALERT_EVENTS, AlertRule
from stockguard.services.outbox.model import Channel

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
MAX_PROBLEMS_SHOWN = 30


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """One reason a rule was refused; ``index`` is 1-based, None for the whole source."""

    index: int | None
    name: str | None
    field: str | None
    reason: str

    def describe(self, source: str) -> str:
        where = source
        if self.index is not None:
            where += f", rule {self.index}" + (f" {self.name!r}" if self.name else "")
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.reason}"


class AlertRulesRejected(errors.InvalidRule):
    """The rules were refused as a whole; nothing was written."""

    code = "invalid_alert_rules"

    def __init__(self, source: str, problems: list[RuleProblem]) -> None:
        self.source = source
        self.problems = problems
        self.field = (problems[0].field or "") if problems else ""
        self.value = None
        self.reason = problems[0].reason if problems else ""
        self.all_problems = "; ".join(p.describe(source) for p in problems[:MAX_PROBLEMS_SHOWN])
        """Every problem on one line (the API's problem document carries it)."""
        first = problems[0].describe(source) if problems else f"{source}: no rules"
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        lines = [f"{first}{more}; nothing was written."]
        if len(problems) > 1:
            lines += [f"  - {p.describe(source)}" for p in problems[:MAX_PROBLEMS_SHOWN]]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
        errors.DomainError.__init__(self, "\n".join(lines))


class RuleSpec(BaseModel):
    """One rule as written by an operator (file, CLI options or API body)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120)
    events: list[str] = Field(default_factory=list, description="Event types; empty = all.")
    categories: list[str] = Field(default_factory=list)
    abc_classes: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    skus: list[str] = Field(default_factory=list)
    email: list[str] | None = Field(default=None, description="Recipients (channel email).")
    webhook: str | None = Field(default=None, description="http(s) URL (channel webhook).")
    throttle_hours: float = Field(default=6.0, description="Quiet time per SKU x location.")
    digest: Literal["daily"] | None = None
    digest_hour: int = Field(default=8, description="UTC hour of the daily digest, 0-23.")

    @field_validator("events")
    @classmethod
    def _known_events(cls, values: list[str]) -> list[str]:
        for value in values:
            if value not in ALERT_EVENTS:
                raise _invalid(f"unknown event type {value!r}; use {', '.join(ALERT_EVENTS)}")
        return values

    @field_validator("abc_classes")
    @classmethod
    def _known_classes(cls, values: list[str]) -> list[str]:
        upper = [value.upper() for value in values]
        for value in upper:
            if value not in ABC_CLASSES:
                raise _invalid(f"unknown ABC class {value!r}; use A, B or C")
        return upper

    @field_validator("email")
    @classmethod
    def _addresses(cls, values: list[str] | None) -> list[str] | None:
        if values is not None:
            if not values:
                raise _invalid("give at least one e-mail address")
            for value in values:
                if not EMAIL.match(value):
                    raise _invalid(f"{value!r} is not an e-mail address")
        return values

    @field_validator("webhook")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise _invalid(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("throttle_hours")
    @classmethod
    def _throttle(cls, value: float) -> float:
        if not 0 <= value <= 24 * 31:
            raise _invalid(f"{value:g} hours must be between 0 and 744 (31 days)")
        return value

    @field_validator("digest_hour")
    @classmethod
    def _hour(cls, value: int) -> int:
        if not 0 <= value <= 23:
            raise _invalid(f"{value} is not an hour of the day (0-23)")
        return value

    @model_validator(mode="after")
    def _one_channel(self) -> RuleSpec:
        if (self.email is None) == (self.webhook is None):
            raise _invalid("give either email (a list of addresses) or webhook (a URL)")
        return self

    def to_rule(self) -> AlertRule:
        channel = Channel.EMAIL if self.email is not None else Channel.WEBHOOK
        targets = tuple(self.email) if self.email is not None else (str(self.webhook),)
        return AlertRule(
            name=self.name,
            channel=channel,
            targets=targets,
            event_types=tuple(self.events),
            categories=tuple(self.categories),
            abc_classes=tuple(self.abc_classes),
            locations=tuple(self.locations),
            skus=tuple(self.skus),
            throttle_seconds=round(self.throttle_hours * 3600),
            digest=self.digest,
            digest_hour=self.digest_hour,
        )


def _invalid(reason: str) -> PydanticCustomError:
    """A validation error whose message is ``reason`` as written (no "Value error," prefix)."""
    return PydanticCustomError("invalid_alert_rule", reason)


def parse_rules_text(text: str, source: str) -> list[AlertRule]:
    """Rules from a YAML (``.yaml``/``.yml``) or TOML (``.toml``) document of the form
    ``rules: [{name: ..., events: [...], email: [...] | webhook: ..., ...}]``."""
    try:
        document: Any = (
            tomllib.loads(text) if source.lower().endswith(".toml") else yaml.safe_load(text)
        )
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        reason = f"not valid {'TOML' if source.lower().endswith('.toml') else 'YAML'}: {error}"
        raise AlertRulesRejected(source, [RuleProblem(None, None, None, reason)]) from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        reason = "expected a top-level 'rules' list (see docs/alerts.md)"
        raise AlertRulesRejected(source, [RuleProblem(None, None, None, reason)])
    extra = sorted(set(document) - {"rules"})
    if extra:
        reason = f"unknown top-level key(s) {', '.join(map(repr, extra))}; only 'rules' is read"
        raise AlertRulesRejected(source, [RuleProblem(None, None, None, reason)])
    return validate_rules(document["rules"], source)


def validate_rules(items: list[Any], source: str) -> list[AlertRule]:
    """Validate raw rule mappings; raises ``AlertRulesRejected`` listing every problem."""
    problems: list[RuleProblem] = []
    rules: list[AlertRule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items, start=1):
        name = item.get("name") if isinstance(item, dict) else None
        label = name if isinstance(name, str) else None
        if not isinstance(item, dict):
            problems.append(RuleProblem(index, None, None, "a rule must be a mapping of fields"))
            continue
        try:
            rule = RuleSpec.model_validate(item).to_rule()
        except ValidationError as error:
            problems.extend(_problems(error, index, label))
            continue
        if rule.name in seen:
            reason = f"the name is already used by rule {seen[rule.name]}"
            problems.append(RuleProblem(index, label, "name", reason))
        seen[rule.name] = index
        rules.append(rule)
    if problems:
        raise AlertRulesRejected(source, problems)
    return rules


def _problems(error: ValidationError, index: int, name: str | None) -> list[RuleProblem]:
    found = []
    for detail in error.errors():
        location = [str(part) for part in detail["loc"]]
        field = location[0] if location else None
        if len(location) > 1:
            field = f"{location[0]}[{location[1]}]"
        reason = str(detail["msg"]).removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            reason = "unknown field; known: " + ", ".join(RuleSpec.model_fields)
        found.append(RuleProblem(index, name, field, reason))
    return found


class UnknownAlertRule(errors.UnknownRule):
    code = "unknown_alert_rule"

    def __init__(self, name: str) -> None:
        self.label = name
        errors.DomainError.__init__(self, f"There is no alert rule named {name!r}.")
