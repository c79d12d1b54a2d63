"""Carts: what a buyer means to buy, line by line, before the checkout turns it into orders."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Cart(models.Model):
    buyer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cart")

    class Meta:
        verbose_name = _("购物车")
        verbose_name_plural = pgettext_lazy("plural", "购物车")

    def __str__(self) -> str:
        return f"cart of {self.buyer}"


class CartLine(models.Model):
    """A SKU with its personalization answers; the same SKU with other answers is another line.

    `selected` is the cart's checkbox: kept on the line, as the big shops do, so a reload, another device and
    the checkout page all see the same choice of what to buy now (a new line starts selected)."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.SKU", on_delete=models.CASCADE, related_name="+")
    line_key = models.CharField(max_length=64)
    answers = models.JSONField(default=list, blank=True)
    quantity = models.PositiveIntegerField()
    selected = models.BooleanField(default=True)
    added_at = models.DateTimeField()

    class Meta:
        verbose_name = _("购物车商品")
        verbose_name_plural = pgettext_lazy("plural", "购物车商品")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "line_key"], name="cart_line_identity_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_positive"),
        ]
