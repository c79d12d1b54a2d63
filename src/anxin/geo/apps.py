from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "anxin.geo"
    label = "geo"
