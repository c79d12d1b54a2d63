from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "anxin.catalog"
    label = "catalog"
