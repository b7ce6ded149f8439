"""stockguard: keeps online shops in stock and treats customers well when they are not."""

__version__ = "0.1.0"
