"""Shipments with one or two outbound legs, after-sales legs (a return, a replacement), and carriers' scans
(RULES §4): how an order reaches the buyer, and how goods travel back and forth after it.

Trust is scoped to the delivery: a carrier account belongs to one carrier company and acts on that company's
legs only, and a courier hands over only the deliveries assigned to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anxin.fulfilment import rules


class CarrierCompany(models.Model):
    """An express company (顺丰, 中通 ...). Merchants name it as they like; `aliases` lists those spellings."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=40, unique=True)
    aliases = models.CharField(max_length=200, blank=True, help_text="space-separated other names")

    class Meta:
        verbose_name = _("快递公司")
        verbose_name_plural = pgettext_lazy("plural", "快递公司")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CarrierStaff(models.Model):
    """The company a carrier account works for: its scans and dispatches are about that company's legs only."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carrier_staff")
    company = models.ForeignKey(CarrierCompany, on_delete=models.PROTECT, related_name="staff")

    class Meta:
        verbose_name = _("快递公司员工")
        verbose_name_plural = pgettext_lazy("plural", "快递公司员工")

    def __str__(self) -> str:
        return f"{self.user} @ {self.company.code}"


class Shipment(models.Model):
    """The parcel of one order: leg 1 merchant -> buyer (or -> hub), leg 2 hub -> buyer for remote regions."""

    class State(models.TextChoices):
        IN_TRANSIT = "in_transit", _("运输中")
        AT_HUB = "at_hub", _("已到中转仓")
        FROM_HUB = "from_hub", _("中转仓已发出")
        DELIVERED = "delivered", _("已签收")

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="shipment")
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_TRANSIT)
    leg2_cost_fen = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    # The courier who hands the parcel over (商家自配送 or a platform courier), when one is assigned.
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="hand_deliveries"
    )

    class Meta:
        verbose_name = _("包裹")
        verbose_name_plural = pgettext_lazy("plural", "包裹")

    def __str__(self) -> str:
        return f"shipment of order {self.order_id}"

    @property
    def hub_code(self) -> str:
        """The transit hub is decided at checkout and kept on the order: one place for that fact."""
        return self.order.hub_code

    @property
    def via_hub(self) -> bool:
        return bool(self.order.hub_code)


class Leg(models.Model):
    """One carrier's journey of the order's goods: outbound legs 1 (merchant -> buyer or hub) and 2 (hub ->
    buyer) deliver the order; after-sales legs (numbers 3, 4 ...) carry a return or a replacement and only tell
    the after-sales case that they arrived (`services.on_leg_delivered`)."""

    class Purpose(models.TextChoices):
        OUTBOUND = "outbound", pgettext_lazy("leg purpose", "发货")
        RETURN = "return", _("退货寄回")
        REPLACEMENT = "replacement", _("换货补寄")

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="legs")
    number = models.PositiveSmallIntegerField()
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.OUTBOUND)
    company = models.ForeignKey(CarrierCompany, null=True, on_delete=models.PROTECT, related_name="legs")
    carrier = models.CharField(max_length=40)  # the company as the merchant wrote it, for display
    tracking_number = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    # A mistyped number may be corrected once before the first scan (`services.correct_tracking`).
    corrected_from = models.CharField(max_length=40, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("运输段")
        verbose_name_plural = pgettext_lazy("plural", "运输段")
        ordering = ["shipment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "number"], name="leg_number_unique"),
            # Companies reuse waybill numbers in time, but never on two parcels on the way at once.
            models.UniqueConstraint(
                fields=["company", "tracking_number"],
                condition=Q(delivered_at__isnull=True),
                name="leg_open_tracking_unique",
            ),
            # Numbers 1 and 2 mean the outbound legs wherever code asks for "leg 2"; after-sales legs come after.
            models.CheckConstraint(
                condition=Q(purpose="outbound", number__in=[1, 2])
                | (~Q(purpose="outbound") & Q(number__gte=rules.FIRST_AFTER_SALES_LEG)),
                name="leg_number_fits_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class Scan(models.Model):
    """A carrier's scan. Every scan is kept: one for an unknown tracking number or out of order is flagged."""

    class Kind(models.TextChoices):
        PICKED_UP = "picked_up", _("已揽收")
        IN_TRANSIT = "in_transit", _("运输中")
        ARRIVED_HUB = "arrived_hub", _("到达中转仓")
        LEFT_HUB = "left_hub", _("离开中转仓")
        OUT_FOR_DELIVERY = "out_for_delivery", _("派送中")
        DELIVERED = "delivered", _("已签收")

    leg = models.ForeignKey(Leg, null=True, blank=True, on_delete=models.CASCADE, related_name="scans")
    company = models.ForeignKey(CarrierCompany, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=40, blank=True)
    tracking_number = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    location = models.CharField(max_length=80, blank=True)
    flag = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=8, default="api")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # A flagged scan that someone looked into: who, when and what they found (the flag itself stays).
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("扫描")
        verbose_name_plural = pgettext_lazy("plural", "扫描")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.kind} {self.at:%Y-%m-%d %H:%M}"
