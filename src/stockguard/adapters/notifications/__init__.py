"""Transports that hand messages to the outside: SMTP e-mail and webhooks."""
