"""Risks from raw fields (a YAML file, an API body, CLI options), with every problem named.

One coercion path serves creation, update (the stored risk's fields overlaid with the
changes) and import, so a risk is refused for the same reasons wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stockguard.domain import register as reg

REQUIRED = ("code", "title", "category", "likelihood", "impact", "owner_role")
OPTIONAL = ("scenario", "plans", "plan", "kpis", "status")
KNOWN = REQUIRED + OPTIONAL


def fields_of(risk: reg.Risk) -> dict[str, Any]:
    """The risk's settable fields as raw values (the inverse of ``risk_from_fields``)."""
    return {
        "code": risk.code,
        "title": risk.title,
        "category": risk.category.value,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "owner_role": risk.owner_role,
        "scenario": risk.scenario,
        "plans": risk.plans,
        "plan": risk.plan,
        "kpis": [{"name": k.name, "target": k.target} for k in risk.kpis],
        "status": risk.status.value,
    }


def risk_from_fields(
    raw: Mapping[str, Any], *, keep: reg.Risk | None = None
) -> tuple[reg.Risk | None, list[reg.RiskProblem]]:
    """The risk the fields describe and the problems found (risk None when any).

    ``keep`` carries what raw fields cannot set: the rehearsal date and run.
    """
    problems = [
        reg.RiskProblem(name, "unknown field; known: " + ", ".join(KNOWN))
        for name in raw
        if name not in KNOWN
    ]
    problems += [reg.RiskProblem(name, "is required") for name in REQUIRED if raw.get(name) is None]
    values: dict[str, Any] = {}
    for name, convert in CONVERTERS.items():
        if raw.get(name) is None:
            continue
        try:
            values[name] = convert(raw[name])
        except ValueError as error:
            problems.append(reg.RiskProblem(name, str(error)))
    if problems:
        return None, problems
    if keep is not None:
        values["last_rehearsed_on"] = keep.last_rehearsed_on
        values["last_run_id"] = keep.last_run_id
    risk = reg.Risk(**values)
    found = reg.problems_of(risk)
    return (None, found) if found else (risk, [])


def _text(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValueError(f"must be text, got {value!r}")
    return str(value).strip()


def _optional_text(value: Any) -> str | None:
    text = _text(value)
    return text or None


def _rating(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"must be a whole number from 1 to 5, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"must be a whole number from 1 to 5, got {value!r}") from None
    if number not in reg.SCALE:
        raise ValueError(f"must be a whole number from 1 to 5, got {value!r}")
    return number


def _category(value: Any) -> reg.RiskCategory:
    try:
        return reg.RiskCategory(str(value).strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in reg.RiskCategory)
        raise ValueError(f"{value!r} is not a category; use one of {known}") from None


def _status(value: Any) -> reg.RiskStatus:
    try:
        return reg.RiskStatus(str(value).strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in reg.RiskStatus)
        raise ValueError(f"{value!r} is not a status; use one of {known}") from None


def _kpis(value: Any) -> tuple[reg.Kpi, ...]:
    """``{fill_rate: 0.95, lost_revenue: 5000}`` or ``[{name: fill_rate, target: 0.95}]``."""
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(i, Mapping) for i in value):
        if any(set(i) != {"name", "target"} for i in value):
            raise ValueError("each KPI needs exactly a name and a target")
        pairs = [(i["name"], i["target"]) for i in value]
    else:
        raise ValueError("write KPIs as name: target pairs, e.g. {fill_rate: 0.95}")
    kpis = []
    for name, target in pairs:
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise ValueError(f"KPI {name!r} needs a numeric target, got {target!r}")
        kpis.append(reg.Kpi(_text(name), float(target)))
    return tuple(kpis)


CONVERTERS = {
    "code": _text,
    "title": _text,
    "category": _category,
    "likelihood": _rating,
    "impact": _rating,
    "owner_role": _text,
    "scenario": _optional_text,
    "plans": _optional_text,
    "plan": _optional_text,
    "kpis": _kpis,
    "status": _status,
}
