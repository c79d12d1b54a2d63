from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "anxin.shipping"
    label = "shipping"
