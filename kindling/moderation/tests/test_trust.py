from datetime import timedelta

import pytest
from django.utils import timezone

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.tests.factories import (
    CommentFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.moderation.models import Suspension
from kindling.moderation.queries import active_suspension
from kindling.moderation.trust import (
    PostingNotAllowed,
    check_can_post,
    count_links,
    is_new_member,
    posting_limits,
)

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def newcomer():
    return UserFactory()


@pytest.fixture
def regular():
    """A member of several days with three visible posts."""
    member = UserFactory(date_joined=days_ago(10))
    ResourceFactory.create_batch(3, author=member, created_at=days_ago(5))
    return member


def test_links_are_counted_once_each_in_markdown_and_url_fields():
    body = (
        "See [the rubric](https://example.org/rubric) and <https://example.org/rubric>, "
        "also www.other.example/page. and http://third.example/a?b=c"
    )
    assert count_links(body, "https://fourth.example", None, "") == 4


def test_links_to_pages_on_this_site_do_not_count():
    assert count_links("Built on [this](/resources/3) and [that](/needs/4/)") == 0


def test_a_new_member_is_new_and_limited():
    member = UserFactory()
    limits = posting_limits(member)
    assert is_new_member(member)
    assert limits.is_new
    assert limits.posts_per_hour == 5
    assert limits.posts_left_this_hour == 5
    assert limits.max_links == 2
    assert not limits.attachments_allowed


def test_new_member_can_post_five_times_an_hour_then_is_refused(newcomer):
    ResourceFactory(author=newcomer)
    NeedFactory(author=newcomer)
    ResponseFactory(author=newcomer)
    CommentFactory(author=newcomer)
    check_can_post(newcomer)  # four in the last hour: a fifth is fine
    CommentFactory(author=newcomer)
    with pytest.raises(PostingNotAllowed, match="5 times an hour"):
        check_can_post(newcomer)


def test_posts_older_than_an_hour_do_not_count_against_the_hourly_limit(newcomer):
    ResourceFactory.create_batch(5, author=newcomer, created_at=timezone.now() - timedelta(hours=2))
    check_can_post(newcomer)


def test_new_member_is_refused_a_third_link(newcomer):
    check_can_post(newcomer, links=2)
    with pytest.raises(PostingNotAllowed, match="at most 2 links") as refused:
        check_can_post(newcomer, links=3)
    assert refused.value.code == "links"


def test_new_member_cannot_attach_files(newcomer):
    with pytest.raises(PostingNotAllowed, match="cannot attach files"):
        check_can_post(newcomer, attachments=1)


def test_posting_not_allowed_is_a_validation_error(newcomer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        check_can_post(newcomer, attachments=1)


def test_limits_lift_after_two_days_and_three_visible_posts(regular):
    assert not is_new_member(regular)
    check_can_post(regular, links=20, attachments=3)
    ResourceFactory.create_batch(6, author=regular)
    check_can_post(regular)


def test_three_posts_are_not_enough_before_the_account_is_two_days_old():
    member = UserFactory(date_joined=days_ago(1))
    ResourceFactory.create_batch(3, author=member)
    assert is_new_member(member)


def test_hidden_posts_do_not_count_towards_leaving_the_new_state():
    member = UserFactory(date_joined=days_ago(10))
    ResourceFactory.create_batch(2, author=member, created_at=days_ago(5))
    ResourceFactory(author=member, created_at=days_ago(5), is_hidden=True)
    assert is_new_member(member)
    CommentFactory(author=member, created_at=days_ago(4))
    assert not is_new_member(member)


def test_a_useful_vote_lifts_the_limits_of_an_older_member():
    member = UserFactory(date_joined=days_ago(3))
    NeedFactory(author=member, useful_count=1)
    assert not is_new_member(member)


def test_a_response_marked_helpful_lifts_the_limits_of_an_older_member():
    member = UserFactory(date_joined=days_ago(3))
    ResponseFactory(author=member, helped=True)
    assert not is_new_member(member)


def test_thresholds_come_from_settings(settings):
    settings.TRUST_LEVEL_UP_DAYS = 0
    settings.TRUST_LEVEL_UP_CONTRIBUTIONS = 1
    settings.TRUST_NEW_MAX_LINKS = 0
    member = UserFactory()
    with pytest.raises(PostingNotAllowed):
        check_can_post(member, links=1)
    ResourceFactory(author=member)
    check_can_post(member, links=1)


def test_suspended_member_cannot_post_and_is_told_until_when_and_why(regular, mona):
    until = timezone.now() + timedelta(days=3)
    Suspension.objects.create(user=regular, moderator=mona, reason="Spam links", ends_at=until)
    with pytest.raises(PostingNotAllowed, match=r"suspended until .*Spam links") as refused:
        check_can_post(regular)
    assert refused.value.code == "suspended"
    assert posting_limits(regular).suspension is not None


def test_an_open_ended_suspension_says_a_moderator_must_lift_it(regular, mona):
    Suspension.objects.create(user=regular, moderator=mona, reason="Harassment")
    with pytest.raises(PostingNotAllowed, match="until a moderator lifts it"):
        check_can_post(regular)


def test_an_ended_or_lifted_suspension_no_longer_stops_posting(regular, mona):
    Suspension.objects.create(
        user=regular, moderator=mona, reason="Over", starts_at=days_ago(3), ends_at=days_ago(1)
    )
    Suspension.objects.create(user=regular, moderator=mona, reason="Lifted", lifted_at=days_ago(1))
    check_can_post(regular)


def test_moderators_and_staff_are_never_limited():
    for member in (UserFactory(is_moderator=True), UserFactory(is_staff=True)):
        ResourceFactory.create_batch(6, author=member)
        assert not is_new_member(member)
        check_can_post(member, links=50, attachments=5)


def test_checking_takes_a_fixed_small_number_of_queries(newcomer, django_assert_num_queries):
    ResourceFactory.create_batch(3, author=newcomer)
    with django_assert_num_queries(1):
        check_can_post(newcomer, links=1)


def test_the_suspension_in_force_is_the_latest_that_has_started(regular, mona):
    Suspension.objects.create(user=regular, moderator=mona, reason="Lifted", lifted_at=days_ago(1))
    Suspension.objects.create(
        user=regular, moderator=mona, reason="Not yet", starts_at=timezone.now() + timedelta(days=1)
    )
    assert posting_limits(regular).suspension is None
    Suspension.objects.create(user=regular, moderator=mona, reason="Older", starts_at=days_ago(5))
    Suspension.objects.create(user=regular, moderator=mona, reason="Latest", starts_at=days_ago(2))
    limits = posting_limits(regular)
    assert limits.suspension is not None
    assert limits.suspension.reason == "Latest"
    assert limits.suspension == active_suspension(regular)


def test_visitors_cannot_post():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PostingNotAllowed):
        check_can_post(AnonymousUser())
