"""Masked contacts and codes for operator pages: enough to tell two people apart or to
read a code over the phone, not enough to write to them or to use the code.

- e-mail ``anne.martin@example.com`` -> ``a***@e***.com`` (first letter of the local
  part and of the domain, the top-level domain kept);
- phone ``+33612345678`` -> ``+33 *** ** 78`` (country prefix and last two digits);
- code ``K7QX2M9RTA`` -> ``******9RTA`` (last four characters).

Anything else (an erased placeholder, a customer id) is shown as it is: it names nobody.
"""

from __future__ import annotations

HIDDEN = "***"
ERASED_PREFIX = "erased:"


def mask_email(address: str) -> str:
    """``local@domain.tld`` -> ``l***@d***.tld``; the TLD stays so ``.fr``/``.com`` can
    still be told apart."""
    local, _, domain = address.partition("@")
    name, dot, tld = domain.rpartition(".")
    if not dot:
        name, tld = domain, ""
    head = local[:1] or "?"
    first = name[:1] or "?"
    return f"{head}{HIDDEN}@{first}{HIDDEN}{dot}{tld}"


def mask_phone(number: str) -> str:
    """E.164 ``+CCNNNNNNNN`` -> ``+CC *** ** NN`` (the first two digits after ``+`` stand
    for the country prefix even when it is one digit long)."""
    digits = number.lstrip("+")
    return f"+{digits[:2]} {HIDDEN} ** {digits[-2:]}"


def mask_contact(contact: str | None) -> str:
    """An e-mail or phone number masked; erased placeholders and None (``-``) as they are."""
    if not contact:
        return "\u2013"
    if contact.startswith(ERASED_PREFIX):
        return "erased"
    if "@" in contact:
        return mask_email(contact)
    if contact.startswith("+") and contact[1:].isdigit():
        return mask_phone(contact)
    return contact


def mask_code(code: str | None, visible: int = 4) -> str:
    """All but the last ``visible`` characters replaced by ``*`` (the length stays)."""
    if not code:
        return "\u2013"
    shown = code[-visible:] if visible > 0 else ""
    return "*" * (len(code) - len(shown)) + shown
