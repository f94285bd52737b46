from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonsConfig(AppConfig):
    name = "kindling.commons"
    label = "commons"
    verbose_name = _("Member space")
