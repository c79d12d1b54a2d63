from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "anxin.payments"
    label = "payments"

    def ready(self) -> None:
        from anxin.payments import provider

        provider.configured()  # an unknown ANXIN_PAYMENT_PROVIDER stops the process here, with its name
