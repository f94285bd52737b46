import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kindling.commons import actions
from kindling.commons.models import Lineage, Resource, ResourceRevision, Tag, UsefulVote
from kindling.commons.tests.factories import (
    CircleFactory,
    CircleMembershipFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def members_are_trusted(settings):
    # Trust limits have their own tests; here every member counts as established.
    settings.TRUST_LEVEL_UP_DAYS = 0
    settings.TRUST_LEVEL_UP_CONTRIBUTIONS = 0


def resource_data(**overrides):
    data = {
        "title": "A rubric for 7th-grade science projects",
        "body": "Four criteria:\n\n- Question\n- Evidence\n- Reasoning\n- Communication",
        "links": "https://example.org/rubric A printable copy",
        "subjects": ["science"],
        "grade_bands": ["6-8"],
        "habits": ["striving-for-accuracy"],
        "free_tags": "rubrics, project-based learning",
        "built_on": "",
        "co_authors": "",
    }
    data.update(overrides)
    return data


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_member_publishes_a_resource_with_tags_links_and_a_first_revision(alice_client, alice):
    response = alice_client.post(reverse("commons:resource_create"), resource_data())
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.author == alice
    assert {t.slug for t in resource.tags.all()} == {
        "science",
        "6-8",
        "striving-for-accuracy",
        "rubrics",
        "project-based-learning",
    }
    assert [(link.url, link.label) for link in resource.links.all()] == [
        ("https://example.org/rubric", "A printable copy")
    ]
    assert ResourceRevision.objects.get(resource=resource).number == 1
    page = alice_client.get(resource.get_absolute_url()).content.decode()
    assert "A rubric for 7th-grade science projects" in page
    assert "<li>Evidence</li>" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "Please give it a title."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"body": ""}, "Please write the resource."),
        ({"body": "x" * 50_001}, "at most 50000 characters"),
        ({"subjects": ["astrology"]}, "Select a valid choice"),
        ({"habits": ["procrastinating"]}, "Select a valid choice"),
        ({"free_tags": "<script>"}, "does not fit"),
        ({"free_tags": ", ".join(f"t{i}" for i in range(9))}, "at most 8 tags"),
        ({"links": "javascript:alert(1)"}, "is not a web address"),
        ({"links": "ftp://example.org/file"}, "is not a web address"),
        ({"built_on": "99999"}, "We could not find resource 99999"),
        ({"built_on": "not a link"}, "is not a link to a resource"),
        ({"co_authors": "nobody@example.org"}, "could not find exactly one member"),
    ],
)
def test_bad_resource_input_gets_a_clear_message_and_keeps_the_text(alice_client, changes, message):
    data = resource_data(**changes)
    response = alice_client.post(reverse("commons:resource_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    if data["title"].strip() and len(data["title"]) <= 200:
        assert data["title"] in page
    assert not Resource.objects.exists()


def test_resource_builds_on_another_and_lineage_shows_both_ways(alice_client, bob_client, bob):
    original = ResourceFactory(author=bob, title="Bob's original rubric")
    alice_client.post(
        reverse("commons:resource_create"),
        resource_data(built_on=f"http://testserver/resources/{original.pk}/"),
    )
    newer = Resource.objects.exclude(pk=original.pk).get()
    assert Lineage.objects.filter(resource=newer, builds_on=original).exists()
    page = bob_client.get(original.get_absolute_url()).content.decode()
    assert newer.title in page
    assert "<svg" in page
    page = alice_client.get(newer.get_absolute_url()).content.decode()
    assert "Bob&#x27;s original rubric" in page or "Bob's original rubric" in page


def test_lineage_cannot_loop(alice_client, alice):
    first = ResourceFactory(author=alice)
    second = ResourceFactory(author=alice)
    Lineage.objects.create(resource=second, builds_on=first)
    data = resource_data(built_on=str(second.pk), version=first.version, title=first.title)
    response = alice_client.post(reverse("commons:resource_edit", args=[first.pk]), data)
    assert "already builds on this one" in response.content.decode()


def test_lineage_page_uses_a_bounded_number_of_queries(
    bob_client, alice, django_assert_max_num_queries
):
    root = ResourceFactory(author=alice)
    previous = root
    for _ in range(6):
        child = ResourceFactory(author=alice)
        Lineage.objects.create(resource=child, builds_on=previous)
        previous = child
    with django_assert_max_num_queries(30):
        response = bob_client.get(root.get_absolute_url())
    assert response.status_code == 200


def test_editing_makes_a_revision_and_history_shows_the_difference(alice_client, alice):
    resource = ResourceFactory(author=alice, body="Line one\nLine two")
    ResourceRevision.objects.create(
        resource=resource, number=1, title=resource.title, body=resource.body, edited_by=alice
    )
    data = resource_data(
        title=resource.title, body="Line one\nLine 2, clearer", version=1, note="Clearer"
    )
    assert (
        alice_client.post(reverse("commons:resource_edit", args=[resource.pk]), data).status_code
        == 302
    )
    resource.refresh_from_db()
    assert resource.version == 2
    history = alice_client.get(
        reverse("commons:resource_history", args=[resource.pk]), {"from": 1, "to": 2}
    )
    page = history.content.decode()
    assert "Line 2, clearer" in page
    assert "diff__removed" in page
    assert "Clearer" in page


def test_second_editor_is_told_and_shown_the_difference_not_silently_overwritten(
    alice_client, alice, bob
):
    resource = ResourceFactory(author=alice, body="Original text")
    resource.co_authors.add(bob)
    actions.update_resource(
        resource, editor=bob, expected_version=1, title=resource.title, body="Bob's text"
    )
    data = resource_data(title=resource.title, body="Alice's text", version=1)
    response = alice_client.post(reverse("commons:resource_edit", args=[resource.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this resource" in page
    assert "Alice&#x27;s text" in page or "Alice's text" in page
    resource.refresh_from_db()
    assert resource.body == "Bob's text"
    # Saving again, now knowingly, keeps Alice's version.
    data["version"] = resource.version
    assert (
        alice_client.post(reverse("commons:resource_edit", args=[resource.pk]), data).status_code
        == 302
    )
    resource.refresh_from_db()
    assert resource.body == "Alice's text"


def test_only_authors_co_authors_and_moderators_may_edit(bob_client, alice, bob):
    resource = ResourceFactory(author=alice)
    assert bob_client.get(reverse("commons:resource_edit", args=[resource.pk])).status_code == 403
    response = bob_client.post(
        reverse("commons:resource_edit", args=[resource.pk]), resource_data(version=1)
    )
    assert response.status_code == 403
    bob.is_moderator = True
    bob.save()
    assert bob_client.get(reverse("commons:resource_edit", args=[resource.pk])).status_code == 200


def test_attachment_is_stored_and_served_as_a_download_with_its_checked_type(
    alice_client, bob_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Lesson plan.docx", docx_bytes(), "application/octet-stream")
    alice_client.post(reverse("commons:resource_create"), resource_data(attachment=upload))
    resource = Resource.objects.get()
    attachment = resource.attachments.get()
    assert attachment.original_name == "Lesson plan.docx"
    download = bob_client.get(reverse("commons:attachment", args=[resource.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download["Content-Disposition"]
    assert "Lesson plan.docx" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("notes.txt", b"<script>alert(1)</script>"),
        ("rubric.pdf", b"MZ\x90\x00 this is a Windows program"),
        ("slides.pptx", b"PK\x03\x04 not really a zip"),
        ("report.docx", b"%PDF-1.4 a pdf wearing a docx name"[:0] + b"\x00\x01\x02"),
    ],
)
def test_mislabelled_or_dangerous_files_are_refused(
    alice_client, name, content, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = alice_client.post(
        reverse("commons:resource_create"), resource_data(attachment=upload)
    )
    assert "Kindling cannot accept that file" in response.content.decode()
    assert not Resource.objects.exists()


def test_oversized_file_is_refused(alice_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 2048
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 5000)
    response = alice_client.post(
        reverse("commons:resource_create"), resource_data(attachment=upload)
    )
    assert "the limit is 2.0" in response.content.decode()


def test_hostile_markdown_is_rendered_inert(bob_client, alice):
    resource = ResourceFactory(
        author=alice,
        body="<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(1)>",
    )
    page = bob_client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert 'href="javascript:' not in page
    assert "<img src=x onerror" not in page


def test_useful_vote_counts_once_and_toggles_and_own_vote_is_refused(
    alice_client, bob_client, alice
):
    resource = ResourceFactory(author=alice)
    url = reverse("commons:vote", args=["resource", resource.pk])
    bob_client.post(url)
    resource.refresh_from_db()
    assert resource.useful_count == 1
    bob_client.post(url)
    resource.refresh_from_db()
    assert resource.useful_count == 0
    response = alice_client.post(url, follow=True)
    assert "You cannot mark your own contribution as useful." in response.content.decode()
    assert not UsefulVote.objects.filter(user=alice).exists()


def test_vote_with_htmx_returns_the_button_only(bob_client, alice):
    resource = ResourceFactory(author=alice)
    response = bob_client.post(
        reverse("commons:vote", args=["resource", resource.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'aria-pressed="true"' in page
    assert "<html" not in page


def test_voting_on_unknown_kinds_and_ids_is_a_404(bob_client):
    assert bob_client.post(reverse("commons:vote", args=["circle", 1])).status_code == 404
    assert bob_client.post(reverse("commons:vote", args=["resource", 999999])).status_code == 404


def test_comments_are_added_and_empty_ones_refused(bob_client, alice):
    resource = ResourceFactory(author=alice)
    url = reverse("commons:comment_add", args=["resource", resource.pk])
    bob_client.post(url, {"body": "Lovely, thank you."})
    resource.refresh_from_db()
    assert resource.comment_count == 1
    response = bob_client.post(url, {"body": "   "}, follow=True)
    assert "Please write a comment." in response.content.decode()


def test_locked_resource_takes_no_comments(bob_client, alice):
    resource = ResourceFactory(author=alice, is_locked=True)
    response = bob_client.post(
        reverse("commons:comment_add", args=["resource", resource.pk]), {"body": "Hi"}, follow=True
    )
    assert "locked" in response.content.decode()
    assert resource.comments.count() == 0


def test_collections_keep_resources_and_private_ones_stay_private(alice_client, bob_client, alice):
    resource = ResourceFactory()
    alice_client.post(
        reverse("commons:collection_create"),
        {"name": "Rubrics", "description": "", "is_public": "", "resource": resource.pk},
    )
    collection = alice.collections.get()
    assert list(collection.items.values_list("resource_id", flat=True)) == [resource.pk]
    assert alice_client.get(collection.get_absolute_url()).status_code == 200
    assert bob_client.get(collection.get_absolute_url()).status_code == 404
    response = alice_client.post(
        reverse("commons:collection_create"), {"name": "rubrics", "description": ""}
    )
    assert "already have a collection with that name" in response.content.decode()


def test_resource_list_runs_a_fixed_number_of_queries(bob_client, django_assert_num_queries):
    ResourceFactory.create_batch(2)
    with django_assert_num_queries(7) as first:
        bob_client.get(reverse("commons:resource_list"))
    for resource in ResourceFactory.create_batch(15):
        resource.tags.add(Tag.objects.get(kind="subject", slug="science"))
    with django_assert_num_queries(len(first.captured_queries)):
        bob_client.get(reverse("commons:resource_list"))


def test_resource_detail_runs_a_fixed_number_of_queries(
    bob_client, alice, django_assert_num_queries
):
    resource = ResourceFactory(author=alice)
    with django_assert_num_queries(12) as first:  # tags, links, files and co-authors: 4
        bob_client.get(resource.get_absolute_url())
    with django_assert_num_queries(8):  # those four from the cache
        bob_client.get(resource.get_absolute_url())
    for _ in range(5):
        actions.add_comment(resource, author=alice, body="More")
        resource.tags.add(*Tag.objects.filter(kind="habit")[:3])
    Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())  # as actions do
    with django_assert_num_queries(len(first.captured_queries)):
        bob_client.get(resource.get_absolute_url())
    with django_assert_num_queries(8):
        bob_client.get(resource.get_absolute_url())


def test_the_resource_page_shows_its_tags_links_files_and_co_authors_as_they_are_now(
    alice_client, bob_client, alice, bob, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Lesson plan.docx", docx_bytes(), "application/octet-stream")
    alice_client.post(reverse("commons:resource_create"), resource_data(attachment=upload))
    resource = Resource.objects.get()
    page = bob_client.get(resource.get_absolute_url()).content.decode()  # cached now
    assert "A printable copy" in page
    assert "Lesson plan.docx" in page
    assert "/tags/free/rubrics/" in page
    assert "Edit</a>" not in page
    response = alice_client.post(
        reverse("commons:resource_edit", args=[resource.pk]),
        resource_data(
            links="https://example.org/other Another copy",
            free_tags="exit tickets",
            co_authors=bob.email,
            version=resource.version,
        ),
    )
    assert response.status_code == 302
    page = bob_client.get(resource.get_absolute_url()).content.decode()
    assert "A printable copy" not in page
    assert "Another copy" in page
    assert "/tags/free/rubrics/" not in page
    assert "/tags/free/exit-tickets/" in page
    assert bob.profile.display_name in page
    assert "Edit</a>" in page  # a co-author now
    attachment = resource.attachments.get()
    alice_client.post(reverse("commons:attachment_delete", args=[resource.pk, attachment.pk]))
    assert "Lesson plan.docx" not in bob_client.get(resource.get_absolute_url()).content.decode()


def test_visitors_must_sign_in_to_see_the_commons(client, alice):
    resource = ResourceFactory(author=alice)
    for url in [
        reverse("commons:resource_list"),
        resource.get_absolute_url(),
        reverse("commons:need_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_invite_only_circle_resource_is_a_404_for_outsiders(bob_client, alice):
    circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=circle, user=alice)
    resource = ResourceFactory(author=alice, circle=circle)
    assert bob_client.get(resource.get_absolute_url()).status_code == 404
    assert resource.title not in bob_client.get(reverse("commons:resource_list")).content.decode()


def test_sharing_into_a_circle_needs_membership(alice_client, alice):
    circle = CircleFactory(visibility="open")
    CircleMembershipFactory(circle=circle, user=alice)
    alice_client.post(reverse("commons:resource_create"), resource_data(circle=circle.pk))
    assert Resource.objects.get().circle == circle
    other = CircleFactory(visibility="open")
    response = alice_client.post(reverse("commons:resource_create"), resource_data(circle=other.pk))
    assert "Select a valid choice" in response.content.decode()


def test_lineage_leaves_out_what_the_viewer_may_not_see(alice, bob):
    from kindling.accounts.tests.factories import UserFactory
    from kindling.commons.queries import lineage_for
    from kindling.commons.tests.factories import CircleFactory, CircleMembershipFactory

    secret_circle = CircleFactory(visibility="invite")
    CircleMembershipFactory(circle=secret_circle, user=alice)
    root = ResourceFactory(author=bob, title="Public root")
    secret = ResourceFactory(author=alice, circle=secret_circle, title="Circle-only remix")
    hidden = ResourceFactory(author=alice, is_hidden=True, title="Hidden remix")
    grandchild = ResourceFactory(author=bob, title="Built on the secret one")
    for child in (secret, hidden):
        Lineage.objects.create(resource=child, builds_on=root)
    Lineage.objects.create(resource=grandchild, builds_on=secret)

    def titles(viewer):
        _back, forward, drawing = lineage_for(root, viewer)
        return {node.title for node in forward}, {box.title for box in drawing.boxes}

    assert titles(bob) == (set(), {"Public root"})  # nor what is reached only through it
    assert titles(alice) == (
        {"Circle-only remix"},
        {"Public root", "Circle-only remix", "Built on the secret one"},
    )
    moderator = UserFactory(is_moderator=True)
    assert titles(moderator)[0] == {"Circle-only remix"}  # hidden stays out of lineage
