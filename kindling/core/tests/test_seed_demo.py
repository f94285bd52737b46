import io

import pytest
from django.core.management import call_command

from kindling.accounts.models import Profile, User

pytestmark = pytest.mark.django_db


def test_demo_community_is_varied_and_not_duplicated_on_a_second_run():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "password for every demo account" in out.getvalue()
    first = User.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == first
    profiles = list(Profile.objects.all())
    assert len(profiles) >= 40
    assert len({p.role for p in profiles}) == 4
    assert len({code for p in profiles for code in p.languages}) >= 20
    assert len({s for p in profiles for s in p.subjects}) >= 10
    assert all(p.pronunciation for p in profiles)


def test_if_empty_leaves_an_existing_community_alone(alice):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert User.objects.count() == 1
    assert "no demo data was added" in out.getvalue()


def test_demo_members_can_sign_in(client):
    call_command("seed_demo", stdout=io.StringIO())
    email = User.objects.filter(is_staff=False).first().email
    response = client.post("/accounts/login/", {"login": email, "password": "kindling-demo"})
    assert response.status_code == 302
