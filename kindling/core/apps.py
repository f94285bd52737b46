from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kindling.core"
    label = "core"
    verbose_name = "Kindling core"
