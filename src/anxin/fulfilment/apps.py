from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "anxin.fulfilment"
    label = "fulfilment"
