"""Settings, read from the environment (``STOCKGUARD_`` prefix, ``__`` for nesting).

Example: ``STOCKGUARD_DATABASE__URL=postgresql+psycopg://user:pw@localhost/stockguard``.
Settings are built by the entrypoints and passed down; nothing reads them at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
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


class SmtpSettings(BaseModel):
    """The SMTP server alerts are e-mailed through (``STOCKGUARD_SMTP__HOST`` ...)."""

    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = Field(
        default="none", description="none, starttls (usually port 587) or ssl (port 465)."
    )
    username: str | None = Field(default=None, description="Log in when set.")
    password: SecretStr | None = None
    sender: str = Field(default="stockguard@localhost", description="From address.")
    timeout: float = Field(default=10.0, gt=0, description="Seconds per connection.")
    keep_open: bool = Field(
        default=False,
        description="Reuse one connection across messages (bulk customer messages); "
        "otherwise one connection per message.",
    )


class WorkerSettings(BaseModel):
    """The ``stockguard worker`` relay and sender (``STOCKGUARD_WORKER__POLL_INTERVAL`` ...)."""

    poll_interval: float = Field(default=2.0, gt=0, description="Seconds between polls.")
    batch_size: int = Field(default=50, ge=1, le=1000, description="Outbox rows per transaction.")
    webhook_timeout: float = Field(default=10.0, gt=0, description="Seconds per webhook call.")
    lease_seconds: float = Field(
        default=300.0, gt=0, description="A claimed delivery is retried after this if unsent."
    )
    retry_base_seconds: float = Field(default=30.0, gt=0)
    retry_cap_seconds: float = Field(default=3600.0, gt=0)
    max_attempts: int = Field(default=8, ge=1)
    send_batch_size: int = Field(
        default=100, ge=1, le=5000, description="Deliveries claimed and acknowledged together."
    )
    senders: int = Field(
        default=2, ge=1, le=32, description="Threads sending a batch (one connection each)."
    )
    ack_journal: str = Field(
        default="auto",
        min_length=1,
        description="Acknowledgement journal: 'auto' (a locked file in ~/.cache/stockguard), "
        "'off' (commit each acknowledgement alone) or a folder for the journal files.",
    )
    promotion_check: bool = Field(
        default=True,
        description="Check promotion readiness once a day (warnings to the buyer and the "
        "promotion's owner).",
    )
    promotion_check_hour: int = Field(
        default=6, ge=0, le=23, description="UTC hour from which the daily check runs."
    )


class CheckoutSettings(BaseModel):
    """Checkout reservations: ``STOCKGUARD_CHECKOUT__RESERVATION_TTL_MINUTES`` ..."""

    reservation_ttl_minutes: int = Field(
        default=15, ge=1, le=1440, description="Minutes a cart holds stock when it does not say."
    )
    release_interval_seconds: float = Field(
        default=60.0, gt=0, description="Seconds between the worker's sweeps of expired holds."
    )


class RiskSettings(BaseModel):
    """Risk states: ``STOCKGUARD_RISK__AT_RISK`` and ``STOCKGUARD_RISK__WATCH``."""

    at_risk: float = Field(
        default=0.5, gt=0, le=1, description="P(stock-out before the next receipt) of at_risk."
    )
    watch: float = Field(default=0.2, gt=0, le=1, description="P of watch (at most at_risk).")

    @model_validator(mode="after")
    def _ordered(self) -> RiskSettings:
        if self.watch > self.at_risk:
            raise ValueError(f"risk: watch ({self.watch}) must not exceed at_risk ({self.at_risk})")
        return self


DEVELOPMENT_SECRET = "stockguard-development-secret-change-me"  # noqa: S105 - refused in public
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


class MessagingSettings(BaseModel):
    """Messages to shoppers (``STOCKGUARD_MESSAGING__SECRET`` ...).

    ``secret`` signs the links in messages (confirm, unsubscribe, click) and keys the
    HMAC of client IP addresses. The default is a fixed development value: every
    deployment must set its own, shared by the API and the worker (links signed by one
    are checked by the other).
    """

    secret: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SECRET),
        description="Signs links and keys IP HMACs; set a long random value in production.",
    )
    public_base_url: str = Field(
        default="http://localhost:8000",
        description="Base URL of the API as shoppers reach it, e.g. https://shop.example.com.",
    )
    unsubscribe_mailto: str | None = Field(
        default=None, description="Address for mailto: unsubscribe (List-Unsubscribe); optional."
    )
    templates_dir: Path | None = Field(
        default=None,
        description="Folder of operator template overrides (<template>.<lang>.txt.j2 / "
        ".html.j2), checked at start-up.",
    )
    provider_secret: SecretStr | None = Field(
        default=None,
        description="Signs SMS/e-mail provider callbacks (POST /api/v1/messages/events, "
        "X-Stockguard-Signature: sha256=<hex HMAC of the body>); unset refuses them all.",
    )
    conversion_window_days: int = Field(
        default=7,
        ge=0,
        le=365,
        description="A purchase of the SKU or a substitute this many days after a message "
        "counts as its conversion.",
    )

    @field_validator("public_base_url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"public_base_url must start with https:// or http://, got {url!r}")
        return url.rstrip("/")


class SmsSettings(BaseModel):
    """The SMS provider's HTTP API (``STOCKGUARD_SMS__URL`` ...); SMS is off when unset.

    ``payload_template`` is the JSON body with the placeholders ``"{to}"``, ``"{body}"``,
    ``"{sender}"`` and ``"{id}"`` (see ``adapters.notifications.sms``).
    """

    url: str | None = Field(default=None, description="POST endpoint of the provider.")
    auth_header: str = Field(default="Authorization", description="Credential header name.")
    auth_value: SecretStr | None = Field(default=None, description="e.g. 'Bearer abc...'.")
    payload_template: str = Field(
        default='{"to": "{to}", "text": "{body}", "from": "{sender}", "reference": "{id}"}',
        description="JSON body with {to}, {body}, {sender}, {id} placeholders.",
    )
    sender: str = Field(default="stockguard", description="Sender name or number.")
    timeout: float = Field(default=10.0, gt=0)


class ThroughputSettings(BaseModel):
    """Messages per second per channel (``STOCKGUARD_THROUGHPUT__EMAIL_PER_SECOND`` ...);
    0 means unlimited. ``burst`` messages may leave at once after a pause."""

    email_per_second: float = Field(default=0.0, ge=0)
    sms_per_second: float = Field(default=0.0, ge=0)
    webhook_per_second: float = Field(default=0.0, ge=0)
    burst: int = Field(default=10, ge=1)


class ConsentSettings(BaseModel):
    """Double opt-in and abuse limits (``STOCKGUARD_CONSENT__PER_CONTACT_PER_HOUR`` ...)."""

    confirm_ttl_hours: int = Field(
        default=72, ge=1, le=24 * 30, description="Hours a confirmation link stays valid."
    )
    unsubscribe_ttl_days: int = Field(
        default=400, ge=30, description="Days an unsubscribe link in a message stays valid."
    )
    per_contact_per_hour: int = Field(
        default=5, ge=1, description="Subscription requests per contact in a sliding hour."
    )
    per_ip_per_hour: int = Field(
        default=20, ge=1, description="Subscription requests per client IP in a sliding hour."
    )
    customer_token_secret: SecretStr | None = Field(
        default=None,
        description="Shared with the shop's server, which signs the signed-in shopper's "
        "customer id for the widget (docs/back-in-stock.md); unset: nobody is identified.",
    )

    @field_validator("customer_token_secret")
    @classmethod
    def _long_enough(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and len(secret.get_secret_value()) < 16:
            raise ValueError("customer_token_secret must have at least 16 characters")
        return secret


class WavesSettings(BaseModel):
    """Back-in-stock waves (``STOCKGUARD_WAVES__FACTOR`` ...); see docs/back-in-stock.md."""

    factor: float = Field(
        default=2.0, gt=0, le=100, description="Contacts per available unit in one wave."
    )
    pause_minutes: float = Field(default=30.0, ge=0, description="Least time between waves.")
    include_viewers: bool = Field(
        default=False,
        description="After the subscribers, tell consenting customers who viewed the "
        "product while it was out of stock.",
    )
    viewer_days: int = Field(default=30, ge=1, description="Views this recent count.")
    recheck_seconds: float = Field(
        default=300.0, gt=0, description="How often the worker re-checks waiting SKUs."
    )
    product_url: str = Field(
        default="{base}/storefront/demo/product/{sku}",
        description="Product page in messages; {base} = messaging public_base_url, {sku}.",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STOCKGUARD_", env_nested_delimiter="__", extra="ignore"
    )

    database: DatabaseSettings = DatabaseSettings()
    demo: DemoSettings = DemoSettings()
    dashboard: DashboardSettings = DashboardSettings()
    smtp: SmtpSettings = SmtpSettings()
    worker: WorkerSettings = WorkerSettings()
    risk: RiskSettings = RiskSettings()
    checkout: CheckoutSettings = CheckoutSettings()
    messaging: MessagingSettings = MessagingSettings()
    consent: ConsentSettings = ConsentSettings()
    sms: SmsSettings = SmsSettings()
    throughput: ThroughputSettings = ThroughputSettings()
    waves: WavesSettings = WavesSettings()


def development_secret_problem(settings: Settings) -> tuple[str, bool] | None:
    """A sentence on the messaging secret when it is still the development value, and
    whether it must stop the command (True when ``public_base_url`` is not a local
    address: shoppers would get links anyone can forge); None when a secret is set."""
    messaging = settings.messaging
    if messaging.secret.get_secret_value() != DEVELOPMENT_SECRET:
        return None
    host = urlsplit(messaging.public_base_url).hostname or ""
    public = host not in LOCAL_HOSTS and f"[{host}]" not in LOCAL_HOSTS
    where = f"shoppers at {messaging.public_base_url}" if public else "this local test"
    sentence = (
        "STOCKGUARD_MESSAGING__SECRET still has its development value, so anyone can forge "
        "the confirm, unsubscribe and click links of customer messages. Set a long random "
        "value (python -c 'import secrets; print(secrets.token_urlsafe(32))'), the same for "
        f"the API and the worker, before serving {where}."
    )
    return sentence, public
