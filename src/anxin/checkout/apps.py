from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "anxin.checkout"
    label = "checkout"
