"""Supplier numerics over arrays of groups (supplier, or supplier x SKU, or x period).

Modules:
    grouped: sums, means and quantiles per group from flat observation arrays (CSR).
    leadtime: lead-time distribution fits per group (gamma, lognormal or empirical).
    kpis: delivery KPIs per group (on-time rate, fill rate, rejected share, price variance).
    risk: the supplier risk score (weighted components) and its component transforms.
"""
