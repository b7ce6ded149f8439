"""Masked contacts and codes on operator pages: enough to tell people apart, not to write
to them or use the code."""

from __future__ import annotations

from stockguard.services.consent.masking import mask_code, mask_contact, mask_email, mask_phone


def test_an_address_keeps_its_first_letters_and_top_level_domain() -> None:
    assert mask_contact("anne.martin@example.com") == "a***@e***.com"
    assert mask_email("x@localhost") == "x***@l***"


def test_a_phone_keeps_its_country_prefix_and_last_two_digits() -> None:
    assert mask_contact("+33612345678") == mask_phone("+33612345678") == "+33 *** ** 78"


def test_erased_placeholders_and_customer_ids_are_shown_as_they_are() -> None:
    assert mask_contact("erased:0a1b2c3d") == "erased"
    assert mask_contact("C-1042") == "C-1042"
    assert mask_contact(None) == "\u2013"


def test_a_code_shows_its_last_four_characters_only() -> None:
    assert mask_code("K7QX2M9RTA") == "******9RTA"
    assert mask_code("ABC") == "ABC"
    assert mask_code(None) == "\u2013"
