"""Read-side queries behind the operator dashboard, one module per group of pages.

Every page is a handful of SQL aggregates; no query runs once per row.
"""
