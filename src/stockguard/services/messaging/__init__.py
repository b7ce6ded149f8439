"""Messaging area: customer message templates (fr/en, Babel formats), the renderer with
operator overrides, and message analytics."""
