"""Forms for flagging, moderators' decisions and suspensions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kindling.commons.kinds import CONTENT_MODELS
from kindling.commons.models import TITLE_MAX
from kindling.moderation.content import BODY_FIELDS, TITLED_KINDS
from kindling.moderation.models import FlagReason

# The largest id a database key can hold; anything bigger is no post at all (404, not a crash).
MAX_ID = 2**63 - 1
REASON_REQUIRED = _("Please give a reason; it is kept in the audit log.")


class FlagForm(forms.Form):
    """A member's report of a post."""

    kind = forms.ChoiceField(choices=[(kind, kind) for kind in CONTENT_MODELS])
    object_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=[("", _("Choose a reason")), *FlagReason.choices],
        error_messages={
            "required": _("Please choose why you are flagging this."),
            "invalid_choice": _("Please choose a reason from the list."),
        },
    )
    text = forms.CharField(
        label=_("Tell the moderators more"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    """The reason every moderator decision needs."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Kept in the audit log; the member may be shown it."),
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, reason_label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_label:
            # Several decisions share a page; each reason field says which decision it is for.
            self.fields["reason"].label = reason_label


class EditContentForm(ReasonForm):
    """A moderator's change to a post's text."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)

    field_order = ["title", "body", "reason"]

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind not in TITLED_KINDS:
            del self.fields["title"]
        model_field: Any = CONTENT_MODELS[kind]._meta.get_field(BODY_FIELDS[kind])
        self.fields["body"] = forms.CharField(
            label=_("Text"),
            max_length=model_field.max_length,
            required=not model_field.blank,  # a need's details may be empty
            strip=False,
            widget=forms.Textarea(attrs={"rows": 14}),
            help_text=_("Markdown, as the author wrote it."),
        )
        self.order_fields(self.field_order)


class SuspendForm(ReasonForm):
    """A moderator's suspension of a member."""

    until = forms.DateField(
        label=_("Until"),
        required=False,
        help_text=_(
            "The suspension ends as this day begins, in your time zone. "
            "Leave it empty to suspend until a moderator lifts it."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, for example 2026-12-31.")},
    )

    def clean_until(self) -> datetime.date | None:
        until: datetime.date | None = self.cleaned_data.get("until")
        if until is not None and until <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return until

    @property
    def ends_at(self) -> datetime.datetime | None:
        """The start of the chosen day, in the moderator's time zone."""
        until: datetime.date | None = self.cleaned_data.get("until")
        if until is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))


class AuditFilterForm(forms.Form):
    """The audit log's filter by action."""

    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["action"]
        field.choices = [("", _("All actions")), *((action, action) for action in actions)]
