"""Sessions read with one plain statement (kindling/core/sessions.py) behave as Django's."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kindling.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_session_engine_without_redis():
    assert settings.SESSION_ENGINE == "kindling.core.sessions"


def test_a_saved_session_loads_and_an_expired_or_unknown_one_does_not():
    store = SessionStore()
    store["answer"] = 42
    store.save()
    key = store.session_key
    assert SessionStore(key).load() == {"answer": 42}
    assert SessionStore(key)["answer"] == 42
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_signing_in_and_out_goes_through_it(client, alice):
    client.force_login(alice)
    assert client.get("/").context["user"] == alice
    assert client.post(reverse("account_logout")).status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated
