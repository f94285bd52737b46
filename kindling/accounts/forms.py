"""Forms for joining Kindling and keeping a profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kindling.accounts import actions
from kindling.accounts.audio import AudioError, inspect_audio
from kindling.accounts.languages import find_language, language_name
from kindling.accounts.models import GradeBand, Profile, Subject, User, time_zone_choices

MAX_INTERESTS = 20
MAX_INTEREST_LENGTH = 40


class SignupExtraForm(forms.Form):
    """The fields Kindling adds to allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Your name, as others will see it"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_code_of_conduct = forms.BooleanField(
        label=_("I have read the code of conduct and agree to follow it."),
        error_messages={"required": _("Please read and accept the code of conduct to join.")},
    )

    field_order = ["display_name", "email", "password1", "password2", "accept_code_of_conduct"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        actions.complete_signup_profile(
            user,
            display_name=self.cleaned_data["display_name"],
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        )


class CommaListField(forms.CharField):
    """A list typed as comma-separated words, shown back the same way."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        seen: list[str] = []
        for item in text.replace(";", ",").split(","):
            cleaned = " ".join(item.split())
            if cleaned and cleaned.casefold() not in {s.casefold() for s in seen}:
                seen.append(cleaned)
        return seen


class LanguagesField(CommaListField):
    """Languages typed by name (English or Spanish) or ISO 639 code, stored as codes."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(language_name(code) for code in value)
        return value

    def clean(self, value: Any) -> list[str]:
        names = super().clean(value)
        codes: list[str] = []
        unknown: list[str] = []
        for name in names:
            code = find_language(name)
            if code is None:
                unknown.append(name)
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise forms.ValidationError(
                gettext(
                    "We could not find these languages: %(names)s. Use the language's name, "
                    "such as “Spanish” or “Vietnamese”, or its ISO 639 code, such as “es”."
                )
                % {"names": ", ".join(unknown)}
            )
        if len(codes) > 20:
            raise forms.ValidationError(gettext("Please list at most 20 languages."))
        return codes


class ProfileForm(forms.ModelForm):
    """Everything a member can say about themselves, including how to say their name."""

    languages = LanguagesField(
        label=_("Languages I speak"),
        required=False,
        max_length=400,
        help_text=_("Separate languages with commas, for example: English, Spanish, Hmong."),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"),
        choices=Subject.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    grade_bands = forms.MultipleChoiceField(
        label=_("Grade bands"),
        choices=GradeBand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = CommaListField(
        label=_("Interests"),
        required=False,
        max_length=800,
        help_text=_(
            "Separate interests with commas, for example: project-based learning, robotics."
        ),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    pronunciation_audio = forms.FileField(
        label=_("Recording of my name"),
        required=False,
        help_text=_("Record in the browser or upload a short clip (WebM, Ogg, MP3, M4A or WAV)."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "pronunciation",
            "pronunciation_audio",
            "pronouns",
            "languages",
            "role",
            "subjects",
            "grade_bands",
            "interests",
            "professional_goals",
            "bio",
            "time_zone",
        ]
        widgets = {
            "professional_goals": forms.Textarea(attrs={"rows": 3}),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please tell us what to call you."))
        return name

    def clean_interests(self) -> list[str]:
        interests: list[str] = self.cleaned_data["interests"]
        if len(interests) > MAX_INTERESTS:
            raise forms.ValidationError(
                gettext("Please list at most %(count)d interests.") % {"count": MAX_INTERESTS}
            )
        too_long = [item for item in interests if len(item) > MAX_INTEREST_LENGTH]
        if too_long:
            raise forms.ValidationError(
                gettext("Keep each interest under %(length)d characters: “%(item)s” is longer.")
                % {"length": MAX_INTEREST_LENGTH, "item": too_long[0]}
            )
        return interests

    def clean_pronunciation_audio(self) -> Any:
        upload = self.cleaned_data.get("pronunciation_audio")
        if not isinstance(upload, UploadedFile):
            return upload  # unchanged, cleared (False) or empty
        limit = settings.PRONUNCIATION_AUDIO_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                gettext("That recording is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        upload.seek(0)
        try:
            facts = inspect_audio(upload)
        except AudioError:
            raise forms.ValidationError(
                gettext(
                    "That file is not an audio recording we can play. "
                    "Please record again or upload a WebM, Ogg, MP3, M4A or WAV file."
                )
            ) from None
        finally:
            upload.seek(0)
        max_seconds = settings.PRONUNCIATION_AUDIO_MAX_SECONDS
        if facts.seconds > max_seconds + 0.5:
            raise forms.ValidationError(
                gettext("That recording lasts %(seconds)d seconds; please keep it under %(max)d.")
                % {"seconds": round(facts.seconds), "max": max_seconds}
            )
        upload.name = f"name.{facts.extension}"
        self.audio_content_type = facts.content_type
        return upload

    def save(self, commit: bool = True) -> Profile:
        profile: Profile = super().save(commit=False)
        content_type = getattr(self, "audio_content_type", None)
        if content_type:
            profile.pronunciation_audio_type = content_type
        elif not profile.pronunciation_audio:
            profile.pronunciation_audio_type = ""
        if commit:
            profile.save()
        return profile
