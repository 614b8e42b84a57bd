"""Database engine and sessions, ORM models, migrations (Alembic) and UTC helpers."""
