"""Raw SQL for the search migrations, per database vendor (the loader skips this module: its
name starts with "_")."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any


def run_sql(statements: Mapping[str, Sequence[str]]) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function running the statements listed for the database's vendor
    ("sqlite", "postgresql"), in order; nothing on another vendor."""

    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql)

    return run
