from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HabitsConfig(AppConfig):
    name = "kindling.habits"
    label = "habits"
    verbose_name = _("Habits of Mind")
