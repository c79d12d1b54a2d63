"""Checkouts (what was paid together), orders (one per merchant) and their lines (RULES §3)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        verbose_name = _("结算单")
        verbose_name_plural = pgettext_lazy("plural", "结算单")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="checkout_idempotency_unique"),
            models.CheckConstraint(condition=Q(total_fen__gte=0), name="checkout_total_non_negative"),
        ]

    def __str__(self) -> str:
        return f"checkout {self.pk}"


class Order(models.Model):
    class State(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("待付款")
        PAID = "paid", _("待发货")
        SHIPPED = "shipped", _("已发货")
        DELIVERED = "delivered", _("已送达")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    class CancelReason(models.TextChoices):
        """Who ended the order, shown to the buyer and the merchant as the reason (every cancel path sets one)."""

        BUYER = "buyer_cancelled", _("买家取消")
        UNPAID_EXPIRED = "unpaid_expired", _("超时未付款，系统自动取消")
        MERCHANT = "merchant_cancelled", _("商家取消")
        OPS = "ops_cancelled", _("平台客服取消")

    number = models.CharField(max_length=20, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING_PAYMENT)
    goods_fen = models.BigIntegerField()
    shipping_fen = models.BigIntegerField()
    total_fen = models.BigIntegerField()
    # The coupons' part of the goods (RULES §13): the buyer paid `total_fen - discount_fen` in cash, the
    # coupons' issuers the rest (`discount_funding`: ledger account -> fen, posted into escrow at payment).
    discount_fen = models.BigIntegerField(default=0)
    discount_funding = models.JSONField(default=dict, blank=True)
    # Value given back (cash and the coupons' part together, and the shipping fee): what the merchant will not
    # be paid and escrow no longer holds. The cash of each refund is its `Refund.amount_fen`.
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
    cancel_reason = models.CharField(max_length=40, blank=True, choices=CancelReason.choices)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = pgettext_lazy("plural", "订单")
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
            models.CheckConstraint(
                condition=Q(discount_fen__gte=0, discount_fen__lt=F("goods_fen")), name="order_discount_below_goods"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def unrefunded_fen(self) -> int:
        """The value not yet given back: the total less the refunds already granted."""
        return self.total_fen - self.refunded_fen

    @property
    def cash_fen(self) -> int:
        """What the buyer paid for this order: its value less the coupons' part."""
        return self.total_fen - self.discount_fen


class OrderLine(models.Model):
    """A snapshot of what was bought: title, spec, personalization answers and the price paid."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    sku = models.ForeignKey("catalog.SKU", on_delete=models.PROTECT, related_name="+")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=120)
    spec = models.JSONField(default=dict, blank=True)
    spec_en = models.JSONField(default=dict, blank=True)  # the spec in English where the merchant named it
    # The small thumbnail the buyer saw (a storage name): the merchant's later photo changes leave it, and
    # removing a photo keeps that file.
    image_small = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=list, blank=True)
    unit_price_fen = models.BigIntegerField()
    quantity = models.PositiveIntegerField()
    total_fen = models.BigIntegerField()
    # The coupons' part of this line; its cash paid is `total_fen - discount_fen`.
    discount_fen = models.BigIntegerField(default=0)
    # Value refunded (see `Order.refunded_fen`); the cash part of it is `coupons.rules.cash_refunded`.
    refunded_fen = models.BigIntegerField(default=0)
    # Money paid to the buyer beyond refunds because of this line (买贵必赔, 价保): a later full refund of the
    # line deducts it (`services.record_compensation`) and gives it back to whoever paid it.
    compensated_fen = models.BigIntegerField(default=0)
    # Who paid `compensated_fen`: ledger account -> fen (the platform's compensation account, a merchant's payable).
    compensation_funding = models.JSONField(default=dict, blank=True)
    # When the merchant marked a personalized line made (`services.mark_made`): after-sales reads it, since a
    # line already made for this buyer can no longer be cancelled at once.
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("订单商品")
        verbose_name_plural = pgettext_lazy("plural", "订单商品")
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
            models.CheckConstraint(
                condition=Q(compensated_fen__gte=0, compensated_fen__lte=F("total_fen")),
                name="order_line_compensation_within_paid",
            ),
            models.CheckConstraint(
                condition=Q(discount_fen__gte=0, discount_fen__lt=F("total_fen")),
                name="order_line_discount_below_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} × {self.quantity}"

    @property
    def cash_fen(self) -> int:
        return self.total_fen - self.discount_fen

    @property
    def is_personalized(self) -> bool:
        return bool(self.answers)

    @property
    def title_en(self) -> str:
        """The product's English title for English pages (`title` is the Chinese one, as it was bought)."""
        return self.product.title_en


class OrderNote(models.Model):
    """Ops' own note on an order (a call with the buyer, why it was refunded): shown on the ops console only,
    never to the buyer or the merchant."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=1000)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("订单备注")
        verbose_name_plural = pgettext_lazy("plural", "订单备注")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.order_id} by {self.author_id}"
