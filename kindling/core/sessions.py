"""Django's database sessions, read with one plain statement.

Every signed-in request reads its session first; built with the ORM, that read cost about as
much Python as the rest of Django's request handling before the view. Everything else (saving,
creating, deleting, clearing expired sessions) is Django's own ``db`` backend. Set as
``SESSION_ENGINE`` in ``config/settings.py`` when sessions are not cached in Redis.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # Only the table name is formatted in; the key and the time are parameters.
        sql = (
            f"SELECT session_data FROM {model._meta.db_table}"  # noqa: S608
            " WHERE session_key = %s AND expire_date > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired, as in Django's own load()
            self._session_key = None
            return {}
        return self.decode(row[0])
