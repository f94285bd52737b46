"""Running a management command against a throwaway database, never the site's own.

Evaluation commands import a whole community, compute on it and report; they must leave the
site's database untouched. ``rerun_in_throwaway_database`` starts the same command again in a
child process whose DATABASE_URL points at a fresh SQLite file in a temporary folder, migrates
it, and returns the child's output.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD_FLAG = "KINDLING_THROWAWAY_DATABASE"


def in_throwaway_database() -> bool:
    """Whether this process is the child working on a throwaway database."""
    return os.environ.get(CHILD_FLAG) == "1"


def rerun_in_throwaway_database(
    argv: list[str], *, timeout: int = 3600
) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py <argv>`` on a fresh, migrated SQLite file that is deleted afterwards."""
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    with tempfile.TemporaryDirectory(prefix="kindling-eval-") as folder:
        env = {
            **os.environ,
            CHILD_FLAG: "1",
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'evaluation.sqlite3'}",
            "KINDLING_DATA_DIR": folder,
            "REDIS_URL": "",
            "TASK_BACKEND": "immediate",
            "EMAIL_URL": "memory:",
            "DEBUG": os.environ.get("DEBUG", "") or "1",
        }
        migrate = subprocess.run(  # noqa: S603 - this project's manage.py, fixed arguments
            [sys.executable, str(manage), "migrate", "--noinput", "-v0"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if migrate.returncode != 0:
            return migrate
        return subprocess.run(  # noqa: S603 - this project's manage.py, its own command
            [sys.executable, str(manage), *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
