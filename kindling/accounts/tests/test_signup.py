import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.urls import reverse

from kindling.accounts.models import Profile, User
from kindling.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "display_name": "  Rosa   Tzul ",
    "email": "Rosa@Example.org",
    "password1": "a long pass phrase 42",
    "password2": "a long pass phrase 42",
    "accept_code_of_conduct": "on",
}


def confirmation_url(message: str) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", message)
    assert match, message
    return match.group(0).split("testserver", 1)[-1]


def test_new_educator_signs_up_verifies_and_is_signed_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="rosa@example.org")
    assert user.profile.display_name == "Rosa Tzul"
    assert user.code_of_conduct_version
    assert user.code_of_conduct_accepted_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    url = confirmation_url(mail.outbox[0].body)
    assert client.get(url).status_code == 200  # confirming takes a POST, not a link preview
    response = client.post(url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:me")).status_code == 302  # signed in: redirected to profile


def test_sign_up_without_accepting_the_code_of_conduct_is_refused_and_keeps_input(client):
    data = {**SIGNUP, "accept_code_of_conduct": ""}
    response = client.post(reverse("account_signup"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please read and accept the code of conduct to join." in page
    assert 'value="Rosa@Example.org"' in page or 'value="rosa@example.org"' in page
    assert "Rosa" in page
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"password2": "something else 42"}, "You must type the same password each time"),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"display_name": "   "}, "This field is required"),
    ],
)
def test_bad_sign_up_input_gets_a_clear_message(client, changes, message):
    response = client.post(reverse("account_signup"), {**SIGNUP, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_address_already_in_use_cannot_sign_up_again_nor_learn_it_exists(client, alice):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "ALICE@example.org"})
    # Same answer as a new sign-up, so the form cannot be used to find out who is a member;
    # the owner of the address is told by e-mail instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    assert mail.outbox[0].to == ["alice@example.org"]


def test_unverified_member_cannot_sign_in_until_verified(client):
    UserFactory(email="new@example.org", verified_email=False)
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_verified_member_signs_in_by_email_and_wrong_password_is_refused(client, alice):
    bad = client.post(reverse("account_login"), {"login": "alice@example.org", "password": "nope"})
    assert bad.status_code == 200
    assert "not correct" in bad.content.decode()
    good = client.post(
        reverse("account_login"), {"login": "ALICE@example.org", "password": PASSWORD}
    )
    assert good.status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice):
    client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://testserver(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body
    )
    assert link
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    done = client.post(
        form_url, {"password1": "brand new phrase 77", "password2": "brand new phrase 77"}
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new phrase 77")


def test_member_turns_on_totp_and_then_needs_a_code_to_sign_in(client, alice):
    client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})
    assert (
        client.get(reverse("mfa_activate_totp")).status_code == 302
    )  # asks for the password again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    counter = next(iter(yield_hotp_counters_from_time()))
    code = format_hotp_value(hotp_value(secret, counter))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")


def test_visitor_cannot_open_account_settings(client):
    for name in ["account_email", "account_change_password", "mfa_index"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_profile_is_created_for_a_member_without_one(client):
    user = User.objects.create_user("legacy@example.org", PASSWORD)
    client.force_login(user)
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert Profile.objects.get(user=user).display_name == "legacy"
