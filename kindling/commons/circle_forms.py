"""Forms for circles: creating and editing one, asking to join, inviting a member."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindling.commons.circle_queries import find_members_by_address_or_name
from kindling.commons.models import Circle, CircleJoinRequest, CircleVisibility


def _one_line(text: str) -> str:
    return " ".join(text.split())


class CircleForm(forms.ModelForm):
    """A circle's name, purpose and who can see inside it."""

    confirm_open = forms.BooleanField(
        label=_(
            "I understand that opening this circle lets every member see everything posted in it."
        ),
        required=False,
    )

    class Meta:
        model = Circle
        fields = ["name", "description", "visibility"]
        labels = {
            "name": _("Name"),
            "description": _("What this circle is about"),
            "visibility": _("Who can see inside"),
        }
        help_texts = {
            "name": _("For example: “Project-based learning in middle school”."),
            "description": _("Who it is for and what you share here. You can use Markdown."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }
        error_messages = {
            "name": {"required": _("Please give the circle a name.")},
            "description": {"required": _("Please say what the circle is about.")},
            "visibility": {"required": _("Choose whether the circle is open or invite-only.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.was_invite_only = bool(
            self.instance.pk and self.instance.visibility == CircleVisibility.INVITE_ONLY
        )
        if not self.was_invite_only:
            del self.fields["confirm_open"]

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data.get("name") or "")
        if not name:
            raise forms.ValidationError(gettext("Please give the circle a name."))
        return name

    def clean_description(self) -> str:
        description = (self.cleaned_data.get("description") or "").strip()
        if not description:
            raise forms.ValidationError(gettext("Please say what the circle is about."))
        return description

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.was_invite_only
            and cleaned.get("visibility") == CircleVisibility.OPEN
            and not cleaned.get("confirm_open")
        ):
            self.add_error(
                "confirm_open",
                gettext(
                    "Opening the circle shows everything its members posted to every member. "
                    "Tick this box if that is what you want."
                ),
            )
        return cleaned


class JoinRequestForm(forms.ModelForm):
    """A short note to a circle's owners when asking to join."""

    class Meta:
        model = CircleJoinRequest
        fields = ["message"]
        labels = {"message": _("A note to the owners")}
        help_texts = {"message": _("Why you would like to join, in a sentence or two.")}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def clean_message(self) -> str:
        return (self.cleaned_data.get("message") or "").strip()


class InviteForm(forms.Form):
    """Who an owner invites: a member's e-mail address or exact display name."""

    who = forms.CharField(
        label=_("E-mail address or exact display name"),
        max_length=254,
        error_messages={"required": _("Type the e-mail address or name of the member to invite.")},
    )

    def clean_who(self) -> Any:
        text = _one_line(self.cleaned_data.get("who") or "")
        matches = find_members_by_address_or_name(text)
        if not matches:
            raise forms.ValidationError(
                gettext("No member has the e-mail address or display name “%(text)s”.")
                % {"text": text}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                gettext("More than one member is called “%(text)s”: use their e-mail address.")
                % {"text": text}
            )
        self.invitee = matches[0]
        return text
