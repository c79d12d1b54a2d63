"""Payments through a provider (RULES §3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_amount_positive")]
