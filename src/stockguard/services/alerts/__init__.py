"""Operator alerts: rules, matching, throttling, digests and their messages."""
