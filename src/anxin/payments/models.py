"""Payments through a provider (RULES §3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Payment(models.Model):
    """Money asked of a buyer through a provider; `provider_ref` makes its notification count once.

    The payment knows nothing of what it pays for: a checkout points at its payment, so this floor stays
    below orders."""

    class State(models.TextChoices):
        PENDING = "pending", _("待支付")
        SUCCEEDED = "succeeded", _("支付成功")
        REFUSED = "refused", _("支付失败")

    provider = models.CharField(max_length=32)
    amount_fen = models.BigIntegerField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    provider_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("支付")
        verbose_name_plural = pgettext_lazy("plural", "支付")
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive")]


class Refund(models.Model):
    """Money going back to a buyer through the provider, once per `key` (one distinct refund).

    `requested`: granted and waiting for the provider; `failed`: the last call to the provider (or its answer)
    failed and a deadline will try again; `succeeded`: the provider confirmed, signed, that the money left.
    `detail` is the caller's own record of what the refund is for (an order's lines); payments never reads it.
    A `payout` is money the platform or a merchant gives the buyer beyond the goods (退货补运费, a price-match
    claim), sent to the same channel the buyer paid with; it never counts against what the payment can refund.
    """

    class Kind(models.TextChoices):
        REFUND = "refund", _("退款")
        PAYOUT = "payout", _("补偿")

    class State(models.TextChoices):
        REQUESTED = "requested", _("退款处理中")
        SUCCEEDED = "succeeded", _("退款成功")
        FAILED = "failed", _("退款失败，稍后重试")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.REFUND)
    amount_fen = models.BigIntegerField()
    reason = models.CharField(max_length=60)
    detail = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    requested_at = models.DateTimeField()
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = pgettext_lazy("plural", "退款")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(condition=Q(state__in=["requested", "succeeded", "failed"]), name="refund_state"),
            models.CheckConstraint(
                condition=(
                    Q(state="succeeded", succeeded_at__isnull=False, provider_ref__isnull=False)
                    | (~Q(state="succeeded") & Q(succeeded_at__isnull=True))
                ),
                name="refund_succeeded_when_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["payment", "state"])]

    def __str__(self) -> str:
        return f"refund {self.key} {self.amount_fen} fen ({self.state})"
