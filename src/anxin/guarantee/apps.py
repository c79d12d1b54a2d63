from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteeConfig(AppConfig):
    name = "anxin.guarantee"
    label = "guarantee"
    verbose_name = _("买贵必赔")

    def ready(self) -> None:
        # 价保 and 买贵必赔: their invariants for `anxin audit`, their sections of the order pages, and the
        # 买贵必赔 badge beside every price.
        from anxin.catalog import badges
        from anxin.guarantee import audit_claims, audit_protection  # noqa: F401
        from anxin.guarantee.badges import PROVIDER
        from anxin.guarantee.pages import claims, protection

        protection.register_order_sections()
        claims.register_order_sections()
        badges.register(PROVIDER)
