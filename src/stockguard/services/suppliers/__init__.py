"""Supplier KPIs, lead-time distributions, risk score and diversification (issue 7).

Modules:
    model: the facts read from purchase history and the buyer's ratings (plain values).
    ports: ``SupplierHistory`` (read side) and ``RatingStore`` (the buyer's entries).
    kpis: KPIs per supplier and per supplier x SKU, and scorecards per period.
    leadtime: the fitted lead-time distribution of a supplier x SKU (for safety stock and
        promise dates).
    risk_settings / country_risk: the configurable risk formula and its default tables.
    risk: the risk score per supplier; diversification: single-source SKUs, revenue at
        risk and suggested second sources; rating: the buyer's ratings, validated.
"""
