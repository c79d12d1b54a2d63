from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "anxin.payments"
    label = "payments"
