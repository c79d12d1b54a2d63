from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "anxin.fulfilment"
    label = "fulfilment"

    def ready(self) -> None:
        from anxin.fulfilment.pages.sections import register_sections

        register_sections()  # the order pages' carrier line, tracking and ship form
