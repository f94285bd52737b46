from django.apps import AppConfig


class HabitsConfig(AppConfig):
    name = "kindling.habits"
    label = "habits"
    verbose_name = "Habits of Mind"
