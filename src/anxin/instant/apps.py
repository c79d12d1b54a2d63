from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstantConfig(AppConfig):
    name = "anxin.instant"
    label = "instant"
    verbose_name = _("即时配送")
