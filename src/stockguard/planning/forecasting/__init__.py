"""Demand forecasting, vectorised over series: loop over time, vector over SKUs.

Every model takes ``y`` of shape (n_series, n_periods), NaN where demand was not
observed (a censored stock-out day or before the series started), and forecasts the
mean for each of ``horizon`` periods: shape (n_series, horizon).
"""
