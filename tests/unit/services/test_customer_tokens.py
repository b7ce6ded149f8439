"""Customer tokens: any customer id the shop uses comes back as signed, and only then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.services.consent import customer_tokens as ct

SECRET = b"the-shop-and-stockguard-share-it"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
IDS = st.text(min_size=1, max_size=ct.MAX_CUSTOMER_ID_LENGTH).filter(
    lambda s: len(s.encode("utf-8", "surrogatepass")) > 0 and s.isprintable()
)


@given(IDS)
def test_any_customer_id_comes_back_from_its_token(customer: str) -> None:
    token = ct.sign(SECRET, customer, NOW + timedelta(minutes=5))
    assert ct.verify(SECRET, token, NOW) == customer


@given(IDS, st.integers(min_value=0, max_value=200))
def test_changing_any_character_is_refused(customer: str, position: int) -> None:
    token = ct.sign(SECRET, customer, NOW + timedelta(minutes=5))
    index = position % len(token)
    changed = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]
    with pytest.raises(ct.ForgedCustomerToken):
        ct.verify(SECRET, changed, NOW)


def test_a_token_expires_and_another_secret_does_not_verify() -> None:
    token = ct.sign(SECRET, "C-1042", NOW + timedelta(hours=1))
    with pytest.raises(ct.ExpiredCustomerToken, match="reloaded"):
        ct.verify(SECRET, token, NOW + timedelta(hours=1))
    with pytest.raises(ct.ForgedCustomerToken):
        ct.verify(b"another-secret-altogether", token, NOW)
    with pytest.raises(ct.CustomerTokensOff):
        ct.identify(None, token, NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        ct.sign(SECRET, "C-1042", datetime(2026, 11, 25, 10, 0))  # noqa: DTZ001 - on purpose


def test_a_second_spelling_of_the_customer_part_is_refused() -> None:
    token = ct.sign(SECRET, "0", NOW + timedelta(minutes=5))
    encoded, rest = token.split(".", 1)
    assert encoded == "MA"  # "0" is 6 bits + 2 bits; the last 4 bits of "A" are padding
    with pytest.raises(ct.ForgedCustomerToken):
        ct.verify(SECRET, f"MB.{rest}", NOW)
