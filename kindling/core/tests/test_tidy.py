"""manage.py tidy: what is no longer needed goes, what is still needed stays."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from kindling.core.models import FormSubmission
from kindling.core.submissions import TOKEN_DAYS

pytestmark = pytest.mark.django_db


def test_tidy_deletes_old_tokens_and_expired_sessions_only(alice, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    now = timezone.now()
    old = FormSubmission.objects.create(token=uuid.uuid4(), user=alice, result_url="/a/")
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=alice, result_url="/b/")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=TOKEN_DAYS, minutes=1)
    )
    FormSubmission.objects.filter(pk=recent.pk).update(
        created_at=now - timedelta(days=TOKEN_DAYS - 1)
    )
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(1))

    out = StringIO()
    call_command("tidy", stdout=out)

    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
    assert "1 old form token" in out.getvalue()
    call_command("tidy", stdout=StringIO())  # safe to run again
    assert FormSubmission.objects.count() == 1


def test_tidy_deletes_finished_tasks_kept_in_the_database_after_two_weeks(settings):
    from django_tasks_db.models import DBTaskResult

    from kindling.core.management.commands.tidy import TASK_RESULT_DAYS

    settings.TASK_BACKEND = "database"
    now = timezone.now()

    def finished(days_ago: float) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status="SUCCESSFUL",
            finished_at=now - timedelta(days=days_ago),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="kindling.core.tasks.deliver_email",
            backend_name="default",
            run_after=now - timedelta(days=days_ago),
        )

    old, recent = finished(TASK_RESULT_DAYS + 1), finished(TASK_RESULT_DAYS - 1)
    call_command("tidy", stdout=StringIO(), verbosity=0)
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [recent.id]
    assert not DBTaskResult.objects.filter(id=old.id).exists()
