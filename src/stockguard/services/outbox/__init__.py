"""Consuming the outbox: the relay (events -> subscribers) and message delivery."""
