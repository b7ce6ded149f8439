"""Risk thresholds from the settings (``STOCKGUARD_RISK__AT_RISK``, ``..._WATCH``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stockguard.bootstrap import risk_thresholds
from stockguard.config import Settings
from stockguard.planning.risk.figures import DEFAULT_THRESHOLDS


def test_defaults_are_half_and_a_fifth() -> None:
    assert risk_thresholds(Settings()) == DEFAULT_THRESHOLDS


def test_environment_variables_set_the_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOCKGUARD_RISK__AT_RISK", "0.6")
    monkeypatch.setenv("STOCKGUARD_RISK__WATCH", "0.3")

    found = risk_thresholds(Settings())

    assert (found.at_risk_probability, found.watch_probability) == (0.6, 0.3)


def test_a_watch_above_at_risk_is_refused_with_both_values() -> None:
    with pytest.raises(ValidationError, match=r"watch \(0.7\) must not exceed at_risk \(0.5\)"):
        Settings(risk={"at_risk": 0.5, "watch": 0.7})
