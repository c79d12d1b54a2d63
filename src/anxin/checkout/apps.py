from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckoutConfig(AppConfig):
    name = "anxin.checkout"
    label = "checkout"
    verbose_name = _("购物车")

    def ready(self) -> None:
        from anxin.checkout.pages.sections import register_sections

        register_sections()  # the pay button of the buyer's order page
