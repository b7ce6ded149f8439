"""Imports: validate a whole file first, then write it in one transaction (all or nothing)."""
