"""Stock per SKU: what can still be sold and what is held for open orders. Neither can go below zero."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stock(models.Model):
    sku = models.OneToOneField("catalog.SKU", on_delete=models.PROTECT, primary_key=True, related_name="stock")
    available = models.BigIntegerField(default=0)
    allocated = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = pgettext_lazy("plural", "库存")
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0), name="stock_available_non_negative"),
            models.CheckConstraint(condition=Q(allocated__gte=0), name="stock_allocated_non_negative"),
        ]

    def __str__(self) -> str:
        return f"SKU {self.sku_id}: {self.available} available, {self.allocated} allocated"
