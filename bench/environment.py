"""Start Django for a benchmark script run as ``python -m bench.<script>`` from the project root.

The benchmarks measure the site as production runs it: DEBUG off, a real secret key, plain HTTP
on this machine. The database is whatever DATABASE_URL (or KINDLING_DATA_DIR) names.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def production_environment() -> dict[str, str]:
    """Environment variables for production-like settings (kept if already set)."""
    values = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECURE_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "LOG_LEVEL": "WARNING",
    }
    values.update({k: os.environ[k] for k in values if k in os.environ})
    # The same key must reach every process that shares sessions (the load test's server).
    values["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    if values["DEBUG"].lower() in ("1", "true", "yes", "on"):
        print("Note: DEBUG is on; figures will be slower than production.", file=sys.stderr)
    return values


def setup_django() -> None:
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.update(production_environment())
    import django

    django.setup()


def database_label() -> str:
    """SQLite file or PostgreSQL database name, for reports (never the password)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"SQLite {name}"
    host = connection.settings_dict.get("HOST") or "local socket"
    return f"PostgreSQL {name} on {host}"


def unapplied_migrations() -> list[str]:
    """Migrations the benchmark database still lacks (the code moved on since it was made)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def start(out: Any = None) -> bool:
    """Start Django for a benchmark and check its database is migrated; on a database the code
    has moved past, say which command to run and return False."""
    setup_django()
    if missing := unapplied_migrations():
        print(
            f"Run `manage.py migrate` on this database first ({len(missing)} "
            f"migrations missing, e.g. {missing[0]}).",
            file=out or sys.stderr,
        )
        return False
    return True
