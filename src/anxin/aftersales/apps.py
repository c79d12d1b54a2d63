from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "anxin.aftersales"
    label = "aftersales"
    verbose_name = _("售后")

    def ready(self) -> None:
        from anxin.aftersales.pages.buyer import register_buyer_pages

        register_buyer_pages()  # the buyer order page's after-sales section and the 退款/售后 tab
