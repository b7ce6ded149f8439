"""Inventory numerics vectorised over SKU x location rows (numpy/scipy only).

Modules:
    safety_stock: normal lead-time demand, cycle service level and fill rate (``G(k)``).
    discrete: Poisson and negative binomial lead-time demand.
    empirical: lead-time demand from samples, forecast quantiles or a bootstrap.
    distributions: ``DemandDistribution`` and the per-row dispatch to the kernels above.
    kinds / policies: ``PolicyKind``, ``compute_policies`` -> ``PolicyTable``, EOQ,
        ``inventory_position`` and ``order_quantity_needed``; the planning run's entry.
    lost_sales: fill-rate (s,S) levels under lost sales, period review and crossing
        orders (``FillRateModel.LOST_SALES``, the planning run's default).
    rounding: order quantities rounded up to MOQ and pack size (int64).
    censored: lead-time mean, std and crossing spread per supplier from receipts and
        open orders (right-censored at their age; Kaplan-Meier).
    abc: ABC classes by revenue share and default service targets per class.
"""
