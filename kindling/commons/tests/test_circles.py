"""Circles: starting one, joining and leaving, invitations, join requests and the owners' tools.

Alice starts circles and owns them; Bob is another member. Carol is a third member.
"""

from __future__ import annotations

import sys
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons import circle_actions
from kindling.commons.models import (
    Circle,
    CircleInvitation,
    CircleJoinRequest,
    CircleMembership,
    RequestStatus,
)
from kindling.commons.tests.factories import NeedFactory, ResourceFactory
from kindling.core.models import AuditEntry
from kindling.moderation.models import Block, Suspension

pytestmark = pytest.mark.django_db


def start_circle(owner, name="Project-based learning", visibility="open", **kwargs):
    return circle_actions.create_circle(
        owner,
        name=name,
        description=kwargs.get("description", "Teachers who plan projects together."),
        visibility=visibility,
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def is_member(circle, user):
    return CircleMembership.objects.filter(circle=circle, user=user).exists()


def count_of(circle):
    circle.refresh_from_db()
    return circle.member_count


@pytest.fixture
def carol(db):
    return UserFactory(email="carol@example.org", profile__display_name="Carol Nguyen")


@pytest.fixture
def notifications(monkeypatch):
    """A stand-in notifications module that records every hook it is called with."""
    calls = []
    module = types.ModuleType("kindling.notifications.actions")
    for hook in ("notify_circle_invitation", "notify_join_request", "notify_join_decided"):
        setattr(module, hook, lambda obj, _hook=hook: calls.append((_hook, obj)))
    monkeypatch.setitem(sys.modules, "kindling.notifications.actions", module)
    return calls


# --- Actions: starting and editing --------------------------------------------------------------


def test_starting_a_circle_makes_its_creator_the_only_owner(alice):
    circle = start_circle(alice)
    assert circle.slug == "project-based-learning"
    assert CircleMembership.objects.get(circle=circle, user=alice).role == "owner"
    assert count_of(circle) == 1
    assert AuditEntry.objects.filter(action="circle.create", target_id=circle.pk).exists()


def test_circle_slugs_are_unique_and_never_shadow_other_pages(alice):
    first = start_circle(alice, name="Maker spaces")
    second = start_circle(alice, name="Maker  Spaces!")
    reserved = start_circle(alice, name="New")
    unsluggable = start_circle(alice, name="数学")
    assert (first.slug, second.slug) == ("maker-spaces", "maker-spaces-2")
    assert reserved.slug == "new-2"
    assert unsluggable.slug == "circle"
    assert reverse("circles:detail", args=[reserved.slug]) != reverse("circles:create")


def test_a_suspended_member_cannot_start_a_circle(alice):
    Suspension.objects.create(user=alice, reason="Spam")
    with pytest.raises(PermissionDenied, match="suspended"):
        start_circle(alice)
    assert not Circle.objects.exists()


def test_only_owners_edit_a_circle_and_the_change_is_audited(alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    with pytest.raises(PermissionDenied):
        circle_actions.update_circle(
            circle, acting_user=bob, name="Mine now", description="x", visibility="open"
        )
    circle = circle_actions.update_circle(
        circle, acting_user=alice, name="PBL", description="New words.", visibility="invite"
    )
    assert (circle.name, circle.visibility, circle.slug) == (
        "PBL",
        "invite",
        "project-based-learning",
    )
    entry = AuditEntry.objects.get(action="circle.update")
    assert entry.details == {"visibility_before": "open", "visibility": "invite"}


# --- Actions: joining and leaving ---------------------------------------------------------------


def test_a_member_joins_an_open_circle_and_joining_twice_is_harmless(alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.join_circle(circle, user=bob)
    assert is_member(circle, bob)
    assert count_of(circle) == 2


def test_an_invite_only_circle_cannot_be_joined_without_an_invitation(alice, bob):
    circle = start_circle(alice, visibility="invite")
    with pytest.raises(PermissionDenied, match="invite-only"):
        circle_actions.join_circle(circle, user=bob)
    assert not is_member(circle, bob)
    assert count_of(circle) == 1


def test_leaving_lowers_the_count_and_leaving_twice_is_harmless(alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.leave_circle(circle, user=bob)
    circle_actions.leave_circle(circle, user=bob)
    assert not is_member(circle, bob)
    assert count_of(circle) == 1


def test_the_last_owner_cannot_leave_until_someone_else_owns_the_circle(alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    with pytest.raises(ValidationError, match="only owner"):
        circle_actions.leave_circle(circle, user=alice)
    circle_actions.make_owner(circle, bob, acting_user=alice)
    circle_actions.leave_circle(circle, user=alice)
    assert not is_member(circle, alice)
    assert CircleMembership.objects.get(circle=circle, user=bob).role == "owner"


# --- Actions: invitations -----------------------------------------------------------------------


def test_an_owner_invites_a_member_who_accepts_and_joins(alice, bob, notifications):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    assert not is_member(circle, bob)
    membership = circle_actions.accept_invitation(invitation, user=bob)
    assert membership.role == "member"
    assert count_of(circle) == 2
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.ACCEPTED
    assert invitation.responded_at is not None
    # A double submit of "accept" changes nothing.
    circle_actions.accept_invitation(invitation, user=bob)
    assert count_of(circle) == 2


def test_the_invitation_notification_is_sent_after_commit(
    alice, bob, notifications, django_capture_on_commit_callbacks
):
    circle = start_circle(alice, visibility="invite")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    assert notifications == [("notify_circle_invitation", invitation)]


def test_only_owners_can_invite(alice, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    with pytest.raises(PermissionDenied):
        circle_actions.invite_to_circle(circle, invited_by=bob, invitee=carol)
    assert not CircleInvitation.objects.exists()


def test_inviting_a_member_already_in_or_already_invited_is_explained(alice, bob, carol):
    circle = start_circle(alice, visibility="invite")
    with pytest.raises(ValidationError, match="already in this circle"):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=alice)
    circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    with pytest.raises(ValidationError, match="already invited"):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    circle_actions.request_to_join(circle, user=carol, message="Please")
    with pytest.raises(ValidationError, match="already asked to join"):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=carol)
    assert CircleInvitation.objects.count() == 1


def test_a_member_who_blocked_the_owner_cannot_be_invited_by_them(alice, bob):
    circle = start_circle(alice, visibility="invite")
    Block.objects.create(blocker=bob, blocked=alice)
    with pytest.raises(ValidationError, match="cannot be invited by you"):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)


def test_only_the_invitee_answers_an_invitation(alice, bob, carol):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    with pytest.raises(PermissionDenied):
        circle_actions.accept_invitation(invitation, user=carol)
    with pytest.raises(PermissionDenied):
        circle_actions.decline_invitation(invitation, user=carol)
    assert not is_member(circle, carol)


def test_a_declined_invitation_cannot_be_accepted_later(alice, bob):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    circle_actions.decline_invitation(invitation, user=bob)
    circle_actions.decline_invitation(invitation, user=bob)
    with pytest.raises(ValidationError, match="declined"):
        circle_actions.accept_invitation(invitation, user=bob)
    assert not is_member(circle, bob)


def test_an_old_invitation_does_not_let_a_member_back_in_after_leaving(alice, bob):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    circle_actions.accept_invitation(invitation, user=bob)
    circle_actions.leave_circle(circle, user=bob)
    with pytest.raises(ValidationError, match="already used"):
        circle_actions.accept_invitation(invitation, user=bob)
    assert not is_member(circle, bob)


def test_joining_an_open_circle_closes_a_waiting_invitation(alice, bob):
    circle = start_circle(alice)
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    circle_actions.join_circle(circle, user=bob)
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.ACCEPTED


# --- Actions: join requests ---------------------------------------------------------------------


def test_a_member_asks_to_join_and_an_owner_lets_them_in(
    alice, bob, notifications, django_capture_on_commit_callbacks
):
    circle = start_circle(alice, visibility="invite")
    with django_capture_on_commit_callbacks(execute=True):
        join_request = circle_actions.request_to_join(circle, user=bob, message="I teach PBL.")
    with django_capture_on_commit_callbacks(execute=True):
        circle_actions.decide_join_request(join_request, decided_by=alice, accept=True)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.ACCEPTED
    assert join_request.decided_by == alice
    assert is_member(circle, bob)
    assert count_of(circle) == 2
    assert [hook for hook, _obj in notifications] == ["notify_join_request", "notify_join_decided"]


def test_a_declined_request_adds_no_one(alice, bob):
    circle = start_circle(alice, visibility="invite")
    join_request = circle_actions.request_to_join(circle, user=bob)
    circle_actions.decide_join_request(join_request, decided_by=alice, accept=False)
    circle_actions.decide_join_request(join_request, decided_by=alice, accept=False)
    assert not is_member(circle, bob)
    with pytest.raises(ValidationError, match="already decided"):
        circle_actions.decide_join_request(join_request, decided_by=alice, accept=True)


def test_a_second_waiting_request_is_explained_not_a_database_error(alice, bob):
    circle = start_circle(alice, visibility="invite")
    circle_actions.request_to_join(circle, user=bob)
    with pytest.raises(ValidationError, match="already asked to join"):
        circle_actions.request_to_join(circle, user=bob)
    assert CircleJoinRequest.objects.count() == 1


def test_asking_to_join_an_open_circle_or_one_you_are_in_is_explained(alice, bob):
    open_circle = start_circle(alice, name="Open")
    with pytest.raises(ValidationError, match="join it straight away"):
        circle_actions.request_to_join(open_circle, user=bob)
    closed = start_circle(alice, name="Closed", visibility="invite")
    with pytest.raises(ValidationError, match="already in this circle"):
        circle_actions.request_to_join(closed, user=alice)


def test_an_invited_member_is_pointed_at_the_invitation_instead_of_asking(alice, bob):
    circle = start_circle(alice, visibility="invite")
    circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    with pytest.raises(ValidationError, match="accept the invitation"):
        circle_actions.request_to_join(circle, user=bob)


def test_only_owners_decide_join_requests(alice, bob, carol):
    circle = start_circle(alice, visibility="invite")
    circle_actions.invite_to_circle(circle, invited_by=alice, invitee=carol)
    circle_actions.accept_invitation(CircleInvitation.objects.get(user=carol), user=carol)
    join_request = circle_actions.request_to_join(circle, user=bob)
    with pytest.raises(PermissionDenied):
        circle_actions.decide_join_request(join_request, decided_by=carol, accept=True)
    assert not is_member(circle, bob)


def test_actions_work_while_the_notifications_module_does_not_exist(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(sys.modules, "kindling.notifications.actions", None)
    circle = start_circle(alice, visibility="invite")
    with django_capture_on_commit_callbacks(execute=True):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    assert CircleInvitation.objects.filter(user=bob).exists()


def test_an_import_error_inside_the_notifications_module_is_not_hidden(
    alice, bob, monkeypatch, django_capture_on_commit_callbacks
):
    module = types.ModuleType("kindling.notifications.actions")

    def broken(invitation):
        raise ModuleNotFoundError("No module named 'missing_dependency'", name="missing_dependency")

    module.notify_circle_invitation = broken
    monkeypatch.setitem(sys.modules, "kindling.notifications.actions", module)
    circle = start_circle(alice, visibility="invite")
    with (
        pytest.raises(ModuleNotFoundError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)


# --- Actions: owners' care of members -----------------------------------------------------------


def test_only_owners_make_owners_and_remove_members(alice, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.join_circle(circle, user=carol)
    with pytest.raises(PermissionDenied):
        circle_actions.make_owner(circle, carol, acting_user=bob)
    with pytest.raises(PermissionDenied):
        circle_actions.remove_member(circle, carol, acting_user=bob)
    circle_actions.remove_member(circle, carol, acting_user=alice)
    assert not is_member(circle, carol)
    assert count_of(circle) == 2
    assert AuditEntry.objects.filter(action="circle.remove_member").count() == 1


def test_owners_cannot_remove_other_owners_or_themselves(alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.make_owner(circle, bob, acting_user=alice)
    with pytest.raises(ValidationError, match="cannot remove other owners"):
        circle_actions.remove_member(circle, bob, acting_user=alice)
    with pytest.raises(ValidationError, match="Leave this circle"):
        circle_actions.remove_member(circle, alice, acting_user=alice)
    assert count_of(circle) == 2


def test_only_members_can_become_owners(alice, bob):
    circle = start_circle(alice)
    with pytest.raises(ValidationError, match="Only members"):
        circle_actions.make_owner(circle, bob, acting_user=alice)


# --- Pages: the list ----------------------------------------------------------------------------


def test_the_circle_list_shows_every_circle_with_its_badges(alice_client, alice, bob):
    joined = start_circle(alice, name="Joined circle")
    start_circle(bob, name="Open circle")
    start_circle(bob, name="Secret circle", visibility="invite")
    response = alice_client.get(reverse("circles:list"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Joined circle", "Open circle", "Secret circle"):
        assert name in page
    assert "Invite-only" in page
    assert "Joined" in page
    assert joined.get_absolute_url() in page


def test_my_circles_lists_only_the_circles_i_belong_to(alice_client, alice, bob):
    start_circle(alice, name="Mine")
    start_circle(bob, name="Theirs")
    page = alice_client.get(reverse("circles:list") + "?show=mine").content.decode()
    assert "Mine" in page
    assert "Theirs" not in page


def test_the_circle_list_takes_the_same_queries_however_many_circles(
    alice_client, alice, bob, django_assert_num_queries
):
    for number in range(3):
        start_circle(bob, name=f"Circle {number}", visibility="invite" if number % 2 else "open")
    with CaptureQueriesContext(connection) as few:
        alice_client.get(reverse("circles:list"))
    # Its own: invitations waiting, the paginator's count, one page of circles with "joined".
    # The rest (session, user, site-wide context) belongs to the layout.
    own = [
        q for q in few.captured_queries if q["sql"].partition(" FROM ")[2].startswith('"commons_')
    ]
    assert len(own) == 3
    for number in range(3, 30):
        start_circle(bob, name=f"Circle {number}", visibility="invite" if number % 2 else "open")
    with django_assert_num_queries(len(few.captured_queries)):
        response = alice_client.get(reverse("circles:list"))
    assert response.context["page"].paginator.num_pages == 2


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_members_page_takes_the_same_queries_however_many_members(
    alice_client, alice, django_assert_num_queries
):
    circle = start_circle(alice)
    url = reverse("circles:members", args=[circle.slug])
    few = queries_for(alice_client, url)
    for _number in range(60):
        circle_actions.join_circle(circle, user=UserFactory())
    with django_assert_num_queries(few):
        response = alice_client.get(url)
    assert response.context["page"].paginator.num_pages == 2


def test_my_invitations_takes_the_same_queries_however_many_invitations(
    bob_client, bob, django_assert_num_queries
):
    url = reverse("circles:invitations")
    owner = UserFactory()
    circle_actions.invite_to_circle(
        start_circle(owner, name="First"), invited_by=owner, invitee=bob
    )
    few = queries_for(bob_client, url)
    for number in range(25):
        circle = start_circle(UserFactory(), name=f"Circle {number}", visibility="invite")
        circle_actions.invite_to_circle(circle, invited_by=circle.created_by, invitee=bob)
    with django_assert_num_queries(few):
        bob_client.get(url)


def test_a_circle_page_takes_the_same_queries_however_much_is_inside(
    alice_client, alice, bob, django_assert_num_queries
):
    circle = start_circle(alice, visibility="invite")
    circle_actions.request_to_join(circle, user=bob)
    few = queries_for(alice_client, circle.get_absolute_url())
    for _number in range(15):
        joined, invited, asking = UserFactory(), UserFactory(), UserFactory()
        invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=joined)
        circle_actions.accept_invitation(invitation, user=joined)
        circle_actions.invite_to_circle(circle, invited_by=alice, invitee=invited)
        circle_actions.request_to_join(circle, user=asking, message="Hello")
        ResourceFactory(author=joined, circle=circle)
        NeedFactory(author=joined, circle=circle)
    with django_assert_num_queries(few):
        alice_client.get(circle.get_absolute_url())


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("list", [], "get"),
        ("create", [], "get"),
        ("create", [], "post"),
        ("invitations", [], "get"),
        ("respond_to_invitation", ["INVITATION", "accept"], "post"),
        ("detail", ["SLUG"], "get"),
        ("edit", ["SLUG"], "post"),
        ("members", ["SLUG"], "get"),
        ("join", ["SLUG"], "post"),
        ("leave", ["SLUG"], "post"),
        ("request_to_join", ["SLUG"], "post"),
        ("invite", ["SLUG"], "post"),
        ("decide_request", ["SLUG", "REQUEST", "accept"], "post"),
        ("make_owner", ["SLUG", "USER"], "post"),
        ("remove_member", ["SLUG", "USER"], "post"),
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in_and_change_nothing(
    client, alice, bob, name, args, method
):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    join_request = circle_actions.request_to_join(
        circle, user=UserFactory(), message="Please let me in"
    )
    values = {
        "SLUG": circle.slug,
        "INVITATION": invitation.pk,
        "REQUEST": join_request.pk,
        "USER": bob.pk,
    }
    url = reverse(f"circles:{name}", args=[values.get(arg, arg) for arg in args])
    response = getattr(client, method)(url, {"name": "Taken over", "who": bob.email})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert count_of(circle) == 1
    assert Circle.objects.count() == 1
    assert CircleInvitation.objects.get().status == RequestStatus.PENDING
    assert CircleJoinRequest.objects.get().status == RequestStatus.PENDING


def test_the_main_navigation_links_to_circles_for_members(alice_client):
    page = alice_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("circles:list")}"' in page


# --- Pages: starting and editing ----------------------------------------------------------------


def test_a_member_starts_a_circle_from_the_form(alice_client, alice):
    assert alice_client.get(reverse("circles:create")).status_code == 200
    response = alice_client.post(
        reverse("circles:create"),
        {"name": "  Outdoor   learning ", "description": "Lessons outside.", "visibility": "open"},
    )
    circle = Circle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == circle.get_absolute_url()
    assert circle.name == "Outdoor learning"
    assert is_member(circle, alice)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Please give the circle a name."),
        ("name", "n" * 81, "at most 80 characters"),
        ("description", "", "Please say what the circle is about."),
        ("description", "d" * 2001, "at most 2000 characters"),
        ("visibility", "secret", "Select a valid choice"),
    ],
)
def test_bad_circle_input_gets_a_clear_message_and_keeps_what_was_typed(
    alice_client, field, value, message
):
    data = {"name": "Typed name", "description": "Typed description", "visibility": "open"}
    data[field] = value
    response = alice_client.post(reverse("circles:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Typed name" in page or field == "name"
    assert "Typed description" in page or field == "description"
    assert not Circle.objects.exists()


def test_a_suspended_member_is_told_why_the_circle_was_not_started(alice_client, alice):
    Suspension.objects.create(user=alice, reason="Spam links")
    response = alice_client.post(
        reverse("circles:create"), {"name": "X", "description": "Y", "visibility": "open"}
    )
    assert response.status_code == 200
    assert "suspended" in response.content.decode()


def test_an_owner_edits_the_circle(alice_client, alice):
    circle = start_circle(alice)
    assert alice_client.get(reverse("circles:edit", args=[circle.slug])).status_code == 200
    response = alice_client.post(
        reverse("circles:edit", args=[circle.slug]),
        {"name": "PBL together", "description": "Now with more projects.", "visibility": "open"},
    )
    assert response.status_code == 302
    circle.refresh_from_db()
    assert circle.name == "PBL together"


def test_a_member_who_is_not_an_owner_cannot_edit_the_circle(alice, bob_client, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    url = reverse("circles:edit", args=[circle.slug])
    assert bob_client.get(url).status_code == 403
    response = bob_client.post(url, {"name": "Mine", "description": "x", "visibility": "open"})
    assert response.status_code == 403
    circle.refresh_from_db()
    assert circle.name == "Project-based learning"


def test_opening_an_invite_only_circle_needs_a_confirmation(alice_client, alice):
    circle = start_circle(alice, visibility="invite")
    url = reverse("circles:edit", args=[circle.slug])
    data = {"name": "Quiet room", "description": "Still private?", "visibility": "open"}
    response = alice_client.post(url, data)
    assert response.status_code == 200
    assert "Tick this box" in response.content.decode()
    circle.refresh_from_db()
    assert circle.visibility == "invite"
    response = alice_client.post(url, {**data, "confirm_open": "on"})
    assert response.status_code == 302
    circle.refresh_from_db()
    assert circle.visibility == "open"


# --- Pages: a circle ----------------------------------------------------------------------------


def test_an_open_circle_page_shows_owners_members_and_its_stream(alice, bob_client, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=carol)
    ResourceFactory(author=carol, circle=circle, title="A rubric for field trips")
    NeedFactory(author=carol, circle=circle, title="Ideas for a rainy week")
    ResourceFactory(author=carol, title="Not in this circle")
    response = bob_client.get(circle.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Martín" in page
    assert "Carol Nguyen" in page
    assert "2 members" in page
    assert "A rubric for field trips" in page
    assert "Ideas for a rainy week" in page
    assert "Not in this circle" not in page
    assert "Join this circle" in page


def test_the_stream_links_to_resources_and_needs_when_their_pages_exist(alice_client, alice):
    circle = start_circle(alice)
    resource = ResourceFactory(author=alice, circle=circle)
    need = NeedFactory(author=alice, circle=circle)
    page = alice_client.get(circle.get_absolute_url()).content.decode()
    for item in (resource, need):
        try:
            url = item.get_absolute_url()
        except NoReverseMatch:  # the resource and need pages are not registered yet
            continue
        assert f'href="{url}"' in page


def test_member_written_circle_text_is_escaped(alice_client, alice):
    circle = start_circle(
        alice, name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"
    )
    page = alice_client.get(circle.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page


def test_an_unknown_circle_is_not_found(alice_client):
    assert alice_client.get(reverse("circles:detail", args=["no-such-circle"])).status_code == 404


def test_an_owner_sees_waiting_requests_and_the_invite_form(alice_client, alice, bob):
    circle = start_circle(alice, visibility="invite")
    circle_actions.request_to_join(circle, user=bob, message="I run a maker club.")
    page = alice_client.get(circle.get_absolute_url()).content.decode()
    assert "Requests to join" in page
    assert "I run a maker club." in page
    assert "Invite a member" in page


def test_members_who_are_not_owners_see_no_owner_tools(alice, bob_client, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    page = bob_client.get(circle.get_absolute_url()).content.decode()
    assert "Invite a member" not in page
    assert "Requests to join" not in page
    assert "Leave this circle" in page


# --- Pages: joining, leaving and asking ---------------------------------------------------------


def test_a_member_joins_and_leaves_from_the_circle_page(alice, bob_client, bob):
    circle = start_circle(alice)
    response = bob_client.post(reverse("circles:join", args=[circle.slug]))
    assert response.status_code == 302
    assert is_member(circle, bob)
    bob_client.post(reverse("circles:join", args=[circle.slug]))  # a double submit
    assert count_of(circle) == 2
    bob_client.post(reverse("circles:leave", args=[circle.slug]))
    assert not is_member(circle, bob)


def test_joining_and_leaving_only_accept_posts(alice, bob_client):
    circle = start_circle(alice)
    assert bob_client.get(reverse("circles:join", args=[circle.slug])).status_code == 405
    assert bob_client.get(reverse("circles:leave", args=[circle.slug])).status_code == 405


def test_joining_an_invite_only_circle_from_its_page_is_refused_with_a_message(
    alice, bob_client, bob
):
    circle = start_circle(alice, visibility="invite")
    response = bob_client.post(reverse("circles:join", args=[circle.slug]), follow=True)
    assert not is_member(circle, bob)
    assert "invite-only" in response.content.decode()


def test_the_last_owner_is_told_why_they_cannot_leave(alice_client, alice):
    circle = start_circle(alice)
    response = alice_client.post(reverse("circles:leave", args=[circle.slug]), follow=True)
    assert is_member(circle, alice)
    assert "only owner" in response.content.decode()


def test_a_member_asks_to_join_an_invite_only_circle(alice, bob_client, bob):
    circle = start_circle(alice, visibility="invite")
    page = bob_client.get(circle.get_absolute_url()).content.decode()
    assert "Ask to join" in page
    url = reverse("circles:request_to_join", args=[circle.slug])
    response = bob_client.post(url, {"message": "I teach robotics."}, follow=True)
    assert "Your request is sent" in response.content.decode()
    assert CircleJoinRequest.objects.get(user=bob).message == "I teach robotics."
    response = bob_client.post(url, {"message": "Again"}, follow=True)  # a double submit
    assert "already asked to join" in response.content.decode()
    assert CircleJoinRequest.objects.count() == 1


def test_a_too_long_join_message_is_explained_and_kept(alice, bob_client):
    circle = start_circle(alice, visibility="invite")
    message = "m" * 501
    response = bob_client.post(
        reverse("circles:request_to_join", args=[circle.slug]), {"message": message}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 500 characters" in page
    assert message in page
    assert not CircleJoinRequest.objects.exists()


# --- Pages: owners' tools -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["BOB@example.org", "bob okafor"])
def test_an_owner_invites_by_e_mail_address_or_exact_name(alice_client, alice, bob, who):
    circle = start_circle(alice, visibility="invite")
    response = alice_client.post(reverse("circles:invite", args=[circle.slug]), {"who": who})
    assert response.status_code == 302
    assert CircleInvitation.objects.get(circle=circle).user == bob


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("", "Type the e-mail address or name"),
        ("nobody@example.org", "No member has the e-mail address or display name"),
        ("Bob", "No member has the e-mail address or display name"),
        ("Alice Martín", "already in this circle"),
    ],
)
def test_an_invitation_that_cannot_be_sent_is_explained(alice_client, alice, bob, who, message):
    circle = start_circle(alice, visibility="invite")
    response = alice_client.post(reverse("circles:invite", args=[circle.slug]), {"who": who})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert f'value="{who}"' in page or not who
    assert not CircleInvitation.objects.exists()


def test_inviting_the_same_member_twice_is_explained(alice_client, alice, bob):
    circle = start_circle(alice, visibility="invite")
    url = reverse("circles:invite", args=[circle.slug])
    alice_client.post(url, {"who": bob.email})
    response = alice_client.post(url, {"who": bob.email})
    assert "already invited" in response.content.decode()
    assert CircleInvitation.objects.count() == 1


def test_a_name_shared_by_several_members_asks_for_the_e_mail_address(alice_client, alice):
    UserFactory(profile__display_name="Sam Lee")
    UserFactory(profile__display_name="Sam Lee")
    circle = start_circle(alice, visibility="invite")
    response = alice_client.post(reverse("circles:invite", args=[circle.slug]), {"who": "Sam Lee"})
    assert "use their e-mail address" in response.content.decode()


def test_a_member_who_is_not_an_owner_cannot_invite(alice, bob_client, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    response = bob_client.post(reverse("circles:invite", args=[circle.slug]), {"who": carol.email})
    assert response.status_code == 403
    assert not CircleInvitation.objects.exists()


def test_an_owner_accepts_a_request_from_the_circle_page(alice_client, alice, bob):
    circle = start_circle(alice, visibility="invite")
    join_request = circle_actions.request_to_join(circle, user=bob)
    url = reverse("circles:decide_request", args=[circle.slug, join_request.pk, "accept"])
    assert alice_client.post(url).status_code == 302
    assert is_member(circle, bob)
    assert alice_client.post(url).status_code == 302  # a double submit
    assert count_of(circle) == 2


def test_an_owner_declines_a_request(alice_client, alice, bob):
    circle = start_circle(alice, visibility="invite")
    join_request = circle_actions.request_to_join(circle, user=bob)
    alice_client.post(
        reverse("circles:decide_request", args=[circle.slug, join_request.pk, "decline"])
    )
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.DECLINED
    assert not is_member(circle, bob)


def test_deciding_a_request_needs_an_owner_a_real_request_and_a_real_decision(alice, bob, carol):
    # Separate clients: alice_client and bob_client share one test client.
    alice_client, bob_client = client_for(alice), client_for(bob)
    circle = start_circle(alice, visibility="invite")
    join_request = circle_actions.request_to_join(circle, user=carol)
    accept = reverse("circles:decide_request", args=[circle.slug, join_request.pk, "accept"])
    assert bob_client.post(accept).status_code == 403
    maybe = reverse("circles:decide_request", args=[circle.slug, join_request.pk, "maybe"])
    assert alice_client.post(maybe).status_code == 404
    missing = reverse("circles:decide_request", args=[circle.slug, 999999, "accept"])
    assert alice_client.post(missing).status_code == 404
    other = start_circle(alice, name="Other", visibility="invite")
    elsewhere = reverse("circles:decide_request", args=[other.slug, join_request.pk, "accept"])
    assert alice_client.post(elsewhere).status_code == 404
    assert alice_client.get(accept).status_code == 405
    assert not is_member(circle, carol)


def test_members_page_lists_everyone_and_owners_can_manage_them(alice_client, alice, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.join_circle(circle, user=carol)
    members_url = reverse("circles:members", args=[circle.slug])
    page = alice_client.get(members_url).content.decode()
    assert "Bob Okafor" in page
    assert "Carol Nguyen" in page
    response = alice_client.post(
        reverse("circles:make_owner", args=[circle.slug, bob.pk]), {"next": members_url}
    )
    assert response["Location"] == members_url
    assert CircleMembership.objects.get(circle=circle, user=bob).role == "owner"
    alice_client.post(reverse("circles:remove_member", args=[circle.slug, carol.pk]))
    assert not is_member(circle, carol)


def test_a_member_who_is_not_an_owner_cannot_manage_members(alice, bob_client, bob, carol):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.join_circle(circle, user=carol)
    assert bob_client.get(reverse("circles:members", args=[circle.slug])).status_code == 200
    make = reverse("circles:make_owner", args=[circle.slug, carol.pk])
    remove = reverse("circles:remove_member", args=[circle.slug, carol.pk])
    assert bob_client.post(make).status_code == 403
    assert bob_client.post(remove).status_code == 403
    assert CircleMembership.objects.get(circle=circle, user=carol).role == "member"


def test_managing_someone_outside_the_circle_is_not_found(alice_client, alice, bob):
    circle = start_circle(alice)
    url = reverse("circles:remove_member", args=[circle.slug, bob.pk])
    assert alice_client.post(url).status_code == 404


def test_an_owner_is_told_why_another_owner_cannot_be_removed(alice_client, alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    circle_actions.make_owner(circle, bob, acting_user=alice)
    response = alice_client.post(
        reverse("circles:remove_member", args=[circle.slug, bob.pk]), follow=True
    )
    assert "cannot remove other owners" in response.content.decode()
    assert is_member(circle, bob)


def test_a_next_address_on_another_site_is_ignored(alice_client, alice, bob):
    circle = start_circle(alice)
    circle_actions.join_circle(circle, user=bob)
    response = alice_client.post(
        reverse("circles:make_owner", args=[circle.slug, bob.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("circles:members", args=[circle.slug])


# --- Pages: my invitations ----------------------------------------------------------------------


def test_my_invitations_lists_waiting_invitations_and_accepting_one_joins(
    alice, bob_client, bob, carol
):
    circle = start_circle(alice, name="Makers", visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    circle_actions.invite_to_circle(circle, invited_by=alice, invitee=carol)
    page = bob_client.get(reverse("circles:invitations")).content.decode()
    assert "Makers" in page
    assert "Invited by Alice Martín" in page
    listing = bob_client.get(reverse("circles:list")).content.decode()
    assert reverse("circles:invitations") in listing
    assert "1 waiting" in listing
    response = bob_client.post(
        reverse("circles:respond_to_invitation", args=[invitation.pk, "accept"])
    )
    assert response["Location"] == circle.get_absolute_url()
    assert is_member(circle, bob)
    assert not bob_client.get(reverse("circles:invitations")).context["page"].object_list


def test_an_invitation_can_be_declined_from_the_circle_page(alice, bob_client, bob):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    page = bob_client.get(circle.get_absolute_url()).content.decode()
    assert "You are invited" in page
    bob_client.post(reverse("circles:respond_to_invitation", args=[invitation.pk, "decline"]))
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.DECLINED
    assert not is_member(circle, bob)


def test_someone_else_s_invitation_cannot_be_answered(alice, bob, carol):
    circle = start_circle(alice, visibility="invite")
    invitation = circle_actions.invite_to_circle(circle, invited_by=alice, invitee=bob)
    carol_client = client_for(carol)
    url = reverse("circles:respond_to_invitation", args=[invitation.pk, "accept"])
    assert carol_client.post(url).status_code == 404
    assert carol_client.get(url).status_code == 405
    bad = reverse("circles:respond_to_invitation", args=[invitation.pk, "maybe"])
    assert carol_client.post(bad).status_code == 404
    assert not is_member(circle, carol)
