"""Demo customers: names, e-mails, locales (fr, en), consents and buying habits."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt

from stockguard.domain import parties
from stockguard.services.demo import vocabulary as v

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
FRENCH_SHARE = 0.72
PHONE_SHARE = 0.4
EMAIL_CONSENT_SHARE = 0.55
SMS_CONSENT_SHARE = 0.35  # of those with a phone


@dataclass(frozen=True, slots=True)
class Customers:
    """Customer records and, per customer (shape (n_customer,)), the warehouse that
    serves them (index into ``vocabulary.WAREHOUSES``) and a relative order frequency."""

    records: tuple[parties.Customer, ...]
    home_location: IntArray
    frequency: FloatArray


def build_customers(
    rng: np.random.Generator, *, count: int, first_day: date, today: date
) -> Customers:
    """``count`` customers; a few loyal ones order often (lognormal frequency)."""
    shares = np.array([w.demand_share for w in v.WAREHOUSES])
    home = rng.choice(len(shares), size=count, p=shares / shares.sum()).astype(np.int64)
    frequency = rng.lognormal(0.0, 1.0, size=count)
    french = rng.random(count) < FRENCH_SHARE
    phone = rng.random(count) < PHONE_SHARE
    email_consent = rng.random(count) < EMAIL_CONSENT_SHARE
    sms_consent = phone & (rng.random(count) < SMS_CONSENT_SHARE)
    span = max((today - first_day).days, 1)
    consent_day = rng.integers(0, span, size=count)
    consent_second = rng.integers(0, 86_400, size=count)
    first_index = rng.integers(0, 20, size=count)
    last_index = rng.integers(0, 26, size=count)
    extra = rng.integers(0, 10_000, size=count)
    origin = datetime.combine(first_day, time(0), tzinfo=UTC)
    records = []
    for i in range(count):
        consent_at = origin + timedelta(days=int(consent_day[i]), seconds=int(consent_second[i]))
        records.append(
            _customer(
                i,
                fr=bool(french[i]),
                names=(int(first_index[i]), int(last_index[i])),
                extra=int(extra[i]),
                phone=bool(phone[i]),
                email_consent_at=consent_at if email_consent[i] else None,
                sms_consent_at=consent_at if sms_consent[i] else None,
            )
        )
    return Customers(tuple(records), home, frequency)


def _customer(
    index: int,
    *,
    fr: bool,
    names: tuple[int, int],
    extra: int,
    phone: bool,
    email_consent_at: datetime | None,
    sms_consent_at: datetime | None,
) -> parties.Customer:
    first = (v.FIRST_NAMES_FR if fr else v.FIRST_NAMES_EN)[names[0]]
    last = (v.LAST_NAMES_FR if fr else v.LAST_NAMES_EN)[names[1]]
    domain = v.EMAIL_DOMAINS[extra % len(v.EMAIL_DOMAINS)]
    email = f"{_ascii(first)}.{_ascii(last)}{extra % 1000}@{domain}"
    if fr:
        number = f"+33 6 39 98 {extra // 100 % 100:02d} {extra % 100:02d}"  # fiction range
        country = "FR"
    else:
        number = f"+44 7700 900{extra % 1000:03d}"  # Ofcom drama range
        country = v.EN_COUNTRIES[extra % len(v.EN_COUNTRIES)]
    return parties.Customer(
        external_id=f"CUS-{100_001 + index}",
        email=email,
        phone=number if phone else None,
        name=f"{first} {last}",
        locale="fr" if fr else "en",
        country=country,
        email_consent_at=email_consent_at,
        sms_consent_at=sms_consent_at,
    )


def _ascii(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())
