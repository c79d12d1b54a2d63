"""After-sales cases (RULES §5): one request about lines of one order, its evidence and its conversation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anxin.aftersales import rules

IMAGE_NAME_MAX = 200


class Case(models.Model):
    class Kind(models.TextChoices):
        REFUND_UNSHIPPED = rules.REFUND_UNSHIPPED, _("未发货退款")
        REFUND_ONLY = rules.REFUND_ONLY, _("仅退款")
        RETURN_REFUND = rules.RETURN_REFUND, _("退货退款")
        EXCHANGE = rules.EXCHANGE, _("换货")
        RESEND = rules.RESEND, _("补寄")

    class Reason(models.TextChoices):
        NO_REASON = rules.NO_REASON, _("七天无理由")
        QUALITY = rules.QUALITY, _("质量问题")
        DAMAGED = rules.DAMAGED, _("商品破损")
        WRONG_ITEM = rules.WRONG_ITEM, _("发错货")
        NOT_AS_DESCRIBED = rules.NOT_AS_DESCRIBED, _("与描述不符")
        MISSING_ITEM = rules.MISSING_ITEM, _("少件/漏发")
        ROTTEN = rules.ROTTEN, _("坏了包退（生鲜腐坏）")
        LATE_DELIVERY = rules.LATE_DELIVERY, _("物流延误")
        OTHER = rules.OTHER, _("其他")

    class State(models.TextChoices):
        PENDING_MERCHANT = rules.PENDING_MERCHANT, _("待商家处理")
        OFFERED = rules.OFFERED, _("待买家确认协商方案")
        AWAITING_RETURN = rules.AWAITING_RETURN, _("待买家寄回")
        RETURN_SHIPPED = rules.RETURN_SHIPPED, _("待商家收货")
        AWAITING_REPLACEMENT = rules.AWAITING_REPLACEMENT, _("待商家发出换货/补寄")
        REPLACEMENT_LATE = rules.REPLACEMENT_LATE, _("商家超时未发货")
        REPLACEMENT_SHIPPED = rules.REPLACEMENT_SHIPPED, _("换货/补寄商品已发出")
        REJECTED = rules.REJECTED, _("商家已拒绝")
        ARBITRATION = rules.ARBITRATION, _("平台介入中")
        REFUNDED = rules.REFUNDED, _("已退款")
        COMPLETED = rules.COMPLETED, _("已完成")
        CLOSED = rules.CLOSED, _("已关闭")

    class Ruling(models.TextChoices):
        REFUND = "refund", _("支持买家，退款")
        MERCHANT = "merchant", _("支持商家，关闭")
        ABUSE = "abuse", _("恶意售后，关闭")

    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="cases")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.PROTECT, related_name="cases")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    state = models.CharField(max_length=24, choices=State.choices)
    description = models.TextField(max_length=rules.DESCRIPTION_MAX, blank=True)
    asked_fen = models.BigIntegerField()  # what the buyer asked back
    offer_fen = models.BigIntegerField(null=True, blank=True)  # the merchant's partial offer, while one stands
    refunded_fen = models.BigIntegerField(default=0)
    refund = models.ForeignKey("payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    instant = models.BooleanField(default=False)  # 极速退款: refunded on the return's tracking number
    advance_recovered_at = models.DateTimeField(null=True, blank=True)
    auto_approved = models.BooleanField(default=False)  # the merchant was silent
    approved_at_once = models.BooleanField(default=False)  # no merchant needed (unshipped, 坏了包退)
    postage_fen = models.BigIntegerField(default=0)  # 退货补运费 paid to the buyer
    postage_by_merchant = models.BooleanField(default=False)
    return_leg = models.ForeignKey("fulfilment.Leg", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replacement_leg = models.ForeignKey(
        "fulfilment.Leg", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reject_reason = models.CharField(max_length=200, blank=True)
    ruling = models.CharField(max_length=10, choices=Ruling.choices, blank=True)
    ruling_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    state_since = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    ruled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("售后单")
        verbose_name_plural = pgettext_lazy("plural", "售后单")
        indexes = [
            models.Index(fields=["merchant", "state", "due_at"]),
            models.Index(fields=["buyer", "created_at"]),
            models.Index(fields=["state", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(asked_fen__gt=0), name="case_asked_positive"),
            models.CheckConstraint(condition=Q(refunded_fen__gte=0), name="case_refunded_not_negative"),
            models.CheckConstraint(condition=Q(state__in=list(rules.STATES)), name="case_state"),
            models.CheckConstraint(condition=Q(kind__in=list(rules.TYPES)), name="case_kind"),
        ]

    def __str__(self) -> str:
        return f"case {self.number} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN

    @property
    def next_actor(self) -> str:
        return rules.next_actor(self.state)


class CaseLine(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="case_lines")
    quantity = models.PositiveIntegerField()
    amount_fen = models.BigIntegerField()
    open = models.BooleanField(default=True)  # mirrors the case, so "one open case per line" is a constraint

    class Meta:
        verbose_name = _("售后商品")
        verbose_name_plural = pgettext_lazy("plural", "售后商品")
        constraints = [
            models.UniqueConstraint(fields=["case", "order_line"], name="case_line_unique"),
            models.UniqueConstraint(fields=["order_line"], condition=Q(open=True), name="one_open_case_per_line"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="case_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="case_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} line {self.order_line_id} x{self.quantity}"


class CaseEntry(models.Model):
    """One step of the case's timeline a person wrote: a message, evidence, or both (an action's note)."""

    class Role(models.TextChoices):
        BUYER = rules.BUYER, _("买家")
        MERCHANT = rules.MERCHANT, _("商家")
        OPS = rules.OPS, _("平台客服")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField(max_length=rules.MESSAGE_MAX, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("售后留言")
        verbose_name_plural = pgettext_lazy("plural", "售后留言")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.role} on case {self.case_id}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(CaseEntry, on_delete=models.CASCADE, related_name="images")
    role = models.CharField(max_length=10, choices=CaseEntry.Role.choices)
    image = models.CharField(max_length=IMAGE_NAME_MAX)
    image_large = models.CharField(max_length=IMAGE_NAME_MAX)
    image_small = models.CharField(max_length=IMAGE_NAME_MAX)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("售后凭证")
        verbose_name_plural = pgettext_lazy("plural", "售后凭证")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.image
