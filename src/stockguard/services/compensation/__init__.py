"""Compensation for late orders: rules, issuing codes within the monthly budget, redeeming."""
