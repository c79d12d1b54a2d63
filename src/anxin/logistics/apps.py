from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "anxin.logistics"
    label = "logistics"
