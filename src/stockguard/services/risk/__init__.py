"""Stock-out risk per SKU x location: refresh from a planning run, follow every movement."""
