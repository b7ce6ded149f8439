"""Default country risk scores (0 = lowest .. 1 = highest) and country name matching.

Source of the defaults: the OECD Country Risk Classification of the Participants to the
Arrangement on Officially Supported Export Credits (https://www.oecd.org/en/topics/
sub-issues/export-credits/country-risk-classification.html), which places countries in
categories 0 (lowest risk) to 7 (highest); high-income OECD and euro-area countries are
not classified and are read here as category 0. The score is ``category / 7``. The
categories below are the author's reading of the lists published in 2024-2025, **not
checked against the current publication**: the buyer should check them and override any
with ``stockguard suppliers country-risk`` or the ``[countries]`` table of the risk file.
Countries missing from the table get the configured "unknown" value.
"""

from __future__ import annotations

from collections.abc import Mapping

SOURCE = "OECD Country Risk Classification (category / 7), author's reading 2024-2025"

OECD_CATEGORY: dict[str, int] = {
    # High-income OECD / euro area (not classified: category 0)
    "US": 0, "CA": 0, "GB": 0, "IE": 0, "FR": 0, "DE": 0, "NL": 0, "BE": 0, "LU": 0,
    "AT": 0, "CH": 0, "IT": 0, "ES": 0, "PT": 0, "DK": 0, "SE": 0, "NO": 0, "FI": 0,
    "JP": 0, "KR": 0, "AU": 0, "NZ": 0, "SG": 0,
    # Classified countries
    "CN": 2, "MY": 2, "IN": 3, "ID": 3, "TH": 3, "PH": 3, "VN": 4, "MX": 4,
    "BR": 5, "BD": 5, "ZA": 5, "TR": 6, "EG": 6, "NG": 6, "KE": 6, "PK": 7, "ET": 7,
    "UA": 7, "AR": 7,
}  # fmt: skip

NAMES: dict[str, str] = {
    "united states": "US", "usa": "US", "canada": "CA", "united kingdom": "GB",
    "uk": "GB", "ireland": "IE", "france": "FR", "germany": "DE", "netherlands": "NL",
    "belgium": "BE", "luxembourg": "LU", "austria": "AT", "switzerland": "CH",
    "italy": "IT", "spain": "ES", "portugal": "PT", "denmark": "DK", "sweden": "SE",
    "norway": "NO", "finland": "FI", "japan": "JP", "south korea": "KR", "korea": "KR",
    "australia": "AU", "new zealand": "NZ", "singapore": "SG", "china": "CN",
    "malaysia": "MY", "india": "IN", "indonesia": "ID", "thailand": "TH",
    "philippines": "PH", "vietnam": "VN", "viet nam": "VN", "mexico": "MX",
    "brazil": "BR", "bangladesh": "BD", "south africa": "ZA", "turkey": "TR",
    "turkiye": "TR", "egypt": "EG", "nigeria": "NG", "kenya": "KE", "pakistan": "PK",
    "ethiopia": "ET", "ukraine": "UA", "argentina": "AR",
}  # fmt: skip


def country_key(country: str) -> str:
    """ISO code for a known name, else the text in capitals (``"India"`` -> ``"IN"``)."""
    text = country.strip()
    return NAMES.get(text.lower(), text.upper())


def default_scores() -> dict[str, float]:
    return {code: category / 7 for code, category in OECD_CATEGORY.items()}


def country_score(
    country: str | None, overrides: Mapping[str, float], defaults: Mapping[str, float]
) -> float | None:
    """The override, else the default, else None (unknown)."""
    if not country:
        return None
    key = country_key(country)
    for table in (overrides, defaults):
        for name, score in table.items():
            if country_key(name) == key:
                return score
    return None
