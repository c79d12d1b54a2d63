from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteeConfig(AppConfig):
    name = "anxin.guarantee"
    label = "guarantee"
    verbose_name = _("买贵必赔")

    def ready(self) -> None:
        # 价保: its invariants for `anxin audit`, and its sections of the buyer's and the merchant's order pages;
        # 买贵必赔: its badge beside every price.
        from anxin.catalog import badges
        from anxin.guarantee import audit_protection  # noqa: F401
        from anxin.guarantee.badges import PROVIDER
        from anxin.guarantee.pages.protection import register_order_sections

        register_order_sections()
        badges.register(PROVIDER)
