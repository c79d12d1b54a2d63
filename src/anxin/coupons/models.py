"""Coupons (RULES §13): money off a buyer's next checkout, paid by whoever issued it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anxin.coupons import rules


class Coupon(models.Model):
    class Issuer(models.TextChoices):
        PLATFORM = rules.PLATFORM, _("平台")
        MERCHANT = rules.MERCHANT, _("店铺")

    class Reason(models.TextChoices):
        PRICE_GUARANTEE = rules.PRICE_GUARANTEE, _("买贵必赔")
        LATE_DELIVERY = rules.LATE_DELIVERY, _("准时宝")
        CAMPAIGN = rules.CAMPAIGN, _("活动")
        GOODWILL = rules.GOODWILL, _("客服补偿")

    class State(models.TextChoices):
        AVAILABLE = rules.AVAILABLE, _("可使用")
        USED = rules.USED, _("已使用")
        EXPIRED = rules.EXPIRED, _("已过期")
        REVOKED = rules.REVOKED, _("已作废")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coupons")
    issuer_kind = models.CharField(max_length=16, choices=Issuer.choices)
    merchant = models.ForeignKey(
        "catalog.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="coupons"
    )
    amount_fen = models.BigIntegerField()
    threshold_fen = models.BigIntegerField(default=0)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.AVAILABLE)
    # Issuing is idempotent: the issuer names the coupon (`guarantee:claim:12`, `ops:<uuid>`).
    key = models.CharField(max_length=200, unique=True)
    # The checkout it is used on (a platform coupon) and the order (a merchant coupon); what it took off.
    checkout = models.ForeignKey(
        "orders.Checkout", null=True, blank=True, on_delete=models.PROTECT, related_name="coupons"
    )
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="coupons")
    used_fen = models.BigIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("优惠券")
        verbose_name_plural = pgettext_lazy("plural", "优惠券")
        ordering = ["valid_to", "id"]
        indexes = [models.Index(fields=["buyer", "state", "valid_to"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0, threshold_fen__gte=0), name="coupon_amounts_valid"),
            models.CheckConstraint(
                condition=Q(issuer_kind=rules.PLATFORM, merchant=None)
                | Q(issuer_kind=rules.MERCHANT, merchant__isnull=False),
                name="coupon_issuer_matches_merchant",
            ),
            models.CheckConstraint(
                condition=Q(used_fen__gte=0, used_fen__lte=models.F("amount_fen")), name="coupon_used_within_amount"
            ),
            models.CheckConstraint(
                condition=~Q(state=rules.USED) | Q(checkout__isnull=False), name="coupon_used_has_checkout"
            ),
        ]

    def __str__(self) -> str:
        return f"coupon {self.pk}"

    @property
    def funding_account(self) -> str:
        return rules.funding_account(self.issuer_kind, self.reason, self.merchant_id)
