"""Back-in-stock subscriptions: pending requests from the widget (double opt-in later)."""
