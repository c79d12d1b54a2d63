from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "anxin.orders"
    label = "orders"
