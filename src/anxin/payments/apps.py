from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "anxin.payments"
    label = "payments"
    verbose_name = _("支付")

    def ready(self) -> None:
        from anxin.payments import provider

        provider.configured()  # an unknown ANXIN_PAYMENT_PROVIDER stops the process here, with its name
