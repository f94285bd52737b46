"""Who hears about what: the rules every notify_* entry point follows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import CircleInvitation, CircleJoinRequest
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    CommentFactory,
    FreeTagFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.moderation.models import Block
from kindling.notifications import actions
from kindling.notifications.models import Notification, NotificationSettings, Verb
from kindling.notifications.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db


def recipients(verb: str) -> set[str]:
    return set(Notification.objects.filter(verb=verb).values_list("recipient__email", flat=True))


# --- New needs and resources ------------------------------------------------------------------


def test_followers_of_the_author_tags_and_circle_hear_about_a_new_need(alice, bob, carol):
    tag = FreeTagFactory()
    circle = CircleFactory()
    dave = UserFactory(email="dave@example.org")
    need = NeedFactory(author=alice, circle=circle)
    need.tags.add(tag)
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="tag", object_id=tag.pk)
    FollowFactory(user=dave, kind="circle", object_id=circle.pk)
    UserFactory(email="outsider@example.org")

    actions.notify_new_need(need)

    assert recipients(Verb.NEW_NEED) == {bob.email, carol.email, dave.email}
    notification = Notification.objects.get(recipient=bob)
    assert notification.actor == alice
    assert notification.target_kind == "need"
    assert notification.target_id == need.pk
    assert notification.target_url == need.get_absolute_url()
    assert notification.summary == need.title
    assert notification.circle == circle
    assert notification.read_at is None


def test_a_member_following_a_need_three_ways_hears_once(alice, bob):
    tag = FreeTagFactory()
    circle = CircleFactory()
    need = NeedFactory(author=alice, circle=circle)
    need.tags.add(tag)
    for kind, object_id in [("user", alice.pk), ("tag", tag.pk), ("circle", circle.pk)]:
        FollowFactory(user=bob, kind=kind, object_id=object_id)

    actions.notify_new_need(need)

    assert Notification.objects.filter(recipient=bob).count() == 1


def test_the_author_never_hears_about_their_own_need(alice):
    tag = FreeTagFactory()
    need = NeedFactory(author=alice)
    need.tags.add(tag)
    FollowFactory(user=alice, kind="tag", object_id=tag.pk)

    assert actions.notify_new_need(need) == []


def test_a_member_who_blocked_the_author_hears_nothing_from_them(alice, bob, carol):
    need = NeedFactory(author=alice)
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)
    Block.objects.create(blocker=bob, blocked=alice)

    actions.notify_new_need(need)

    assert recipients(Verb.NEW_NEED) == {carol.email}


def test_an_author_who_blocked_a_follower_does_not_reach_them(alice, bob, carol):
    need = NeedFactory(author=alice)
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)
    Block.objects.create(blocker=alice, blocked=bob)

    actions.notify_new_need(need)

    assert recipients(Verb.NEW_NEED) == {carol.email}


def test_only_members_of_an_invite_only_circle_hear_about_content_in_it(alice, bob, carol):
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=bob)
    tag = FreeTagFactory()
    need = NeedFactory(author=alice, circle=circle)
    need.tags.add(tag)
    FollowFactory(user=bob, kind="tag", object_id=tag.pk)
    FollowFactory(user=carol, kind="tag", object_id=tag.pk)

    actions.notify_new_need(need)

    assert recipients(Verb.NEW_NEED) == {bob.email}


def test_hidden_content_notifies_nobody(alice, bob):
    need = NeedFactory(author=alice, is_hidden=True)
    FollowFactory(user=bob, kind="user", object_id=alice.pk)

    assert actions.notify_new_need(need) == []
    assert not Notification.objects.exists()


def test_deactivated_members_are_not_notified(alice, bob):
    bob.is_active = False
    bob.save()
    FollowFactory(user=bob, kind="user", object_id=alice.pk)

    assert actions.notify_new_need(NeedFactory(author=alice)) == []


def test_followers_of_the_author_tags_and_circle_hear_about_a_new_resource(alice, bob, carol):
    tag = FreeTagFactory()
    circle = CircleFactory()
    resource = ResourceFactory(author=alice, circle=circle)
    resource.tags.add(tag)
    FollowFactory(user=bob, kind="tag", object_id=tag.pk)
    FollowFactory(user=carol, kind="circle", object_id=circle.pk)
    FollowFactory(user=alice, kind="tag", object_id=tag.pk)

    actions.notify_new_resource(resource)

    assert recipients(Verb.NEW_RESOURCE) == {bob.email, carol.email}
    assert Notification.objects.filter(target_kind="resource", target_id=resource.pk).count() == 2


def test_notifying_takes_the_same_queries_for_one_follower_or_many(alice):
    tag = FreeTagFactory()
    circle = CircleFactory()

    def queries_for(follower_count: int) -> int:
        need = NeedFactory(author=alice, circle=circle)
        need.tags.add(tag)
        for _ in range(follower_count):
            FollowFactory(user=UserFactory(), kind="tag", object_id=tag.pk)
        with CaptureQueriesContext(connection) as captured:
            actions.notify_new_need(need)
        return len(captured)

    assert queries_for(1) == queries_for(25)
    assert Notification.objects.count() == 1 + 26


def test_every_recipient_gets_email_settings_with_their_own_token(alice, bob, carol):
    FollowFactory(user=bob, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)

    actions.notify_new_need(NeedFactory(author=alice))

    rows = NotificationSettings.objects.filter(user__in=[bob, carol])
    assert {row.email_mode for row in rows} == {"daily"}
    assert len({row.unsubscribe_token for row in rows}) == 2


# --- Lineage ----------------------------------------------------------------------------------


def test_authors_of_the_resources_built_on_hear_once_each(alice, bob, carol):
    first, second = ResourceFactory(author=bob), ResourceFactory(author=bob)
    third = ResourceFactory(author=carol)
    own = ResourceFactory(author=alice)
    resource = ResourceFactory(author=alice, title="Rubric, remixed")

    actions.notify_built_on(resource, [first, second, third, own])

    assert recipients(Verb.BUILT_ON) == {bob.email, carol.email}
    assert Notification.objects.get(recipient=bob).summary == "Rubric, remixed"


def test_a_parent_author_outside_the_invite_only_circle_does_not_hear_of_the_remix(alice, bob):
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=alice)
    resource = ResourceFactory(author=alice, circle=circle)

    assert actions.notify_built_on(resource, [ResourceFactory(author=bob)]) == []


# --- Responses --------------------------------------------------------------------------------


def test_the_asker_and_the_needs_followers_hear_about_a_response(alice, bob, carol):
    need = NeedFactory(author=alice, title="Project rubric by tomorrow")
    FollowFactory(user=carol, kind="need", object_id=need.pk)
    FollowFactory(user=bob, kind="need", object_id=need.pk)
    response = ResponseFactory(need=need, author=bob)

    actions.notify_new_response(response)

    assert recipients(Verb.NEW_RESPONSE) == {alice.email, carol.email}
    notification = Notification.objects.get(recipient=alice)
    assert notification.target_kind == "response"
    assert notification.target_url == response.get_absolute_url()
    assert notification.summary == "Project rubric by tomorrow"


def test_an_asker_who_follows_their_own_need_hears_once(alice, bob):
    need = NeedFactory(author=alice)
    FollowFactory(user=alice, kind="need", object_id=need.pk)

    actions.notify_new_response(ResponseFactory(need=need, author=bob))

    assert Notification.objects.filter(recipient=alice).count() == 1


def test_a_hidden_response_notifies_nobody(alice, bob):
    need = NeedFactory(author=alice)

    assert actions.notify_new_response(ResponseFactory(need=need, author=bob, is_hidden=True)) == []


def test_a_response_to_a_hidden_need_notifies_nobody(alice, bob):
    need = NeedFactory(author=alice, is_hidden=True)

    assert actions.notify_new_response(ResponseFactory(need=need, author=bob)) == []


def test_the_responder_hears_when_the_asker_marks_the_response_helpful(alice, bob):
    need = NeedFactory(author=alice)
    response = ResponseFactory(need=need, author=bob, helped=True)

    actions.notify_response_helped(response)

    notification = Notification.objects.get()
    assert notification.recipient == bob
    assert notification.actor == alice
    assert notification.verb == Verb.RESPONSE_HELPED


def test_answering_your_own_need_and_marking_it_helpful_notifies_nobody(alice):
    need = NeedFactory(author=alice)

    assert actions.notify_response_helped(ResponseFactory(need=need, author=alice)) == []


# --- Comments ---------------------------------------------------------------------------------


def test_the_resource_author_hears_about_a_comment(alice, bob, carol):
    resource = ResourceFactory(author=alice)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)

    actions.notify_new_comment(CommentFactory(resource=resource, author=bob))

    assert recipients(Verb.NEW_COMMENT) == {alice.email}


def test_the_need_author_and_followers_hear_about_a_comment_on_a_need(alice, bob, carol):
    need = NeedFactory(author=alice)
    FollowFactory(user=carol, kind="need", object_id=need.pk)
    comment = CommentFactory(resource=None, need=need, author=bob)

    actions.notify_new_comment(comment)

    assert recipients(Verb.NEW_COMMENT) == {alice.email, carol.email}
    assert Notification.objects.get(recipient=carol).target_url == comment.get_absolute_url()


def test_a_comment_in_an_invite_only_circle_reaches_only_its_members(alice, bob, carol):
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=alice)
    need = NeedFactory(author=alice, circle=circle)
    FollowFactory(user=carol, kind="need", object_id=need.pk)

    actions.notify_new_comment(CommentFactory(resource=None, need=need, author=bob))

    assert recipients(Verb.NEW_COMMENT) == {alice.email}


def test_a_hidden_comment_notifies_nobody(alice, bob):
    resource = ResourceFactory(author=alice)

    assert (
        actions.notify_new_comment(CommentFactory(resource=resource, author=bob, is_hidden=True))
        == []
    )


# --- Circles ----------------------------------------------------------------------------------


def test_an_invited_member_hears_about_the_invitation_even_before_joining(alice, bob):
    circle = CircleFactory(visibility="invite", name="Maker teachers", created_by=alice)
    CircleMembershipFactory(circle=circle, user=alice, role="owner")
    invitation = CircleInvitation.objects.create(circle=circle, user=bob, invited_by=alice)

    actions.notify_circle_invitation(invitation)

    notification = Notification.objects.get()
    assert notification.recipient == bob
    assert notification.verb == Verb.CIRCLE_INVITATION
    assert notification.target_url == circle.get_absolute_url()
    assert notification.circle is None
    assert "Maker teachers" in notification.headline


def test_an_invitation_from_someone_you_blocked_is_not_notified(alice, bob):
    circle = CircleFactory(visibility="invite", created_by=alice)
    Block.objects.create(blocker=bob, blocked=alice)
    invitation = CircleInvitation.objects.create(circle=circle, user=bob, invited_by=alice)

    assert actions.notify_circle_invitation(invitation) == []


def test_the_circles_owners_hear_about_a_request_to_join(alice, bob, carol):
    circle = CircleFactory(visibility="invite", created_by=alice)
    CircleMembershipFactory(circle=circle, user=alice, role="owner")
    CircleMembershipFactory(circle=circle, user=carol, role="member")
    join_request = CircleJoinRequest.objects.create(circle=circle, user=bob, message="Hi!")

    actions.notify_join_request(join_request)

    assert recipients(Verb.JOIN_REQUEST) == {alice.email}
    assert Notification.objects.get().actor == bob


def test_the_requester_hears_the_decision(alice, bob):
    circle = CircleFactory(visibility="invite", created_by=alice)
    accepted = CircleJoinRequest.objects.create(
        circle=circle, user=bob, status="accepted", decided_by=alice
    )
    declined = CircleJoinRequest.objects.create(
        circle=CircleFactory(visibility="invite"), user=bob, status="declined", decided_by=alice
    )

    actions.notify_join_decided(accepted)
    actions.notify_join_decided(declined)

    assert set(Notification.objects.filter(recipient=bob).values_list("verb", flat=True)) == {
        Verb.JOIN_ACCEPTED,
        Verb.JOIN_DECLINED,
    }


def test_a_request_still_waiting_is_not_a_decision(alice, bob):
    join_request = CircleJoinRequest.objects.create(circle=CircleFactory(), user=bob)

    assert actions.notify_join_decided(join_request) == []


# --- Withdrawing ------------------------------------------------------------------------------


def test_withdrawing_a_need_removes_notifications_about_it_and_its_responses(alice, bob, carol):
    need = NeedFactory(author=alice)
    FollowFactory(user=carol, kind="user", object_id=alice.pk)
    FollowFactory(user=carol, kind="need", object_id=need.pk)
    actions.notify_new_need(need)
    actions.notify_new_response(ResponseFactory(need=need, author=bob))
    other = NeedFactory(author=alice)
    actions.notify_new_need(other)

    actions.withdraw_notifications(need)

    assert list(Notification.objects.values_list("target_id", flat=True)) == [other.pk]
