"""People: the custom user (signs in by e-mail) and the profile every member shows."""

from __future__ import annotations

import uuid
import zoneinfo
from functools import cache
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kindling.accounts.languages import language_name


class KindlingUserManager(UserManager["User"]):
    """Creates users from an e-mail address instead of a username."""

    use_in_migrations = True

    def _create_user_by_email(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user_by_email(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user_by_email(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    code_of_conduct_version = models.CharField(max_length=20, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("Can review flags, hide and restore content.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[KindlingUserManager] = KindlingUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.display_name if profile else self.email

    def get_short_name(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    COACH = "coach", _("Coach")
    SCHOOL_LEADER = "school_leader", _("School leader")
    OTHER = "other", _("Other")


class Subject(models.TextChoices):
    MATHEMATICS = "mathematics", _("Mathematics")
    SCIENCE = "science", _("Science")
    ENGLISH_LANGUAGE_ARTS = "ela", _("English language arts")
    SOCIAL_STUDIES = "social_studies", _("Social studies")
    WORLD_LANGUAGES = "world_languages", _("World languages")
    ENGLISH_LEARNERS = "english_learners", _("English learners (ESL/ELD)")
    ARTS = "arts", _("Arts")
    MUSIC = "music", _("Music")
    HEALTH_PE = "health_pe", _("Health and physical education")
    COMPUTER_SCIENCE = "computer_science", _("Computer science and technology")
    SPECIAL_EDUCATION = "special_education", _("Special education")
    CAREER_TECHNICAL = "career_technical", _("Career and technical education")
    LIBRARY = "library", _("Library and media")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social-emotional learning")


class GradeBand(models.TextChoices):
    EARLY_CHILDHOOD = "prek", _("Pre-K")
    K_2 = "k-2", _("Kindergarten–grade 2")
    GRADES_3_5 = "3-5", _("Grades 3–5")
    GRADES_6_8 = "6-8", _("Grades 6–8")
    GRADES_9_12 = "9-12", _("Grades 9–12")
    HIGHER_ED = "higher_ed", _("Higher education")
    ADULT = "adult", _("Adult learners")


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def pronunciation_upload_path(instance: Profile, filename: str) -> str:
    # A random name: the file name a member uploads is never used on disk or in URLs.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pronunciations/{uuid.uuid4().hex}.{extension}"


class Profile(models.Model):
    """What a member tells others about themselves."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=80)
    pronunciation = models.CharField(
        _("how to say my name"),
        max_length=120,
        blank=True,
        help_text=_("Spell it the way it sounds, for example “mah-REE-ah HOH-seh”."),
    )
    pronunciation_audio = models.FileField(
        _("recording of my name"), upload_to=pronunciation_upload_path, blank=True
    )
    pronunciation_audio_type = models.CharField(max_length=40, blank=True)
    pronouns = models.CharField(
        _("pronouns"), max_length=40, blank=True, help_text=_("For example: she/her, they/them.")
    )
    languages = models.JSONField(_("languages I speak"), default=list, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    grade_bands = models.JSONField(_("grade bands"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    professional_goals = models.TextField(_("professional goals"), max_length=1000, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.pk])

    @property
    def language_names(self) -> list[str]:
        return [language_name(code) for code in self.languages]

    @property
    def subject_labels(self) -> list[str]:
        labels = dict(Subject.choices)
        return [str(labels.get(value, value)) for value in self.subjects]

    @property
    def grade_band_labels(self) -> list[str]:
        labels = dict(GradeBand.choices)
        return [str(labels.get(value, value)) for value in self.grade_bands]
