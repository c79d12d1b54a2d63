"""Checkouts (what was paid together), orders (one per merchant) and their lines (RULES §3)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Checkout(models.Model):
    """What a buyer placed in one go: one payment for one or more merchant orders."""

    class State(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("待付款")
        PAID = "paid", _("已付款")
        CANCELLED = "cancelled", _("已取消")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkouts")
    idempotency_key = models.CharField(max_length=200)
    # What the key was first used for (address and chosen lines), so a reuse for another request is refused.
    request_hash = models.CharField(max_length=64, blank=True, default="")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING_PAYMENT)
    total_fen = models.BigIntegerField()
    payment = models.OneToOneField(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="checkout"
    )
    created_at = models.DateTimeField()
    pay_by = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="checkout_idempotency_unique"),
            models.CheckConstraint(condition=Q(total_fen__gte=0), name="checkout_total_non_negative"),
        ]


class Order(models.Model):
    class State(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("待付款")
        PAID = "paid", _("待发货")
        SHIPPED = "shipped", _("已发货")
        DELIVERED = "delivered", _("已送达")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    number = models.CharField(max_length=20, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING_PAYMENT)
    goods_fen = models.BigIntegerField()
    shipping_fen = models.BigIntegerField()
    total_fen = models.BigIntegerField()
    refunded_fen = models.BigIntegerField(default=0)
    address = models.JSONField()
    province_code = models.CharField(max_length=6)
    # RULES §4: a remote order goes to this transit hub (a city code) first; the platform pays leg 2.
    hub_code = models.CharField(max_length=6, blank=True)
    # 预计送达, fixed at checkout; on time = delivered by the latest date.
    promise_earliest = models.DateField(null=True, blank=True)
    promise_latest = models.DateField(null=True, blank=True)
    # Judged at delivery: 0 = on time, otherwise days after the promised latest date.
    delivery_days_late = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True)
    ship_by = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["merchant", "state", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_fen=F("goods_fen") + F("shipping_fen")), name="order_total_sum"),
            models.CheckConstraint(
                condition=Q(refunded_fen__gte=0, refunded_fen__lte=F("total_fen")),
                name="order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A snapshot of what was bought: title, spec, personalization answers and the price paid."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    sku = models.ForeignKey("catalog.SKU", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    spec = models.JSONField(default=dict, blank=True)
    answers = models.JSONField(default=list, blank=True)
    unit_price_fen = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    total_fen = models.BigIntegerField()
    refunded_fen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(total_fen=F("unit_price_fen") * F("quantity")), name="order_line_total_product"
            ),
            models.CheckConstraint(
                condition=Q(refunded_fen__gte=0, refunded_fen__lte=F("total_fen")),
                name="order_line_refund_within_paid",
            ),
        ]

    @property
    def is_personalized(self) -> bool:
        return bool(self.answers)
