"""Storefront availability and restock promises (issue 8, items 1-2)."""
