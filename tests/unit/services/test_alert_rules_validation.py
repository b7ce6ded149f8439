"""Alert rule files and options are refused with the file, rule, field and reason."""

from __future__ import annotations

import pytest

from stockguard.services.alerts.validation import AlertRulesRejected, parse_rules_text
from stockguard.services.outbox.model import Channel


def refusal(text: str, source: str = "rules.yaml") -> str:
    with pytest.raises(AlertRulesRejected) as refused:
        parse_rules_text(text, source)
    return str(refused.value)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "{name: a, events: [StockRaised], email: [a@b.fr]}",
            "field events: unknown event type 'StockRaised'; use StockoutRiskRaised",
        ),
        (
            "{name: a, email: [ops.example.com]}",
            "field email: 'ops.example.com' is not an e-mail address",
        ),
        ("{name: a, email: []}", "field email: give at least one e-mail address"),
        (
            "{name: a, webhook: 'ftp://hooks.example.com'}",
            "field webhook: 'ftp://hooks.example.com' is not an http(s) URL",
        ),
        (
            "{name: a, webhook: 'https://x.fr', throttle_hours: -2}",
            "field throttle_hours: -2 hours must be between 0 and 744",
        ),
        (
            "{name: a, webhook: 'https://x.fr', abc_classes: [A, E]}",
            "field abc_classes: unknown ABC class 'E'; use A, B or C",
        ),
        (
            "{name: a, webhook: 'https://x.fr', digest: weekly}",
            "field digest: Input should be 'daily'",
        ),
        (
            "{name: a, webhook: 'https://x.fr', digest_hour: 24}",
            "field digest_hour: 24 is not an hour of the day (0-23)",
        ),
        (
            "{name: a, webhook: 'https://x.fr', email: [a@b.fr]}",
            "give either email (a list of addresses) or webhook (a URL)",
        ),
        ("{name: a}", "give either email (a list of addresses) or webhook (a URL)"),
        (
            "{name: a, webhook: 'https://x.fr', colour: red}",
            "field colour: unknown field; known: name, events",
        ),
        ("{webhook: 'https://x.fr'}", "rules.yaml, rule 2, field name: Field required"),
    ],
)  # fmt: skip
def test_each_bad_field_is_named_with_its_reason(rule: str, expected: str) -> None:
    text = f"rules:\n  - {{name: ok, email: [ops@shop.example]}}\n  - {rule}\n"
    message = refusal(text)
    assert expected in message
    assert "rules.yaml, rule 2" in message
    assert message.splitlines()[0].endswith("nothing was written.")


def test_every_problem_of_a_file_is_listed_and_duplicate_names_are_refused() -> None:
    message = refusal(
        "rules:\n"
        "  - {name: ops, email: [bad]}\n"
        "  - {name: ops, webhook: 'https://x.fr'}\n"
        "  - {name: other, webhook: 'https://x.fr', events: [Nope]}\n"
    )
    assert "(and 1 more problem(s))" in message
    assert "  - rules.yaml, rule 1 'ops', field email: 'bad' is not an e-mail address" in message
    assert "  - rules.yaml, rule 3 'other', field events: unknown event type 'Nope'" in message


def test_a_second_rule_with_a_name_already_used_is_refused() -> None:
    message = refusal(
        "rules:\n  - {name: ops, email: [a@b.fr]}\n  - {name: ops, email: [c@d.fr]}\n"
    )
    assert "rules.yaml, rule 2 'ops', field name: the name is already used by rule 1" in message


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ("rules: [", "rules.yaml", "rules.yaml: not valid YAML"),
        ("[[rules]\nname = 1", "rules.toml", "rules.toml: not valid TOML"),
        ("- name: a", "rules.yaml", "expected a top-level 'rules' list"),
        ("rules: []\nextra: 1", "rules.yaml", "unknown top-level key(s) 'extra'"),
    ],
)
def test_a_file_that_is_not_a_rules_document_is_refused(
    text: str, source: str, expected: str
) -> None:
    assert expected in refusal(text, source)


def test_a_toml_file_gives_rules_with_defaults() -> None:
    [rule] = parse_rules_text(
        '[[rules]]\nname = "slack"\nwebhook = "https://hooks.example.com/T1"\n'
        'abc_classes = ["a"]\nthrottle_hours = 0.5\n',
        "alerts.toml",
    )
    assert rule.channel is Channel.WEBHOOK
    assert rule.targets == ("https://hooks.example.com/T1",)
    assert rule.abc_classes == ("A",)
    assert rule.throttle_seconds == 1800
    assert rule.event_types == ()
    assert (rule.digest, rule.digest_hour) == (None, 8)
