"""Proactive delay notices to customers whose orders or pre-orders slipped."""
