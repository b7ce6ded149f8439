"""The supplier risk formula's settings: weights, unknown defaults and mapping tables.

Defaults are below; a TOML file overrides any of them (docs/suppliers.md shows one)::

    capacity_knee = 0.7
    [weights]          # relative, >= 0; normalised to sum to 1
    financial = 0.25
    [unknown]          # risk used when a component is unknown, in [0, 1]
    financial = 0.5
    [financial_scale]  # buyer's rating letter -> risk in [0, 1]
    A = 0.0
    [hazard_zones]     # natural-hazard zone -> risk in [0, 1]
    flood = 1.0
    [countries]        # country -> risk in [0, 1], over the OECD-based defaults
    IN = 0.4
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stockguard.domain import errors
from stockguard.services.suppliers import country_risk

COMPONENTS = ("financial", "capacity", "country", "hazard", "single_source", "spend_share")


@dataclass(frozen=True, slots=True)
class RiskSettings:
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "financial": 0.25, "capacity": 0.15, "country": 0.15, "hazard": 0.10,
            "single_source": 0.20, "spend_share": 0.15,
        }
    )  # fmt: skip
    unknown: dict[str, float] = field(
        default_factory=lambda: {
            "financial": 0.5, "capacity": 0.5, "country": 0.5, "hazard": 0.0,
            "single_source": 0.0, "spend_share": 0.0,
        }
    )  # fmt: skip
    financial_scale: dict[str, float] = field(
        default_factory=lambda: {"A": 0.0, "B": 0.25, "C": 0.5, "D": 0.75, "E": 1.0}
    )
    hazard_zones: dict[str, float] = field(
        default_factory=lambda: {
            "none": 0.0, "flood": 1.0, "earthquake": 1.0, "cyclone": 1.0, "tsunami": 1.0,
            "volcano": 1.0, "wildfire": 0.8, "landslide": 0.8, "drought": 0.5,
            "heatwave": 0.4,
        }
    )  # fmt: skip
    countries: dict[str, float] = field(default_factory=country_risk.default_scores)
    capacity_knee: float = 0.7


def load_risk_settings(path: Path) -> RiskSettings:
    """Defaults overridden by the TOML file at ``path``.

    Raises:
        errors.InvalidParameter: naming the file, the key and what is wrong.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise errors.InvalidParameter(str(path), "", f"cannot be read as TOML ({error})") from error
    return settings_from(data, source=path.name)


def settings_from(data: Mapping[str, Any], *, source: str = "settings") -> RiskSettings:
    base = RiskSettings()
    unknown_keys = set(data) - {*_TABLES, "capacity_knee"}
    if unknown_keys:
        key = sorted(unknown_keys)[0]
        raise errors.InvalidParameter(f"{source}: {key}", data[key], _ALLOWED_KEYS)
    changes: dict[str, Any] = {}
    for name, allowed in _TABLES.items():
        if name in data:
            changes[name] = {**getattr(base, name), **_table(data[name], name, allowed, source)}
    if "capacity_knee" in data:
        knee = data["capacity_knee"]
        if not isinstance(knee, int | float) or not 0 <= knee < 1:
            raise errors.InvalidParameter(f"{source}: capacity_knee", knee, "must be in [0, 1)")
        changes["capacity_knee"] = float(knee)
    settings = replace(base, **changes)
    if not any(w > 0 for w in settings.weights.values()):
        raise errors.InvalidParameter(f"{source}: weights", settings.weights, "are all 0")
    return settings


_TABLES: dict[str, tuple[str, ...] | None] = {
    "weights": COMPONENTS,
    "unknown": COMPONENTS,
    "financial_scale": None,
    "hazard_zones": None,
    "countries": None,
}
_ALLOWED_KEYS = "is not a setting; use capacity_knee or one of the tables " + ", ".join(
    f"[{name}]" for name in _TABLES
)


def _table(value: Any, name: str, allowed: tuple[str, ...] | None, source: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise errors.InvalidParameter(f"{source}: {name}", value, "must be a table")
    out: dict[str, float] = {}
    for key, number in value.items():
        where = f"{source}: {name}.{key}"
        if allowed is not None and key not in allowed:
            raise errors.InvalidParameter(where, number, f"is not one of {', '.join(allowed)}")
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise errors.InvalidParameter(where, number, "must be a number")
        high = None if name == "weights" else 1.0
        if number < 0 or (high is not None and number > high):
            raise errors.InvalidParameter(
                where, number, "must be in [0, 1]" if high else "must be >= 0"
            )
        out[key if name != "financial_scale" else key.upper()] = float(number)
    return out
