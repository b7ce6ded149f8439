"""Restock promises: the date by which an out-of-stock SKU is back, at a confidence."""
