"""ASGI factory for multi-worker servers.

``uvicorn --factory stockguard.entrypoints.api.asgi:build --workers 2``: each worker
process builds its own app from the environment (``STOCKGUARD_*``); nothing is wired at
import time.
"""

from __future__ import annotations

from fastapi import FastAPI

from stockguard.config import Settings
from stockguard.entrypoints.api.app import create_app


def build() -> FastAPI:
    return create_app(Settings())
