"""Invite-only circles keep their inside to themselves.

Olive owns the invite-only "Quiet room"; Mia is a member who posted a resource, a need, a
response and a comment there. Everyone else is tried in turn: a member who never joined, one
who is invited but has not accepted, one who asked and waits, one who left, one who was removed.
None of them may learn anything about what is inside. Members and moderators see it all.
"""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import NoReverseMatch, reverse

from kindling.accounts.tests.factories import UserFactory
from kindling.commons import circle_actions
from kindling.commons.kinds import get_visible_content
from kindling.commons.models import Lineage, Need, Resource, Response
from kindling.commons.tests.factories import (
    CircleFactory,
    CommentFactory,
    FreeTagFactory,
    NeedFactory,
    ResourceFactory,
    ResponseFactory,
)
from kindling.notifications.models import Follow

pytestmark = pytest.mark.django_db

SECRET_RESOURCE = "Secret rubric for the quiet room"
SECRET_NEED = "Secret need about a hard parent meeting"
MEMBER_NAME = "Mia Hidden-Member"
OUTSIDERS = ["never_joined", "invited", "asked", "left", "removed"]
INSIDERS = ["member", "owner", "moderator", "superuser"]


class QuietRoom:
    """The invite-only circle, its people and what was posted in it (plus public controls)."""

    def __init__(self) -> None:
        self.owner = UserFactory(profile__display_name="Olive Owner")
        self.member = UserFactory(profile__display_name=MEMBER_NAME)
        self.circle = circle_actions.create_circle(
            self.owner,
            name="Quiet room",
            description="A place to think aloud.",
            visibility="invite",
        )
        self._let_in(self.member)
        # Seven members, so a leaked count would read "7 members".
        for _number in range(5):
            self._let_in(UserFactory())
        self.tag = FreeTagFactory(slug="quiet-tag")
        self.resource = ResourceFactory(
            author=self.member, circle=self.circle, title=SECRET_RESOURCE
        )
        self.resource.tags.add(self.tag)
        self.need = NeedFactory(author=self.member, circle=self.circle, title=SECRET_NEED)
        self.need.tags.add(self.tag)
        self.response = ResponseFactory(need=self.need, author=self.member)
        self.comment = CommentFactory(resource=self.resource, author=self.member)
        self.need_comment = CommentFactory(resource=None, need=self.need, author=self.member)
        self.public_resource = ResourceFactory(author=self.member, title="Public rubric")
        self.public_resource.tags.add(self.tag)
        self.public_need = NeedFactory(author=self.member, title="Public need")
        self.public_need.tags.add(self.tag)

    def _let_in(self, user):
        invitation = circle_actions.invite_to_circle(
            self.circle, invited_by=self.owner, invitee=user
        )
        circle_actions.accept_invitation(invitation, user=user)

    def viewer(self, kind: str):
        """A member in the named relation to the circle."""
        if kind == "member":
            return self.member
        if kind == "owner":
            return self.owner
        if kind == "moderator":
            return UserFactory(is_moderator=True)
        if kind == "superuser":
            return UserFactory(is_superuser=True)
        user = UserFactory()
        if kind == "invited":
            circle_actions.invite_to_circle(self.circle, invited_by=self.owner, invitee=user)
        elif kind == "asked":
            circle_actions.request_to_join(self.circle, user=user, message="Let me in")
        elif kind == "left":
            self._let_in(user)
            circle_actions.leave_circle(self.circle, user=user)
        elif kind == "removed":
            self._let_in(user)
            circle_actions.remove_member(self.circle, user, acting_user=self.owner)
        return user


@pytest.fixture
def room(db):
    return QuietRoom()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hidden_things(room: QuietRoom):
    return [
        (Resource.KIND, room.resource.pk),
        (Need.KIND, room.need.pk),
        (Response.KIND, room.response.pk),
        ("comment", room.comment.pk),
        ("comment", room.need_comment.pk),
    ]


# --- Querysets and the (kind, id) lookup --------------------------------------------------------


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_nothing_from_the_circle_through_the_querysets(room, kind):
    viewer = room.viewer(kind)
    assert not Resource.objects.visible_to(viewer).filter(pk=room.resource.pk).exists()
    assert not Resource.objects.listed_for(viewer).filter(circle=room.circle).exists()
    assert not Need.objects.visible_to(viewer).filter(pk=room.need.pk).exists()
    assert not Need.objects.listed_for(viewer).filter(circle=room.circle).exists()
    assert not Response.objects.visible_to(viewer).filter(pk=room.response.pk).exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_a_404_for_every_piece_of_circle_content(room, kind):
    viewer = room.viewer(kind)
    for content_kind, object_id in hidden_things(room):
        with pytest.raises(Http404):
            get_visible_content(viewer, content_kind, object_id)


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_tag_streams_and_counts_leave_out_circle_content_for_outsiders(room, kind):
    viewer = room.viewer(kind)
    resources = Resource.objects.listed_for(viewer).filter(tags=room.tag)
    needs = Need.objects.listed_for(viewer).filter(tags=room.tag)
    assert list(resources) == [room.public_resource]
    assert list(needs) == [room.public_need]
    assert resources.count() == 1
    assert needs.count() == 1
    assert Resource.objects.visible_to(viewer).filter(author=room.member).count() == 1
    assert Response.objects.visible_to(viewer).filter(author=room.member).count() == 0


@pytest.mark.parametrize("kind", [*OUTSIDERS, "owner", "moderator", "superuser"])
def test_the_home_stream_and_lineage_show_circle_content_only_to_insiders(room, kind):
    viewer = room.viewer(kind)
    for followed_kind, object_id in (("tag", room.tag.pk), ("user", room.member.pk)):
        Follow.objects.create(user=viewer, kind=followed_kind, object_id=object_id)
    Resource.objects.filter(pk=room.resource.pk).update(useful_count=3)  # "most useful" too
    Lineage.objects.create(resource=room.public_resource, builds_on=room.resource)
    hidden = ResourceFactory(author=room.member, title="Hidden rubric", is_hidden=True)
    hidden.tags.add(room.tag)
    client = client_for(viewer)
    home = client.get(reverse("home")).content.decode()
    lineage = client.get(room.public_resource.get_absolute_url()).content.decode()
    insider = kind not in OUTSIDERS
    assert "Public rubric" in home
    assert "Public need" in home
    assert (SECRET_RESOURCE in home) is insider
    assert (SECRET_NEED in home) is insider
    assert (SECRET_RESOURCE in lineage) is insider
    assert "Hidden rubric" not in home


@pytest.mark.parametrize("kind", [*OUTSIDERS, *INSIDERS])
def test_a_profile_lists_circle_contributions_only_for_insiders(room, kind):
    public_need = NeedFactory(author=room.owner, title="Open question on grading")
    ResponseFactory(need=public_need, author=room.member, helped=True)
    hidden_need = NeedFactory(author=room.owner, title="Hidden question", is_hidden=True)
    ResponseFactory(need=hidden_need, author=room.member)
    profile = room.member.profile.get_absolute_url()
    page = client_for(room.viewer(kind)).get(profile).content.decode()
    insider = kind in INSIDERS
    assert "Public rubric" in page
    assert "Open question on grading" in page
    assert (SECRET_RESOURCE in page) is insider
    assert (SECRET_NEED in page) is insider  # as a need, and as what a response answered
    assert ("Hidden question" in page) is (kind in ("moderator", "superuser"))


@pytest.mark.parametrize("kind", ["never_joined", "left", "member", "moderator"])
def test_a_tag_page_counts_circle_content_only_for_insiders(room, kind):
    for _number in range(19):  # 20 public resources with the tag: exactly one page
        ResourceFactory(author=room.owner).tags.add(room.tag)
    ResourceFactory(author=room.owner, is_hidden=True).tags.add(room.tag)
    page = client_for(room.viewer(kind)).get(room.tag.get_absolute_url()).content.decode()
    assert ("Page 1 of 2" in page) is (kind in INSIDERS)


@pytest.mark.parametrize("kind", INSIDERS)
def test_members_and_moderators_see_the_circle_content(room, kind):
    viewer = room.viewer(kind)
    assert Resource.objects.listed_for(viewer).filter(tags=room.tag).count() == 2
    assert Need.objects.listed_for(viewer).filter(tags=room.tag).count() == 2
    assert Response.objects.visible_to(viewer).filter(pk=room.response.pk).exists()
    for content_kind, object_id in hidden_things(room):
        assert get_visible_content(viewer, content_kind, object_id).pk == object_id


@pytest.mark.parametrize("kind", [*OUTSIDERS, *INSIDERS])
def test_detail_pages_decide_visibility_as_the_querysets_do(room, kind):
    from kindling.commons.querysets import may_view

    viewer = room.viewer(kind)
    open_circle = CircleFactory(visibility="open")
    posts = [
        factory(author=author, circle=circle, is_hidden=hidden)
        for factory in (ResourceFactory, NeedFactory)
        for circle in (None, open_circle, room.circle)
        for hidden in (False, True)
        for author in (room.member, viewer)
    ]
    for post in posts:
        model = type(post)
        loaded = model.objects.select_related("circle").get(pk=post.pk)
        expected = model.objects.visible_to(viewer).filter(pk=post.pk).exists()
        assert may_view(viewer, loaded) is expected, (model.KIND, post.circle, post.is_hidden)


def test_signed_out_visitors_see_nothing_at_all(room):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert not Resource.objects.visible_to(visitor).exists()
    assert not Need.objects.visible_to(visitor).exists()
    for content_kind, object_id in hidden_things(room):
        with pytest.raises(Http404):
            get_visible_content(visitor, content_kind, object_id)
    response = Client().get(room.circle.get_absolute_url())
    assert response.status_code == 302


# --- Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_the_circle_page_hides_the_stream_members_and_counts_from_outsiders(room, kind):
    response = client_for(room.viewer(kind)).get(room.circle.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quiet room" in page
    assert "A place to think aloud." in page
    assert "Olive Owner" in page  # owners are who outsiders ask
    assert SECRET_RESOURCE not in page
    assert SECRET_NEED not in page
    assert MEMBER_NAME not in page
    assert "7 members" not in page
    assert "Only members see what is shared" in page
    assert "resources" not in response.context
    assert "members" not in response.context


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_the_members_page_is_refused_to_outsiders(room, kind):
    response = client_for(room.viewer(kind)).get(
        reverse("circles:members", args=[room.circle.slug])
    )
    assert response.status_code == 403
    assert MEMBER_NAME not in response.content.decode()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_the_circle_list_shows_no_member_count_to_outsiders(room, kind):
    page = client_for(room.viewer(kind)).get(reverse("circles:list")).content.decode()
    assert "Quiet room" in page
    assert "Invite-only" in page
    assert "7 members" not in page


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_a_404_from_the_resource_and_need_pages(room, kind):
    client = client_for(room.viewer(kind))
    try:
        urls = [room.resource.get_absolute_url(), room.need.get_absolute_url()]
    except NoReverseMatch:
        pytest.skip("The resource and need pages are not registered yet.")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET_RESOURCE not in response.content.decode()


@pytest.mark.parametrize("kind", ["member", "owner", "moderator"])
def test_members_and_moderators_see_the_whole_circle_page(room, kind):
    client = client_for(room.viewer(kind))
    page = client.get(room.circle.get_absolute_url()).content.decode()
    assert SECRET_RESOURCE in page
    assert SECRET_NEED in page
    assert MEMBER_NAME in page
    assert "7 members" in page
    members = client.get(reverse("circles:members", args=[room.circle.slug]))
    assert members.status_code == 200
    assert MEMBER_NAME in members.content.decode()
    listing = client.get(reverse("circles:list")).content.decode()
    assert "7 members" in listing


def test_a_member_who_leaves_loses_access_at_once(room):
    client = client_for(room.member)
    assert SECRET_RESOURCE in client.get(room.circle.get_absolute_url()).content.decode()
    circle_actions.leave_circle(room.circle, user=room.member)
    page = client.get(room.circle.get_absolute_url()).content.decode()
    assert SECRET_RESOURCE not in page
    assert not Need.objects.visible_to(room.member).filter(pk=room.need.pk).exists()
    with pytest.raises(Http404):
        get_visible_content(room.member, "need", room.need.pk)


def test_an_invitation_opens_the_circle_only_once_it_is_accepted(room):
    newcomer = UserFactory()
    invitation = circle_actions.invite_to_circle(
        room.circle, invited_by=room.owner, invitee=newcomer
    )
    assert not Resource.objects.visible_to(newcomer).filter(pk=room.resource.pk).exists()
    circle_actions.accept_invitation(invitation, user=newcomer)
    assert Resource.objects.visible_to(newcomer).filter(pk=room.resource.pk).exists()
    assert SECRET_NEED in client_for(newcomer).get(room.circle.get_absolute_url()).content.decode()


def test_making_a_circle_invite_only_hides_what_was_already_posted(db):
    owner = UserFactory()
    outsider = UserFactory()
    circle = circle_actions.create_circle(
        owner, name="Was open", description="Open at first.", visibility="open"
    )
    resource = ResourceFactory(author=owner, circle=circle, title="Posted while open")
    assert Resource.objects.visible_to(outsider).filter(pk=resource.pk).exists()
    circle_actions.update_circle(
        circle, acting_user=owner, name="Was open", description="Closed now.", visibility="invite"
    )
    assert not Resource.objects.visible_to(outsider).filter(pk=resource.pk).exists()
    page = client_for(outsider).get(circle.get_absolute_url()).content.decode()
    assert "Posted while open" not in page
