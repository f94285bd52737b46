"""The Habits of Mind taxonomy that content, reflections and growth are tagged with."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Habit(models.Model):
    """One of the 16 Habits of Mind."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("habit of mind")
        verbose_name_plural = _("habits of mind")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("habits:detail", args=[self.slug])

    @property
    def display_name(self) -> str:
        """The name in the reader's language (the catalogue marks it for translation)."""
        return gettext(self.name)

    @property
    def display_description(self) -> str:
        return gettext(self.description)
