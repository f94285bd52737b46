from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kindling.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from kindling.search import signals

        signals.connect_signals()
