"""Forms for resources, needs, responses, comments and collections."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindling.accounts.forms import CommaListField
from kindling.commons.attachments import ALLOWED_EXTENSIONS, AttachmentRefused, inspect_attachment
from kindling.commons.models import (
    BODY_MAX,
    TITLE_MAX,
    Circle,
    Collection,
    Need,
    Resource,
    Tag,
    TagKind,
)
from kindling.core.submissions import SubmissionTokenField

MAX_FREE_TAGS = 8
MAX_LINKS = 10
FREE_TAG_PATTERN = re.compile(r"^[\w][\w \-]{0,38}[\w]$|^[\w]$", re.UNICODE)
RESOURCE_REFERENCE = re.compile(r"(?:/resources/)?(\d+)/?$")


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes for one fixed kind of tag, labelled in the reader's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(queryset=Tag.objects.filter(kind=kind).select_related("habit"), **kwargs)

    def label_from_instance(self, obj: Tag) -> str:
        return obj.display_name


def clean_title(value: str) -> str:
    title = " ".join(value.split())
    if not title:
        raise ValidationError(_("Please give it a title."))
    return title


def clean_required_text(value: str, message: str) -> str:
    if not value or not value.strip():
        raise ValidationError(message)
    return value.strip()


class TaggedForm(forms.Form):
    """The four kinds of tags, shared by resources and needs."""

    subjects = TagChoiceField(TagKind.SUBJECT, label=_("Subjects"))
    grade_bands = TagChoiceField(TagKind.GRADE_BAND, label=_("Grade bands"))
    habits = TagChoiceField(TagKind.HABIT, label=_("Habits of Mind"))
    free_tags = CommaListField(
        label=_("Other tags"),
        required=False,
        max_length=400,
        help_text=_("Up to 8, separated by commas, for example: rubrics, peer feedback."),
    )

    def clean_free_tags(self) -> list[str]:
        names: list[str] = self.cleaned_data["free_tags"]
        if len(names) > MAX_FREE_TAGS:
            raise ValidationError(
                gettext("Please use at most %(count)d tags.") % {"count": MAX_FREE_TAGS}
            )
        bad = [name for name in names if not FREE_TAG_PATTERN.match(name) or not slugify(name)]
        if bad:
            raise ValidationError(
                gettext(
                    "Tags may use letters, numbers, spaces and hyphens, up to 40 characters: "
                    "“%(tag)s” does not fit."
                )
                % {"tag": bad[0]}
            )
        return names

    def chosen_tags(self) -> tuple[list[Tag], list[str]]:
        """The fixed-vocabulary tags chosen, and the free tag names typed."""
        fixed = [
            *self.cleaned_data.get("subjects", []),
            *self.cleaned_data.get("grade_bands", []),
            *self.cleaned_data.get("habits", []),
        ]
        return fixed, self.cleaned_data.get("free_tags", [])

    def initial_from_tags(self, tags: list[Tag]) -> None:
        self.initial.update(
            {
                "subjects": [t.slug for t in tags if t.kind == TagKind.SUBJECT],
                "grade_bands": [t.slug for t in tags if t.kind == TagKind.GRADE_BAND],
                "habits": [t.slug for t in tags if t.kind == TagKind.HABIT],
                "free_tags": [t.name for t in tags if t.kind == TagKind.FREE],
            }
        )


class CircleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Circle) -> str:
        return obj.name


def _circle_field(user: Any) -> CircleChoiceField:
    return CircleChoiceField(
        queryset=Circle.objects.joined_by(user).order_by("name"),
        required=False,
        label=_("Share in a circle"),
        empty_label=_("The whole community"),
        help_text=_("Content in an invite-only circle is seen only by its members."),
    )


class ResourceForm(TaggedForm):
    """Create or edit a resource."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Please give it a title.")},
    )
    body = forms.CharField(
        label=_("The resource"),
        max_length=BODY_MAX,
        error_messages={"required": _("Please write the resource.")},
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown works: **bold**, *italic*, lists, links, tables."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the address, then optionally a space and a label."),
    )
    built_on = CommaListField(
        label=_("Builds on"),
        required=False,
        max_length=1000,
        help_text=_("Links or numbers of the resources this one grew out of, separated by commas."),
    )
    co_authors = CommaListField(
        label=_("Co-authors"),
        required=False,
        max_length=1000,
        help_text=_("E-mail addresses or display names of members who made this with you."),
    )
    attachment = forms.FileField(
        label=_("Attach a file"),
        required=False,
        help_text=_("PDF, image, Word, PowerPoint, Excel, OpenDocument, text or CSV."),
    )
    note = forms.CharField(label=_("What changed?"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = SubmissionTokenField()

    field_order = [
        "title",
        "body",
        "links",
        "attachment",
        "subjects",
        "grade_bands",
        "habits",
        "free_tags",
        "built_on",
        "co_authors",
        "circle",
        "note",
    ]

    def __init__(self, *args: Any, user: Any, instance: Resource | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        self.fields["circle"] = _circle_field(user)
        if instance is None:
            del self.fields["note"]
        else:
            # The circle of existing content does not move: that would change who can see it.
            del self.fields["circle"]

    def clean_title(self) -> str:
        return clean_title(self.cleaned_data["title"])

    def clean_body(self) -> str:
        return clean_required_text(self.cleaned_data["body"], gettext("Please write the resource."))

    def clean_links(self) -> list[tuple[str, str]]:
        validate = URLValidator(schemes=["http", "https"])
        links: list[tuple[str, str]] = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            if not line.strip():
                continue
            url, _, label = line.strip().partition(" ")
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    gettext("Line %(n)d is not a web address starting with http:// or https://.")
                    % {"n": number}
                ) from None
            if len(url) > 500:
                raise ValidationError(gettext("Line %(n)d is too long.") % {"n": number})
            links.append((url, label.strip()[:120]))
        if len(links) > MAX_LINKS:
            raise ValidationError(gettext("Please list at most %(n)d links.") % {"n": MAX_LINKS})
        return links

    def clean_built_on(self) -> list[Resource]:
        from kindling.commons.queries import would_make_a_cycle

        references: list[str] = self.cleaned_data["built_on"]
        ids: list[int] = []
        for reference in references:
            match = RESOURCE_REFERENCE.search(reference.strip())
            if not match:
                raise ValidationError(
                    gettext("“%(ref)s” is not a link to a resource or a resource number.")
                    % {"ref": reference}
                )
            ids.append(int(match.group(1)))
        if len(ids) > 10:
            raise ValidationError(gettext("A resource can build on at most 10 others."))
        found = {r.pk: r for r in Resource.objects.listed_for(self.user).filter(pk__in=ids)}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(
                gettext("We could not find resource %(ids)s.") % {"ids": ", ".join(missing)}
            )
        if self.instance is not None:
            if self.instance.pk in found:
                raise ValidationError(gettext("A resource cannot build on itself."))
            cycle = would_make_a_cycle(self.instance.pk, ids)
            if cycle:
                raise ValidationError(
                    gettext("Resource %(ids)s already builds on this one.")
                    % {"ids": ", ".join(str(i) for i in sorted(cycle))}
                )
        return [found[i] for i in dict.fromkeys(ids)]

    def clean_co_authors(self) -> list[Any]:
        from kindling.accounts.models import User

        names: list[str] = self.cleaned_data["co_authors"]
        people: list[Any] = []
        for name in names[:20]:
            match = User.objects.filter(is_active=True).filter(
                Q(email__iexact=name) | Q(profile__display_name__iexact=name)
            )
            found = list(match[:2])
            if len(found) != 1:
                raise ValidationError(
                    gettext("We could not find exactly one member called “%(name)s”.")
                    % {"name": name}
                    if not found
                    else gettext("More than one member is called “%(name)s”; use their e-mail.")
                    % {"name": name}
                )
            if found[0].pk != self.user.pk and found[0] not in people:
                people.append(found[0])
        return people

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if not isinstance(upload, UploadedFile):
            return None
        limit = settings.ATTACHMENT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                gettext("That file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        try:
            facts = inspect_attachment(upload.name or "", upload)
        except AttachmentRefused:
            raise ValidationError(
                gettext(
                    "Kindling cannot accept that file. Allowed: %(types)s, and the file must "
                    "really be what its name says."
                )
                % {"types": ", ".join(ALLOWED_EXTENSIONS)}
            ) from None
        self.attachment_facts = facts
        return upload


class NeedForm(TaggedForm):
    """State a need (or edit one's own)."""

    title = forms.CharField(
        label=_("What do you need?"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Please give it a title.")},
        help_text=_("One sentence, for example: a rubric for a 7th-grade science project."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who it is for, by when, what you have tried. Markdown works."),
    )

    submission = SubmissionTokenField()

    field_order = ["title", "details", "subjects", "grade_bands", "habits", "free_tags", "circle"]

    def __init__(self, *args: Any, user: Any, instance: Need | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.instance = instance
        if instance is None:
            self.fields["circle"] = _circle_field(user)

    def clean_title(self) -> str:
        return clean_title(self.cleaned_data["title"])


class ResponseForm(forms.Form):
    body = forms.CharField(
        label=_("Your response"),
        max_length=BODY_MAX,
        error_messages={"required": _("Please write a response.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works."),
    )
    resource = forms.CharField(
        label=_("A resource that helps"),
        required=False,
        max_length=300,
        help_text=_("Optional: the link or number of a resource in Kindling."),
    )
    submission = SubmissionTokenField()

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_body(self) -> str:
        return clean_required_text(self.cleaned_data["body"], gettext("Please write a response."))

    def clean_resource(self) -> Resource | None:
        reference = self.cleaned_data["resource"].strip()
        if not reference:
            return None
        match = RESOURCE_REFERENCE.search(reference)
        resource = (
            Resource.objects.listed_for(self.user).filter(pk=int(match.group(1))).first()
            if match
            else None
        )
        if resource is None:
            raise ValidationError(gettext("We could not find that resource."))
        return resource


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a comment.")},
    )
    submission = SubmissionTokenField()

    def clean_body(self) -> str:
        return clean_required_text(self.cleaned_data["body"], gettext("Please write a comment."))


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["name", "description", "is_public"]
        error_messages = {"name": {"required": _("Please give it a name.")}}

    def __init__(self, *args: Any, owner: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name = clean_title(self.cleaned_data["name"])
        clash = Collection.objects.filter(owner=self.owner, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(gettext("You already have a collection with that name."))
        return name
