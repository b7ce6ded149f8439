"""Risk register files: ``risks: [{code: ..., title: ..., ...}]`` in YAML, line by line.

Every problem names the file, the line of the risk (or of the offending field), the
risk's code, the field and the reason; a file with any problem is refused as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml  # type: ignore[import-untyped]

from stockguard.domain import register as reg
from stockguard.services.register.fields import risk_from_fields


@dataclass(frozen=True, slots=True)
class _Item:
    """One entry of the ``risks`` list with the 1-based line of the entry and its keys."""

    fields: Any
    line: int
    key_lines: dict[str, int]


def parse_register(text: str, source: str) -> list[reg.Risk]:
    """The risks of a register file; raises ``RiskRejected`` naming every problem."""
    items = _items(text, source)
    problems: list[str] = []
    risks: list[reg.Risk] = []
    seen: dict[str, int] = {}
    for item in items:
        if not isinstance(item.fields, dict):
            problems.append(f"{source}, line {item.line}: a risk must be a mapping of fields")
            continue
        code = item.fields.get("code")
        label = f"{source}, line {item.line}" + (f", risk {code!r}" if code else "")
        if isinstance(code, str | int) and str(code) in seen:
            problems.append(f"{label}: code already used on line {seen[str(code)]}")
        elif isinstance(code, str | int):
            seen[str(code)] = item.line
        risk, found = risk_from_fields(item.fields)
        for problem in found:
            line = item.key_lines.get(problem.field or "", item.line)
            where = label.replace(f"line {item.line}", f"line {line}", 1)
            problems.append(reg.describe(problem, where))
        if risk is None:
            continue
        risks.append(risk)
    if problems:
        raise reg.RiskRejected(source, problems)
    return risks


def _items(text: str, source: str) -> list[_Item]:
    try:
        document = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        raise reg.RiskRejected(source, [f"{source}: not valid YAML: {error}"]) from None
    if not isinstance(document, dict) or not isinstance(document.get("risks"), list):
        reason = f"{source}: expected a top-level 'risks' list (see docs/risk-register.md)"
        raise reg.RiskRejected(source, [reason])
    extra = sorted(set(document) - {"risks"})
    if extra:
        reason = f"{source}: unknown top-level key(s) {', '.join(map(repr, extra))}"
        raise reg.RiskRejected(source, [reason])
    if not document["risks"]:
        raise reg.RiskRejected(source, [f"{source}: the 'risks' list is empty"])
    nodes = next(v for k, v in root.value if k.value == "risks").value
    return [
        _Item(fields, node.start_mark.line + 1, _key_lines(node))
        for fields, node in zip(document["risks"], nodes, strict=True)
    ]


def _key_lines(node: Any) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _value in node.value}
