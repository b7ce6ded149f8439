"""SQLAlchemy 2 persistence: tables, engine, repositories, unit of work, migrations."""
