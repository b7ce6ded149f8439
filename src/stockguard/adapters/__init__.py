"""Adapters: the database, notifications, channels, clock and distributed engine."""
