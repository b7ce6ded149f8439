"""Carriers: shipments with tracking, on-time KPIs per carrier and lane, alternates."""
