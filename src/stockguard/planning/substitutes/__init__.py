"""Substitute and complement numerics: co-purchase association, attribute similarity and
the ranking of neighbours (numpy/scipy only, vectorised over SKUs)."""
