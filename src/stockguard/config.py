"""Settings, read from the environment (``STOCKGUARD_`` prefix, ``__`` for nesting).

Example: ``STOCKGUARD_DATABASE__URL=postgresql+psycopg://user:pw@localhost/stockguard``.
Settings are built by the entrypoints and passed down; nothing reads them at import time.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///stockguard.sqlite3"


class DatabaseSettings(BaseModel):
    url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; a SQLite file by default, PostgreSQL in production.",
    )
    echo: bool = False
    auto_migrate: bool = Field(
        default=True, description="Apply pending migrations when a command opens the database."
    )

    @field_validator("url")
    @classmethod
    def _known_backend(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql")):
            raise ValueError(
                "database URL must start with sqlite:/// or postgresql+psycopg://, "
                f"got {url.split(':', 1)[0]!r}"
            )
        return url


class DemoSettings(BaseModel):
    seed: int = 7
    skus: int = Field(default=520, ge=50, le=100_000)
    customers: int = Field(default=3000, ge=100)
    days: int = Field(default=730, ge=120, le=3650)


class DashboardSettings(BaseModel):
    """The operator dashboard's session cookie.

    ``session_secret`` signs the cookie. When unset, each process draws a random one, so
    sessions end when the server restarts and are not shared between worker processes:
    a deployment with several workers must set ``STOCKGUARD_DASHBOARD__SESSION_SECRET``.
    """

    session_secret: SecretStr | None = Field(
        default=None, description="Signs session cookies; random per process when unset."
    )
    session_max_age: int = Field(
        default=8 * 3600, ge=60, description="Seconds a login lasts before signing in again."
    )
    cookie_name: str = "stockguard_session"
    https_only: bool = Field(
        default=False, description="Mark the cookie Secure; set it when served over HTTPS."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STOCKGUARD_", env_nested_delimiter="__", extra="ignore"
    )

    database: DatabaseSettings = DatabaseSettings()
    demo: DemoSettings = DemoSettings()
    dashboard: DashboardSettings = DashboardSettings()
