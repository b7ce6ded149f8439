"""Use cases: command handlers, the unit-of-work port, the message bus and read-side queries."""
