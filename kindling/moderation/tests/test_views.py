from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kindling.accounts.tests.factories import UserFactory
from kindling.commons.models import Resource, ResourceRevision
from kindling.commons.tests.factories import (
    CommentFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.core.models import AuditEntry
from kindling.moderation import actions
from kindling.moderation.models import Flag, Suspension
from kindling.moderation.queries import active_suspension

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(alice, bob, carol):
    resource = ResourceFactory(author=alice, title="Free iPads for every class")
    actions.flag_content(bob, "resource", resource.pk, reason="spam", text="An advert")
    actions.flag_content(carol, "resource", resource.pk, reason="off_topic")
    return resource


def moderation_urls(resource, member):
    """Every moderation page and form, as (method, url)."""
    review = {"kind": "resource", "object_id": resource.pk}
    return [
        ("get", reverse("moderation:queue")),
        ("get", reverse("moderation:hidden")),
        ("get", reverse("moderation:audit")),
        ("get", reverse("moderation:review", kwargs=review)),
        ("get", reverse("moderation:edit", kwargs=review)),
        ("post", reverse("moderation:edit", kwargs=review)),
        *[
            ("post", reverse("moderation:decide", kwargs={**review, "decision": decision}))
            for decision in ("hide", "restore", "dismiss", "lock", "unlock")
        ],
        ("get", reverse("moderation:member", args=[member.pk])),
        ("post", reverse("moderation:suspend", args=[member.pk])),
        ("post", reverse("moderation:lift", args=[member.pk])),
    ]


def test_members_who_are_not_moderators_get_403_everywhere(bob_client, flagged, carol):
    for method, url in moderation_urls(flagged, carol):
        response = getattr(bob_client, method)(url, {"hide-reason": "x", "suspend-reason": "x"})
        assert response.status_code == 403, url
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert not Suspension.objects.exists()


def test_visitors_are_sent_to_sign_in_everywhere(client, flagged, carol):
    for method, url in moderation_urls(flagged, carol):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response["Location"]


def test_superusers_count_as_moderators(client, flagged):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("moderation:queue")).status_code == 200


# --- Queue -------------------------------------------------------------------------------------


def test_queue_lists_each_flagged_post_once_with_its_flags(mona_client, flagged):
    response = mona_client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Free iPads for every class") == 1
    assert "2 flags" in page
    assert "Spam or advertising (1)" in page
    assert "Off-topic (1)" in page
    assert "An advert" in page
    assert "Alice Martín" in page
    assert reverse("moderation:review", args=["resource", flagged.pk]) in page


def test_queue_shows_newest_flagged_first_and_leaves_out_resolved(mona_client, mona, bob):
    older, newer, resolved = ResourceFactory.create_batch(3)
    actions.flag_content(bob, "resource", older.pk, reason="spam")
    Flag.objects.update(created_at=timezone.now() - timedelta(hours=1))
    actions.flag_content(bob, "resource", newer.pk, reason="spam")
    actions.flag_content(bob, "resource", resolved.pk, reason="spam")
    actions.dismiss_flags(resolved, moderator=mona, reason="fine")
    page = mona_client.get(reverse("moderation:queue")).content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert resolved.title not in page


def test_queue_leaves_out_flags_on_deleted_posts(mona_client, bob):
    doomed = ResourceFactory()
    actions.flag_content(bob, "resource", doomed.pk, reason="spam")
    doomed.delete()
    response = mona_client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    assert "Nothing is waiting" in response.content.decode()


def test_queue_shows_every_kind_of_post(mona_client, bob):
    posts = [ResourceFactory(), NeedFactory(), ResponseFactory(), CommentFactory()]
    for post in posts:
        actions.flag_content(bob, post.KIND, post.pk, reason="harmful")
    page = mona_client.get(reverse("moderation:queue")).content.decode()
    for post in posts:
        assert reverse("moderation:review", args=[post.KIND, post.pk]) in page


def queries_for(client, url):
    """How many queries a page takes (the site's header and context processors included)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def flag_resources(count, reporter):
    for resource in ResourceFactory.create_batch(count):
        actions.flag_content(reporter, "resource", resource.pk, reason="spam")


def test_queue_takes_the_same_queries_for_one_or_ten_flagged_posts(
    mona_client, bob, carol, django_assert_num_queries
):
    url = reverse("moderation:queue")
    flag_resources(1, bob)
    with_one = queries_for(mona_client, url)
    flag_resources(9, carol)
    # Besides the session, the user and the site header: the count, the page of targets,
    # their posts (one query per kind) and their open flags.
    with django_assert_num_queries(with_one):
        response = mona_client.get(url)
    assert response.content.decode().count("Review</a>") == 10


def test_queue_with_every_kind_takes_one_more_query_per_kind(mona_client, bob, carol):
    url = reverse("moderation:queue")
    flag_resources(1, bob)
    with_one = queries_for(mona_client, url)
    for post in (NeedFactory(), ResponseFactory(), CommentFactory()):
        actions.flag_content(carol, post.KIND, post.pk, reason="spam")
    assert queries_for(mona_client, url) == with_one + 3


def test_hidden_tab_takes_the_same_queries_for_one_or_ten_hidden_posts(
    mona_client, mona, django_assert_num_queries
):
    url = reverse("moderation:hidden")
    resources = ResourceFactory.create_batch(10)
    actions.hide_content(resources[0], moderator=mona, reason="Spam")
    with_one = queries_for(mona_client, url)
    for resource in resources[1:]:
        actions.hide_content(resource, moderator=mona, reason="Spam")
    with django_assert_num_queries(with_one):
        response = mona_client.get(url)
    assert response.content.decode().count("Why hidden: Spam") == 10


def test_hidden_tab_lists_hidden_posts_of_every_kind(mona_client, mona):
    visible = ResourceFactory(title="Still visible")
    posts = [ResourceFactory(), NeedFactory(), ResponseFactory(), CommentFactory()]
    for post in posts:
        actions.hide_content(post, moderator=mona, reason="Rude")
    page = mona_client.get(reverse("moderation:hidden")).content.decode()
    for post in posts:
        assert reverse("moderation:review", args=[post.KIND, post.pk]) in page
    assert visible.title not in page


# --- Review and decisions ----------------------------------------------------------------------


def test_review_page_shows_the_post_its_flags_and_the_decisions(mona_client, flagged):
    response = mona_client.get(reverse("moderation:review", args=["resource", flagged.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Free iPads for every class" in page
    assert "2 open flags" in page
    for decision in ("hide", "dismiss", "lock"):
        assert reverse("moderation:decide", args=["resource", flagged.pk, decision]) in page


@pytest.mark.parametrize(
    "url",
    [
        "/moderation/review/resource/999999/",
        "/moderation/review/planet/1/",
        "/moderation/review/resource/99999999999999999999999/",
    ],
)
def test_review_of_no_such_post_is_404(mona_client, url):
    assert mona_client.get(url).status_code == 404


def test_moderator_hides_a_post_from_the_review_page(mona_client, mona, flagged):
    url = reverse("moderation:decide", args=["resource", flagged.pk, "hide"])
    response = mona_client.post(url, {"hide-reason": "Advertising"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.is_hidden
    assert AuditEntry.objects.get(action="hide").actor == mona
    page = mona_client.get(reverse("moderation:queue")).content.decode()
    assert "Free iPads" not in page


def test_decision_without_a_reason_is_refused_with_a_clear_message(mona_client, flagged):
    url = reverse("moderation:decide", args=["resource", flagged.pk, "hide"])
    response = mona_client.post(url, {"hide-reason": "  "})
    assert response.status_code == 200
    assert "Please give a reason" in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert not AuditEntry.objects.exists()


def test_each_decision_works_from_the_review_page(mona_client, flagged):
    def decide(decision):
        url = reverse("moderation:decide", args=["resource", flagged.pk, decision])
        assert mona_client.post(url, {f"{decision}-reason": "Because"}).status_code == 302
        flagged.refresh_from_db()

    decide("lock")
    assert flagged.is_locked
    decide("unlock")
    assert not flagged.is_locked
    decide("dismiss")
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    decide("hide")
    assert flagged.is_hidden
    decide("restore")
    assert not flagged.is_hidden
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "lock",
        "unlock",
        "dismiss_flags",
        "hide",
        "restore",
    ]


def test_locking_a_comment_says_it_cannot_be_done(mona_client):
    comment = CommentFactory()
    url = reverse("moderation:decide", args=["comment", comment.pk, "lock"])
    response = mona_client.post(url, {"lock-reason": "x"}, follow=True)
    assert "Only resources and needs can be locked." in response.content.decode()


def test_unknown_decision_is_404_and_get_is_405(mona_client, flagged):
    assert (
        mona_client.post(
            reverse("moderation:decide", args=["resource", flagged.pk, "delete"]), {}
        ).status_code
        == 404
    )
    assert (
        mona_client.get(
            reverse("moderation:decide", args=["resource", flagged.pk, "hide"])
        ).status_code
        == 405
    )


def test_moderator_edits_a_resource_and_a_revision_is_kept(mona_client, mona, flagged):
    url = reverse("moderation:edit", args=["resource", flagged.pk])
    assert mona_client.get(url).status_code == 200
    response = mona_client.post(
        url, {"title": "A tidy title", "body": "Clean text", "reason": "Removed an advert"}
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert (flagged.title, flagged.body, flagged.version) == ("A tidy title", "Clean text", 2)
    revision = ResourceRevision.objects.get(resource=flagged)
    assert revision.note == "Moderator edit: Removed an advert"


def test_edit_without_a_reason_keeps_what_the_moderator_typed(mona_client, flagged):
    url = reverse("moderation:edit", args=["comment", CommentFactory().pk])
    response = mona_client.post(url, {"body": "My careful rewrite", "reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please give a reason" in page
    assert "My careful rewrite" in page


def test_edit_refuses_an_overlong_title(mona_client, flagged):
    url = reverse("moderation:edit", args=["resource", flagged.pk])
    response = mona_client.post(url, {"title": "t" * 201, "body": "b", "reason": "r"})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert Resource.objects.get(pk=flagged.pk).title == "Free iPads for every class"


# --- Members -----------------------------------------------------------------------------------


def test_moderator_suspends_a_member_with_an_end_date(mona_client, bob):
    until = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = mona_client.post(
        reverse("moderation:suspend", args=[bob.pk]),
        {"suspend-reason": "Spam links", "suspend-until": until},
    )
    assert response.status_code == 302
    suspension = active_suspension(bob)
    assert suspension is not None
    assert suspension.ends_at.date().isoformat() == until
    assert AuditEntry.objects.get(action="suspend").target_id == bob.pk
    page = mona_client.get(reverse("moderation:member", args=[bob.pk])).content.decode()
    assert "Spam links" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"suspend-reason": ""}, "Please give a reason"),
        ({"suspend-reason": "x", "suspend-until": "2001-01-01"}, "Choose a day after today"),
        ({"suspend-reason": "x", "suspend-until": "someday"}, "Enter a date"),
    ],
)
def test_bad_suspension_input_gets_a_clear_message(mona_client, bob, data, message):
    response = mona_client.post(reverse("moderation:suspend", args=[bob.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Suspension.objects.exists()


def test_moderator_page_says_moderators_cannot_be_suspended(mona_client):
    other = UserFactory(is_moderator=True)
    response = mona_client.post(
        reverse("moderation:suspend", args=[other.pk]), {"suspend-reason": "x"}
    )
    assert response.status_code == 200
    assert "cannot be suspended" in response.content.decode()
    assert not Suspension.objects.exists()


def test_moderator_lifts_a_suspension(mona_client, mona, bob):
    actions.suspend_member(bob, moderator=mona, reason="Spam")
    response = mona_client.post(
        reverse("moderation:lift", args=[bob.pk]), {"lift-reason": "Apologised"}
    )
    assert response.status_code == 302
    assert active_suspension(bob) is None
    assert AuditEntry.objects.get(action="lift_suspension").reason == "Apologised"


def test_member_page_of_no_such_member_is_404(mona_client):
    assert mona_client.get(reverse("moderation:member", args=[999999])).status_code == 404


# --- Audit log ---------------------------------------------------------------------------------


def test_audit_log_lists_entries_and_filters_by_action(mona_client, mona, flagged, bob):
    actions.lock_content(flagged, moderator=mona, reason="Locked for calm")
    actions.suspend_member(bob, moderator=mona, reason="Suspended for spam")
    page = mona_client.get(reverse("moderation:audit")).content.decode()
    assert "Locked for calm" in page
    assert "Suspended for spam" in page
    filtered = mona_client.get(reverse("moderation:audit"), {"action": "lock"}).content.decode()
    assert "Locked for calm" in filtered
    assert "Suspended for spam" not in filtered
    unknown = mona_client.get(reverse("moderation:audit"), {"action": "<script>"})
    assert unknown.status_code == 200


def test_audit_log_takes_the_same_queries_for_one_or_ten_entries(
    mona_client, mona, django_assert_num_queries
):
    url = reverse("moderation:audit")
    resources = ResourceFactory.create_batch(10)
    actions.lock_content(resources[0], moderator=mona, reason="r")
    with_one = queries_for(mona_client, url)
    for resource in resources[1:]:
        actions.lock_content(resource, moderator=mona, reason="r")
    with django_assert_num_queries(with_one):
        mona_client.get(url)


def test_moderation_link_is_in_the_header_for_moderators_only(client, mona, bob):
    queue_url = f'href="{reverse("moderation:queue")}"'
    client.force_login(mona)
    assert queue_url in client.get(reverse("accounts:member_list")).content.decode()
    client.force_login(bob)
    assert queue_url not in client.get(reverse("accounts:member_list")).content.decode()
