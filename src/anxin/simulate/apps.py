from django.apps import AppConfig


class SimulateConfig(AppConfig):
    name = "anxin.simulate"
    label = "simulate"
