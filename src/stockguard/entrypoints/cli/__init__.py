"""The ``stockguard`` command line."""
