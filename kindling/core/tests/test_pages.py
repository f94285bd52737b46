import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_explains_kindling_to_a_visitor(client):
    page = client.get(reverse("home")).content.decode()
    assert "Kindling is where educators learn from each other" in page
    assert 'href="#main"' in page
    assert "<main" in page


def test_every_page_has_a_strict_content_security_policy(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy


def test_pages_have_no_inline_script_or_style(client, alice_client):
    for url in [reverse("home"), reverse("account_signup"), reverse("habits:list")]:
        page = client.get(url).content.decode()
        assert " style=" not in page
        assert "<script>" not in page
        assert " onclick=" not in page


def test_spanish_visitor_sees_the_shell_in_spanish(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in page
    assert "Únete a Kindling" in page


def test_language_switcher_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/habits/"})
    assert response.status_code == 302
    page = client.get("/habits/").content.decode()
    assert "Hábitos de la mente" in page


def test_code_of_conduct_is_public(client):
    assert "Protect students" in client.get(reverse("code_of_conduct")).content.decode()


def test_health_check_answers(client):
    assert client.get(reverse("health")).json() == {"status": "ok"}


def test_unknown_page_is_a_404_not_a_500(client):
    assert client.get("/no/such/page/").status_code == 404
