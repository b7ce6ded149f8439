"""Consent of shoppers: double opt-in, unsubscribe, rate limits, export and erasure.

Other areas call :func:`stockguard.services.consent.links.unsubscribe_headers` (and
``unsubscribe_url`` / ``confirm_url``) for every message to a subscriber.
"""
