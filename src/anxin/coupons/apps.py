from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouponsConfig(AppConfig):
    name = "anxin.coupons"
    label = "coupons"
    verbose_name = _("优惠券")

    def ready(self) -> None:
        from anxin.coupons import services

        services.register_order_hooks()  # an order cancelled before shipping gives its coupons back
