from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "anxin.fulfilment"
    label = "fulfilment"
    verbose_name = _("物流")

    def ready(self) -> None:
        from anxin.fulfilment.pages.sections import register_sections

        register_sections()  # the order pages' carrier line, tracking and ship form
