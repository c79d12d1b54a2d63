from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "anxin.inventory"
    label = "inventory"
