import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.kinds import get_visible_content
from kindling.commons.models import Resource
from kindling.commons.tests.factories import (
    CircleFactory,
    CommentFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.core.models import AuditEntry
from kindling.moderation.actions import AUTO_HIDE_REASON, flag_content
from kindling.moderation.models import Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource(alice):
    return ResourceFactory(author=alice, title="A rubric for project work")


def test_member_flags_a_post_they_can_see(bob, resource):
    flag = flag_content(bob, "resource", resource.pk, reason="spam", text="Selling courses")
    assert (flag.reporter, flag.kind, flag.object_id) == (bob, "resource", resource.pk)
    assert flag.reason == "spam"
    assert flag.text == "Selling courses"
    assert flag.resolved_at is None


@pytest.mark.parametrize(
    "factory", [NeedFactory, ResponseFactory, CommentFactory], ids=lambda f: f.__name__
)
def test_every_kind_of_post_can_be_flagged(bob, factory):
    post = factory()
    flag_content(bob, post.KIND, post.pk, reason="off_topic")
    assert Flag.objects.filter(kind=post.KIND, object_id=post.pk).count() == 1


def test_flagging_the_same_post_twice_gives_a_clear_message(bob, resource):
    flag_content(bob, "resource", resource.pk, reason="spam")
    with pytest.raises(ValidationError, match="already flagged"):
        flag_content(bob, "resource", resource.pk, reason="harmful")
    assert Flag.objects.count() == 1


def test_member_cannot_flag_their_own_post(alice, resource):
    with pytest.raises(ValidationError, match="cannot flag your own"):
        flag_content(alice, "resource", resource.pk, reason="spam")
    assert not Flag.objects.exists()


def test_unknown_reason_is_refused(bob, resource):
    with pytest.raises(ValidationError, match="reason"):
        flag_content(bob, "resource", resource.pk, reason="boring")


def test_member_cannot_flag_what_they_cannot_see(bob):
    hidden_circle = CircleFactory(visibility="invite")
    secret = ResourceFactory(circle=hidden_circle)
    with pytest.raises(Http404):
        flag_content(bob, "resource", secret.pk, reason="spam")
    with pytest.raises(Http404):
        flag_content(bob, "wiki", secret.pk, reason="spam")


def test_three_flags_from_different_members_hide_the_post_pending_review(resource, carol, dan, bob):
    flag_content(bob, "resource", resource.pk, reason="spam")
    flag_content(carol, "resource", resource.pk, reason="spam")
    resource.refresh_from_db()
    assert not resource.is_hidden
    flag_content(dan, "resource", resource.pk, reason="harmful")
    resource.refresh_from_db()
    assert resource.is_hidden
    assert resource.hidden_reason == AUTO_HIDE_REASON
    entry = AuditEntry.objects.get(action="auto_hide")
    assert entry.actor is None
    assert (entry.target_kind, entry.target_id) == ("resource", resource.pk)


def test_two_flags_do_not_hide_the_post(resource, bob, carol):
    flag_content(bob, "resource", resource.pk, reason="spam")
    flag_content(carol, "resource", resource.pk, reason="spam")
    resource.refresh_from_db()
    assert not resource.is_hidden
    assert not AuditEntry.objects.exists()


def test_one_member_can_never_hide_a_post_alone(resource, bob):
    flag_content(bob, "resource", resource.pk, reason="spam")
    for reason in ("harmful", "other"):
        with pytest.raises(ValidationError):
            flag_content(bob, "resource", resource.pk, reason=reason)
    resource.refresh_from_db()
    assert not resource.is_hidden
    assert Flag.objects.count() == 1


def test_resolved_flags_do_not_count_towards_hiding(resource, bob, carol, dan, mona):
    from kindling.moderation.actions import dismiss_flags

    flag_content(bob, "resource", resource.pk, reason="spam")
    flag_content(carol, "resource", resource.pk, reason="spam")
    dismiss_flags(resource, moderator=mona, reason="It is a fair resource.")
    flag_content(dan, "resource", resource.pk, reason="spam")
    resource.refresh_from_db()
    assert not resource.is_hidden


def test_the_threshold_comes_from_settings(resource, bob, settings):
    settings.FLAGS_TO_HIDE = 1
    flag_content(bob, "resource", resource.pk, reason="spam")
    resource.refresh_from_db()
    assert resource.is_hidden


def test_hidden_post_is_invisible_to_other_members_but_visible_to_moderators_and_author(
    resource, alice, bob, carol, dan, mona
):
    for member in (bob, carol, dan):
        flag_content(member, "resource", resource.pk, reason="spam")
    stranger = UserFactory()
    assert not Resource.objects.visible_to(stranger).filter(pk=resource.pk).exists()
    with pytest.raises(Http404):
        get_visible_content(stranger, "resource", resource.pk)
    assert Resource.objects.visible_to(mona).filter(pk=resource.pk).exists()
    assert get_visible_content(mona, "resource", resource.pk) == resource
    assert get_visible_content(alice, "resource", resource.pk) == resource


def test_a_hidden_comment_is_invisible_to_others(bob, carol, dan, settings):
    comment = CommentFactory()
    for member in (bob, carol, dan):
        flag_content(member, "comment", comment.pk, reason="harmful")
    with pytest.raises(Http404):
        get_visible_content(UserFactory(), "comment", comment.pk)


# --- The flag view -----------------------------------------------------------------------------


def test_flag_form_sends_the_flag_and_returns_to_the_post(bob_client, bob, resource):
    response = bob_client.post(
        reverse("moderation:flag"),
        {
            "kind": "resource",
            "object_id": resource.pk,
            "reason": "spam",
            "text": "Ads",
            "next": "/somewhere/?page=2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/somewhere/?page=2"
    assert Flag.objects.get().reporter == bob
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("moderators will look" in m for m in messages)


def test_reporter_whose_flag_hides_a_post_is_sent_home_not_to_a_missing_page(
    client, resource, bob, carol, dan
):
    flag_content(bob, "resource", resource.pk, reason="spam")
    flag_content(carol, "resource", resource.pk, reason="spam")
    client.force_login(dan)
    response = client.post(
        reverse("moderation:flag"),
        {
            "kind": "resource",
            "object_id": resource.pk,
            "reason": "spam",
            "next": resource.get_absolute_url(),
        },
    )
    assert response["Location"] == reverse("home")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("hidden until a moderator reviews it" in m for m in messages)


def test_flag_view_ignores_a_next_address_on_another_site(bob_client, resource):
    response = bob_client.post(
        reverse("moderation:flag"),
        {
            "kind": "resource",
            "object_id": resource.pk,
            "reason": "spam",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_flagging_twice_through_the_view_is_harmless(bob_client, resource):
    data = {"kind": "resource", "object_id": resource.pk, "reason": "spam", "next": "/"}
    bob_client.post(reverse("moderation:flag"), data)
    response = bob_client.post(reverse("moderation:flag"), data, follow=True)
    assert response.status_code == 200
    assert "already flagged" in response.content.decode()
    assert Flag.objects.count() == 1


def test_flagging_own_post_through_the_view_says_why_not(alice_client, resource):
    data = {"kind": "resource", "object_id": resource.pk, "reason": "spam", "next": "/"}
    response = alice_client.post(reverse("moderation:flag"), data, follow=True)
    assert "cannot flag your own" in response.content.decode()
    assert not Flag.objects.exists()


def test_flag_without_a_reason_is_shown_again_with_what_was_typed(bob_client, resource):
    data = {"kind": "resource", "object_id": resource.pk, "reason": "", "text": "Looks like spam"}
    response = bob_client.post(reverse("moderation:flag"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose why you are flagging this." in page
    assert "Looks like spam" in page
    assert not Flag.objects.exists()


def test_flag_page_works_without_javascript(bob_client, resource):
    response = bob_client.get(
        reverse("moderation:flag"), {"kind": "resource", "object_id": resource.pk}
    )
    assert response.status_code == 200
    assert "A rubric for project work" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "resource", "object_id": "999999"},
        {"kind": "resource", "object_id": "abc"},
        {"kind": "resource", "object_id": "99999999999999999999999"},
        {"kind": "planet", "object_id": "1"},
        {},
    ],
)
def test_flag_view_answers_bad_ids_with_404(bob_client, data):
    assert (
        bob_client.post(reverse("moderation:flag"), {**data, "reason": "spam"}).status_code == 404
    )


def test_flag_view_refuses_other_methods(bob_client):
    assert bob_client.put(reverse("moderation:flag")).status_code == 405


def test_visitor_is_sent_to_sign_in_to_flag(client, resource):
    response = client.post(
        reverse("moderation:flag"), {"kind": "resource", "object_id": resource.pk}
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Flag.objects.exists()


def test_flag_partial_renders_a_details_form_but_not_on_own_posts(rf, alice, bob, resource):
    from django.template.loader import render_to_string

    request = rf.get("/resources/1/")
    request.user = bob
    html = render_to_string(
        "moderation/partials/flag_form.html",
        {"kind": "resource", "object_id": resource.pk, "author_id": alice.pk, "user": bob},
        request=request,
    )
    assert "<details" in html
    assert 'name="reason"' in html
    assert 'value="/resources/1/"' in html
    request.user = alice
    own = render_to_string(
        "moderation/partials/flag_form.html",
        {"kind": "resource", "object_id": resource.pk, "author_id": alice.pk, "user": alice},
        request=request,
    )
    assert "<details" not in own
