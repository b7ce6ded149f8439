"""Entrypoints: CLI (Typer), API (FastAPI), worker and web dashboard."""
