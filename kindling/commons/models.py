"""The member space's shared body of knowledge: tags, circles, resources, needs and responses."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindling.accounts.models import GradeBand, Subject
from kindling.commons.querysets import CircleQuerySet, ContentQuerySet, ResponseQuerySet

TITLE_MAX = 200
BODY_MAX = 50_000


class TagKind(models.TextChoices):
    SUBJECT = "subject", _("Subject")
    GRADE_BAND = "grade", _("Grade band")
    HABIT = "habit", _("Habit of mind")
    FREE = "free", _("Tag")


class Tag(models.Model):
    """A label of one of four kinds; subjects, grade bands and habits are a fixed vocabulary."""

    kind = models.CharField(max_length=10, choices=TagKind.choices)
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=60)
    habit = models.OneToOneField(
        "habits.Habit", null=True, blank=True, on_delete=models.CASCADE, related_name="tag"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="tag_unique_kind_slug")
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("commons:tag", args=[self.kind, self.slug])

    @property
    def display_name(self) -> str:
        """The tag's name in the reader's language."""
        if self.kind == TagKind.SUBJECT:
            return str(dict(Subject.choices).get(self.slug, self.name))
        if self.kind == TagKind.GRADE_BAND:
            return str(dict(GradeBand.choices).get(self.slug, self.name))
        if self.kind == TagKind.HABIT:
            return gettext(self.name)
        return self.name


class CircleVisibility(models.TextChoices):
    OPEN = "open", _("Open: any member can see and join")
    INVITE_ONLY = "invite", _("Invite-only: only members see anything inside")


class Circle(models.Model):
    """An affinity group around a shared passion, with its own stream."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    description = models.TextField(_("what this circle is about"), max_length=2000)
    visibility = models.CharField(
        _("who can see it"),
        max_length=10,
        choices=CircleVisibility.choices,
        default=CircleVisibility.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[CircleQuerySet] = CircleQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:detail", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.visibility == CircleVisibility.OPEN


class CircleRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class CircleMembership(models.Model):
    """A member's place in a circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    role = models.CharField(max_length=10, choices=CircleRole.choices, default=CircleRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="circle_membership_unique")
        ]


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class CircleInvitation(models.Model):
    """An owner's invitation for a member to join a circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=Q(status="pending"),
                name="circle_invitation_one_pending",
            )
        ]


class CircleJoinRequest(models.Model):
    """A member's request to join an invite-only circle, decided by an owner."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_join_requests"
    )
    message = models.CharField(_("message to the owners"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "user"],
                condition=Q(status="pending"),
                name="circle_join_request_one_pending",
            )
        ]


class Content(models.Model):
    """Fields shared by everything members post: who, where, when, and moderation state."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey(
        Circle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("circle"),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    is_locked = models.BooleanField(default=False)
    useful_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Where imported content came from and under which licence, shown with it (e.g. CC BY-SA).
    attribution = models.CharField(max_length=300, blank=True)

    objects: ClassVar[ContentQuerySet] = ContentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True


class Resource(Content):
    """A piece of the shared body of knowledge: a lesson, rubric, protocol, idea."""

    KIND = "resource"

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("body"), max_length=BODY_MAX)
    tags = models.ManyToManyField(Tag, blank=True, related_name="resources")
    co_authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coauthored_resources"
    )
    built_on = models.ManyToManyField(
        "self",
        through="Lineage",
        symmetrical=False,
        blank=True,
        related_name="built_upon_by",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-useful_count", "-created_at"], name="resource_useful_idx"),
            models.Index(fields=["author", "-created_at"], name="resource_author_idx"),
            models.Index(fields=["circle", "-created_at"], name="resource_circle_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commons:resource", args=[self.pk])


class Lineage(models.Model):
    """ "Built on": this resource grew out of an earlier one."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    builds_on = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "builds_on"], name="lineage_unique"),
            models.CheckConstraint(
                condition=~Q(resource=models.F("builds_on")), name="lineage_not_self"
            ),
        ]


class ResourceLink(models.Model):
    """A web link listed with a resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)
    label = models.CharField(max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


def attachment_upload_path(instance: ResourceAttachment, filename: str) -> str:
    # A random stored name; the member's file name is kept only as data for the download.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{uuid.uuid4().hex}.{extension}"


class ResourceAttachment(models.Model):
    """A file attached to a resource, served with its checked type."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ResourceRevision(models.Model):
    """The text of a resource as it stood after one save."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="revision_unique_number")
        ]


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Need(Content):
    """A "just in time" need a member states so others can build on it with them."""

    KIND = "need"

    title = models.CharField(_("what do you need?"), max_length=TITLE_MAX)
    details = models.TextField(_("details"), max_length=BODY_MAX, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="needs")
    status = models.CharField(max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    response_count = models.PositiveIntegerField(default=0)
    helped_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="need_status_idx"),
            # "Needs you could help with": open, nobody helped yet, newest first.
            models.Index(fields=["status", "helped_count", "-created_at"], name="need_help_idx"),
            models.Index(fields=["author", "-created_at"], name="need_author_idx"),
            models.Index(fields=["circle", "-created_at"], name="need_circle_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commons:need", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == NeedStatus.OPEN


class NeedInvitation(models.Model):
    """The asker invites a member Kindling suggested to help with their need."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="invitations")
    invited = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "invited"], name="need_invitation_once")
        ]


class Response(models.Model):
    """A member's answer to a need; the asker may mark it as having helped."""

    KIND = "response"

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("your response"), max_length=BODY_MAX)
    resource = models.ForeignKey(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cited_in_responses",
        verbose_name=_("a resource that helps"),
    )
    helped = models.BooleanField(default=False)
    marked_helpful_at = models.DateTimeField(null=True, blank=True)
    useful_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ResponseQuerySet] = ResponseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["author", "-created_at"], name="response_author_idx")]

    def __str__(self) -> str:
        return gettext("Response to “%(need)s”") % {"need": self.need_id}

    def get_absolute_url(self) -> str:
        return reverse("commons:need", args=[self.need_id]) + f"#response-{self.pk}"


class Comment(models.Model):
    """A short remark on a resource or a need."""

    KIND = "comment"

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=5000)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    attribution = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resource__isnull=False) & Q(need__isnull=True))
                | (Q(resource__isnull=True) & Q(need__isnull=False)),
                name="comment_on_exactly_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return self.parent.get_absolute_url() + f"#comment-{self.pk}"

    @property
    def parent(self) -> Resource | Need:
        return self.resource if self.resource_id else self.need  # type: ignore[return-value]


class UsefulVote(models.Model):
    """One member's "useful" vote on a resource, need or response."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="useful_votes"
    )
    kind = models.CharField(max_length=10)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="useful_vote_once")
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="useful_vote_target_idx")]


class Collection(models.Model):
    """A member's named list of resources, public or private."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=500, blank=True)
    is_public = models.BooleanField(_("other members can see it"), default=True)
    resources = models.ManyToManyField(Resource, through="CollectionItem", related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="collection_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commons:collection", args=[self.pk])


class CollectionItem(models.Model):
    """A resource kept in a collection."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "resource"], name="collection_item_once")
        ]
