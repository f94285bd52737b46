import pytest
from django.core.cache import cache
from django.urls import reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons import actions
from kindling.commons.models import Need, Response
from kindling.commons.tests.factories import NeedFactory, ResourceFactory, ResponseFactory
from kindling.moderation.models import Block

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def members_are_trusted(settings):
    # Trust limits have their own tests; here every member counts as established.
    settings.TRUST_LEVEL_UP_DAYS = 0
    settings.TRUST_LEVEL_UP_CONTRIBUTIONS = 0


def test_member_posts_a_need_and_follows_it(alice_client, alice):
    response = alice_client.post(
        reverse("commons:need_create"),
        {
            "title": "A project rubric by tomorrow",
            "details": "7th grade science",
            "subjects": ["science"],
        },
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.author == alice
    assert need.is_open
    from kindling.notifications.queries import is_following

    assert is_following(alice, "need", need.pk)


def test_empty_need_title_is_refused_and_details_are_kept(alice_client):
    response = alice_client.post(
        reverse("commons:need_create"), {"title": "  ", "details": "Keep me"}
    )
    page = response.content.decode()
    assert "Please give it a title." in page
    assert "Keep me" in page


def test_responding_counts_and_links_a_resource(bob_client, bob, alice):
    need = NeedFactory(author=alice)
    resource = ResourceFactory()
    bob_client.post(
        reverse("commons:need_respond", args=[need.pk]),
        {"body": "Here is mine.", "resource": f"/resources/{resource.pk}/"},
    )
    need.refresh_from_db()
    assert need.response_count == 1
    assert Response.objects.get().resource == resource


def test_an_empty_response_keeps_the_page_and_says_why(bob_client, alice):
    need = NeedFactory(author=alice)
    response = bob_client.post(
        reverse("commons:need_respond", args=[need.pk]), {"body": " ", "resource": "abc"}
    )
    page = response.content.decode()
    assert "Please write a response." in page
    assert "We could not find that resource." in page


def test_asker_marks_several_responses_helpful_and_others_cannot(
    alice_client, bob_client, alice, bob
):
    need = NeedFactory(author=alice)
    first, second = ResponseFactory(need=need), ResponseFactory(need=need)
    for item in (first, second):
        alice_client.post(reverse("commons:response_helpful", args=[item.pk]), {"helped": "1"})
    need.refresh_from_db()
    assert need.helped_count == 2
    assert (
        bob_client.post(
            reverse("commons:response_helpful", args=[first.pk]), {"helped": "0"}
        ).status_code
        == 403
    )
    alice_client.post(reverse("commons:response_helpful", args=[first.pk]), {"helped": "0"})
    need.refresh_from_db()
    assert need.helped_count == 1


def test_asker_closes_the_need_and_no_one_can_respond_then(alice_client, bob_client, alice):
    need = NeedFactory(author=alice)
    assert (
        bob_client.post(
            reverse("commons:need_status", args=[need.pk]), {"status": "closed"}
        ).status_code
        == 403
    )
    alice_client.post(reverse("commons:need_status", args=[need.pk]), {"status": "closed"})
    need.refresh_from_db()
    assert not need.is_open
    response = bob_client.post(reverse("commons:need_respond", args=[need.pk]), {"body": "Late"})
    assert "This need is closed" in response.content.decode()
    assert need.responses.count() == 0


def test_a_blocked_member_cannot_respond(bob_client, alice, bob):
    Block.objects.create(blocker=alice, blocked=bob)
    need = NeedFactory(author=alice)
    response = bob_client.post(reverse("commons:need_respond", args=[need.pk]), {"body": "Hi"})
    assert "You cannot reply to this member." in response.content.decode()
    assert need.responses.count() == 0


def test_need_filters(bob_client, alice):
    open_need = NeedFactory(author=alice, title="Still open and unanswered")
    helped = NeedFactory(author=alice, title="Already helped", helped_count=1, response_count=1)
    closed = NeedFactory(author=alice, title="All done", status="closed")

    def page(show):
        return bob_client.get(reverse("commons:need_list"), {"show": show}).content.decode()

    assert open_need.title in page("unanswered")
    assert helped.title not in page("unanswered")
    assert helped.title in page("helped")
    assert open_need.title not in page("helped")
    assert closed.title in page("closed")
    assert closed.title not in page("open")


def test_need_with_twenty_responses_runs_a_fixed_number_of_queries(
    bob_client, alice, django_assert_num_queries
):
    need = NeedFactory(author=alice)
    ResponseFactory(need=need)
    with django_assert_num_queries(11):  # the need's tags, and the responses' texts and authors
        bob_client.get(need.get_absolute_url())
    with django_assert_num_queries(9):  # both from the cache
        bob_client.get(need.get_absolute_url())
    ResponseFactory.create_batch(19, need=need, author=UserFactory())
    with django_assert_num_queries(10):  # the new responses' texts, in one query
        response = bob_client.get(need.get_absolute_url())
    assert response.content.decode().count('class="response') >= 20
    with django_assert_num_queries(9):
        again = bob_client.get(need.get_absolute_url())
    assert again.content.decode().count('class="response') >= 20


def test_a_need_page_shows_its_tags_as_they_are_now(alice_client, bob_client, alice):
    need = actions.create_need(
        alice, title="Help with fractions", details="Grade 5.", fixed_tags=[], free_tags=["maths"]
    )
    assert "/tags/free/maths/" in bob_client.get(need.get_absolute_url()).content.decode()
    actions.update_need(
        need, editor=alice, title=need.title, details=need.details, free_tags=["fractions"]
    )
    page = bob_client.get(need.get_absolute_url()).content.decode()
    assert "/tags/free/maths/" not in page
    assert "/tags/free/fractions/" in page


def test_need_list_runs_a_fixed_number_of_queries(bob_client, django_assert_num_queries):
    NeedFactory.create_batch(2)
    with django_assert_num_queries(7) as first:
        bob_client.get(reverse("commons:need_list"))
    NeedFactory.create_batch(15)
    with django_assert_num_queries(len(first.captured_queries)):
        bob_client.get(reverse("commons:need_list"))


def test_home_stream_shows_needs_matching_the_members_subjects(bob_client, bob, alice):
    bob.profile.subjects = ["science"]
    bob.profile.save()
    need = NeedFactory(author=alice, title="Science rubric please")
    from kindling.commons.models import Tag

    need.tags.add(Tag.objects.get(kind="subject", slug="science"))
    page = bob_client.get(reverse("home")).content.decode()
    assert "Science rubric please" in page


def test_home_stream_runs_a_fixed_number_of_queries(bob_client, alice, django_assert_num_queries):
    NeedFactory.create_batch(2, author=alice)
    ResourceFactory(author=alice, useful_count=1)
    with django_assert_num_queries(12) as first:
        bob_client.get(reverse("home"))
    NeedFactory.create_batch(10, author=alice)
    ResourceFactory.create_batch(10, author=alice)
    cache.clear()
    with django_assert_num_queries(len(first.captured_queries)):
        bob_client.get(reverse("home"))
    # With the cards cached, no rows, authors or tags are loaded at all.
    with django_assert_num_queries(len(first.captured_queries) - 4):
        bob_client.get(reverse("home"))


def test_tag_page_lists_tagged_content(bob_client, alice):
    from kindling.commons.models import Tag

    tag = Tag.objects.get(kind="habit", slug="persisting")
    resource = ResourceFactory(author=alice, title="Grit journal prompts")
    resource.tags.add(tag)
    page = bob_client.get(tag.get_absolute_url()).content.decode()
    assert "Grit journal prompts" in page
    assert bob_client.get(reverse("commons:tag", args=["bogus", "x"])).status_code == 404


def test_tag_filters_are_probed_row_by_row_on_postgresql(alice, bob):
    """The home stream and tag pages walk newest first; a hashed subplan would read every
    match of a popular tag first (see ProbedExists)."""
    from django.db import connection

    from kindling.commons.models import Resource, Tag
    from kindling.commons.queries import resource_list, tagged_with

    tag = Tag.objects.get(kind="habit", slug="persisting")
    tagged = ResourceFactory(author=alice)
    tagged.tags.add(tag)
    ResourceFactory(author=alice)
    queryset = resource_list(bob).filter(tagged_with(Resource, [tag.pk]))
    assert [resource.pk for resource in queryset] == [tagged.pk]
    sql, _params = queryset.query.get_compiler(connection=connection).as_sql()
    assert ("OFFSET 0)" in sql) == (connection.vendor == "postgresql")


def test_each_response_links_to_its_flag_page(bob_client, alice):
    import html
    import re

    need = NeedFactory(author=alice)
    response = ResponseFactory(need=need)
    ResponseFactory(need=need)
    page = bob_client.get(need.get_absolute_url()).content.decode()
    links = re.findall(r'<a class="flag-link" href="([^"]+)"', page)
    assert len(links) == 2
    target = html.unescape(next(link for link in links if f"object_id={response.pk}" in link))
    flag_page = bob_client.get(target)
    assert flag_page.status_code == 200
    assert flag_page.context["target"] == response
    assert flag_page.context["next"] == f"{need.get_absolute_url()}#response-{response.pk}"
