from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import ResourceRevision
from kindling.commons.tests.factories import (
    CommentFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.core.models import AuditEntry
from kindling.moderation import actions
from kindling.moderation.models import Block, Flag, Suspension
from kindling.moderation.queries import active_suspension, has_blocked

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(alice, bob, carol):
    resource = ResourceFactory(author=alice, title="Free iPads!!!", body="Click here.")
    actions.flag_content(bob, "resource", resource.pk, reason="spam")
    actions.flag_content(carol, "resource", resource.pk, reason="spam")
    return resource


def only_entry(action):
    return AuditEntry.objects.get(action=action)


def test_moderator_hides_a_post_and_its_flags_are_resolved(flagged, mona):
    actions.hide_content(flagged, moderator=mona, reason="Advertising")
    flagged.refresh_from_db()
    assert flagged.is_hidden
    assert flagged.hidden_reason == "Advertising"
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"hidden"}
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert set(Flag.objects.values_list("resolved_by", flat=True)) == {mona.pk}
    entry = only_entry("hide")
    assert (entry.actor, entry.target_kind, entry.target_id) == (mona, "resource", flagged.pk)
    assert entry.reason == "Advertising"
    assert entry.details["flags_resolved"] == 2


def test_moderator_restores_a_hidden_post(flagged, mona):
    flagged.is_hidden, flagged.hidden_reason = True, "Hidden pending review after flags"
    flagged.save()
    actions.restore_content(flagged, moderator=mona, reason="Not spam after all")
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert flagged.hidden_reason == ""
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"restored"}
    assert only_entry("restore").reason == "Not spam after all"


def test_moderator_dismisses_flags_without_hiding(flagged, mona):
    assert actions.dismiss_flags(flagged, moderator=mona, reason="Fair resource") == 2
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert set(Flag.objects.values_list("outcome", flat=True)) == {"dismissed"}
    assert only_entry("dismiss_flags").details["flags_resolved"] == 2


@pytest.mark.parametrize("factory", [ResourceFactory, NeedFactory], ids=["resource", "need"])
def test_moderator_locks_and_unlocks_resources_and_needs(factory, mona):
    post = factory()
    actions.lock_content(post, moderator=mona, reason="Heated thread")
    post.refresh_from_db()
    assert post.is_locked
    actions.unlock_content(post, moderator=mona, reason="Calmer now")
    post.refresh_from_db()
    assert not post.is_locked
    assert only_entry("lock").reason == "Heated thread"
    assert only_entry("unlock").target_id == post.pk


def test_responses_and_comments_cannot_be_locked(mona):
    with pytest.raises(ValidationError, match="Only resources and needs"):
        actions.lock_content(CommentFactory(), moderator=mona, reason="x")
    assert not AuditEntry.objects.exists()


def test_moderator_edit_of_a_resource_makes_a_revision(mona):
    resource = ResourceFactory(title="Rubric", body="Call 555-0100 for Jo's grades", version=2)
    actions.edit_content(
        resource, moderator=mona, reason="Student data", title="Rubric", body="[removed]"
    )
    resource.refresh_from_db()
    assert resource.body == "[removed]"
    assert resource.version == 3
    revision = ResourceRevision.objects.get(resource=resource)
    assert revision.number == 3
    assert revision.body == "[removed]"
    assert revision.note == "Moderator edit: Student data"
    assert revision.edited_by == mona
    entry = only_entry("edit")
    assert entry.details["before"]["body"] == "Call 555-0100 for Jo's grades"


@pytest.mark.parametrize(
    ("factory", "field"),
    [(NeedFactory, "details"), (ResponseFactory, "body"), (CommentFactory, "body")],
    ids=["need", "response", "comment"],
)
def test_moderator_can_edit_every_kind_of_post(factory, field, mona):
    post = factory()
    actions.edit_content(post, moderator=mona, reason="Rude words", body="Edited text")
    post.refresh_from_db()
    assert getattr(post, field) == "Edited text"
    assert only_entry("edit").target_kind == post.KIND
    assert not ResourceRevision.objects.exists()


def test_moderator_changes_a_need_title(mona):
    need = NeedFactory(title="Old")
    actions.edit_content(need, moderator=mona, reason="Clarity", title="New", body="d")
    need.refresh_from_db()
    assert need.title == "New"


@pytest.mark.parametrize("reason", ["", "   "])
def test_every_decision_needs_a_reason(flagged, mona, reason):
    for decide in (
        actions.hide_content,
        actions.restore_content,
        actions.dismiss_flags,
        actions.lock_content,
        actions.unlock_content,
    ):
        with pytest.raises(ValidationError, match="reason"):
            decide(flagged, moderator=mona, reason=reason)
    with pytest.raises(ValidationError, match="reason"):
        actions.edit_content(flagged, moderator=mona, reason=reason, body="x")
    with pytest.raises(ValidationError, match="reason"):
        actions.suspend_member(UserFactory(), moderator=mona, reason=reason)
    assert not AuditEntry.objects.exists()


def test_members_cannot_take_moderator_decisions(flagged, bob):
    with pytest.raises(ValidationError, match="Only moderators"):
        actions.hide_content(flagged, moderator=bob, reason="I do not like it")
    flagged.refresh_from_db()
    assert not flagged.is_hidden


def test_moderator_suspends_a_member_until_a_date(bob, mona):
    until = timezone.now() + timedelta(days=7)
    suspension = actions.suspend_member(bob, moderator=mona, reason="Spam", ends_at=until)
    assert active_suspension(bob) == suspension
    assert suspension.moderator == mona
    entry = only_entry("suspend")
    assert (entry.target_kind, entry.target_id, entry.reason) == ("user", bob.pk, "Spam")
    assert entry.details["until"] == until.isoformat()


def test_a_new_suspension_replaces_the_one_in_force(bob, mona):
    first = actions.suspend_member(bob, moderator=mona, reason="One")
    second = actions.suspend_member(bob, moderator=mona, reason="Two")
    first.refresh_from_db()
    assert first.lifted_at is not None
    assert active_suspension(bob) == second


def test_moderators_cannot_be_suspended(mona):
    other_moderator = UserFactory(is_moderator=True)
    with pytest.raises(ValidationError, match="cannot be suspended"):
        actions.suspend_member(other_moderator, moderator=mona, reason="Disagreement")
    assert not Suspension.objects.exists()


def test_a_suspension_must_end_in_the_future(bob, mona):
    with pytest.raises(ValidationError, match="future"):
        actions.suspend_member(
            bob, moderator=mona, reason="x", ends_at=timezone.now() - timedelta(hours=1)
        )


def test_moderator_lifts_a_suspension(bob, mona):
    suspension = actions.suspend_member(bob, moderator=mona, reason="Spam")
    assert actions.lift_suspension(bob, moderator=mona, reason="Apologised") == 1
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert active_suspension(bob) is None
    assert only_entry("lift_suspension").details["lifted"] == [suspension.pk]


def test_lifting_when_not_suspended_says_so(bob, mona):
    with pytest.raises(ValidationError, match="not suspended"):
        actions.lift_suspension(bob, moderator=mona, reason="x")


def test_member_blocks_and_unblocks_another(alice, bob):
    actions.block_member(alice, bob)
    assert has_blocked(alice.pk, bob.pk)
    assert not has_blocked(bob.pk, alice.pk)
    assert actions.unblock_member(alice, bob)
    assert not has_blocked(alice.pk, bob.pk)


def test_blocking_twice_is_harmless_and_unblocking_twice_too(alice, bob):
    first = actions.block_member(alice, bob)
    assert actions.block_member(alice, bob) == first
    assert Block.objects.count() == 1
    assert actions.unblock_member(alice, bob)
    assert not actions.unblock_member(alice, bob)


def test_member_cannot_block_themselves(alice):
    with pytest.raises(ValidationError, match="cannot block yourself"):
        actions.block_member(alice, alice)
    assert not Block.objects.exists()


def test_hiding_a_post_withdraws_the_notifications_about_it(db):
    from kindling.accounts.tests.factories import UserFactory
    from kindling.commons.tests.factories import NeedFactory
    from kindling.moderation import actions as moderation
    from kindling.notifications.models import Notification

    moderator = UserFactory(is_moderator=True)
    need = NeedFactory()
    reader = UserFactory()
    Notification.objects.create(
        recipient=reader,
        verb="new_need",
        target_kind="need",
        target_id=need.pk,
        target_url=need.get_absolute_url(),
        summary=need.title,
    )
    moderation.hide_content(need, moderator=moderator, reason="Spam")
    assert not Notification.objects.filter(target_kind="need", target_id=need.pk).exists()
