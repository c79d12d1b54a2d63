from django.apps import AppConfig


class CheckoutConfig(AppConfig):
    name = "anxin.checkout"
    label = "checkout"

    def ready(self) -> None:
        from anxin.checkout.pages.sections import register_sections

        register_sections()  # the pay button of the buyer's order page
