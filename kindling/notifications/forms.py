"""Forms for following things and choosing notification e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kindling.notifications.models import FollowKind, NotificationSettings

# Ids are 64-bit; anything larger cannot name a row and must not reach the database.
MAX_ID = 2**63 - 1


class FollowForm(forms.Form):
    """What to follow or stop following, and where to go afterwards."""

    kind = forms.ChoiceField(choices=FollowKind.choices)
    object_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    next = forms.CharField(required=False, max_length=2000)


class EmailSettingsForm(forms.ModelForm):
    """How often notifications arrive by e-mail."""

    class Meta:
        model = NotificationSettings
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
        help_texts = {
            "email_mode": _(
                "Notifications always wait for you on Kindling; this only chooses the e-mail."
            )
        }
