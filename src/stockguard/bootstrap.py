"""Composition root: settings -> adapters -> message bus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from stockguard.adapters.db import engine as db_engine
from stockguard.adapters.db import migrations
from stockguard.adapters.db.history import SqlLedgerHistory
from stockguard.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from stockguard.adapters.forecasting.gbm import GbmDriversModel
from stockguard.adapters.forecasting.sql_drivers import SqlDriverSource
from stockguard.adapters.notifications.templates import install_default as install_renderer
from stockguard.config import Settings
from stockguard.planning.risk.figures import RiskThresholds
from stockguard.services.consent.links import LinkConfig
from stockguard.services.consent.policy import ConsentPolicy
from stockguard.services.messagebus import MessageBus
from stockguard.services.planning.run import PlanningDrivers


@dataclass(frozen=True, slots=True)
class App:
    """Everything an entrypoint needs, wired once."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    bus: MessageBus
    read_sessions: sessionmaker[Session] | None = None
    """Sessions for queries only (no write lock on SQLite); ``sessions`` when None."""

    def reader(self) -> Session:
        """A session for read-side queries; use it as a context manager."""
        return (self.read_sessions or self.sessions)()

    def unit_of_work(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(
            self.sessions,
            history_sessions=self.read_sessions,
            risk_thresholds=risk_thresholds(self.settings),
        )

    def ledger_history(self) -> SqlLedgerHistory:
        return SqlLedgerHistory(self.read_sessions or self.sessions)

    def planning_drivers(self, requested: bool | None = None) -> PlanningDrivers:
        """The drivers model (LightGBM, seeded by the run) and the database's prices and
        promotions, for ``services.planning.run.run_forecast``."""
        return PlanningDrivers(
            model_for_seed=lambda seed: GbmDriversModel(seed=seed),
            source=SqlDriverSource(self.read_sessions or self.sessions),
            requested=requested,
        )


def link_config(settings: Settings) -> LinkConfig:
    """Signed links in messages (confirm, unsubscribe, click) from the settings."""
    return LinkConfig(
        secret=settings.messaging.secret.get_secret_value().encode(),
        public_base_url=settings.messaging.public_base_url,
        unsubscribe_mailto=settings.messaging.unsubscribe_mailto,
        confirm_ttl=timedelta(hours=settings.consent.confirm_ttl_hours),
        unsubscribe_ttl=timedelta(days=settings.consent.unsubscribe_ttl_days),
    )


def consent_policy(settings: Settings) -> ConsentPolicy:
    """Signed links and rate limits of subscriptions (``STOCKGUARD_CONSENT__*``)."""
    return ConsentPolicy(
        links=link_config(settings),
        per_contact=settings.consent.per_contact_per_hour,
        per_ip=settings.consent.per_ip_per_hour,
    )


def risk_thresholds(settings: Settings) -> RiskThresholds:
    """The risk states' probabilities from the settings (``STOCKGUARD_RISK__*``)."""
    return RiskThresholds(settings.risk.at_risk, settings.risk.watch)


def bootstrap(settings: Settings, *, engine: Engine | None = None) -> App:
    """Build the engine (unless given), apply migrations if configured, wire the bus."""
    install_renderer(settings.messaging.templates_dir)  # customer messages (fails on bad overrides)
    engine = engine or db_engine.make_engine(settings.database.url, echo=settings.database.echo)
    if settings.database.auto_migrate:
        migrations.upgrade(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    readers = None
    if engine.dialect.name == "sqlite":
        url = engine.url.render_as_string(hide_password=False)
        readers = sessionmaker(bind=db_engine.make_engine(url, read_only=True))
    thresholds = risk_thresholds(settings)
    consent = consent_policy(settings)
    bus = MessageBus(
        lambda: SqlAlchemyUnitOfWork(
            sessions, history_sessions=readers, risk_thresholds=thresholds, consent_policy=consent
        )
    )
    return App(settings=settings, engine=engine, sessions=sessions, bus=bus, read_sessions=readers)
