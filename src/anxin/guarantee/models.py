"""买贵必赔 and 价保 (RULES §6): which SKUs carry the guarantee, the competitor offers ops import, the buyers'
claims with their evidence and decision, and the price-protection payouts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

IMAGE_NAME_MAX = 200


class Campaign(models.Model):
    """An ops campaign (e.g. 双倍赔 for a festival): the SKUs it enrolls carry its multiplier in its window."""

    name = models.CharField(max_length=60)
    multiplier = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("买贵必赔活动")
        verbose_name_plural = pgettext_lazy("plural", "买贵必赔活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(multiplier__in=[1, 2]), name="campaign_multiplier_1_or_2"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_window_forward"),
        ]

    def __str__(self) -> str:
        return self.name


class Enrollment(models.Model):
    """A SKU under 买贵必赔 from `starts_at` to `ends_at` (open-ended while `ends_at` is null), by its merchant or
    by an ops campaign. Claims read the enrollment in force at the order's payment."""

    class Source(models.TextChoices):
        MERCHANT = "merchant", _("商家报名")
        CAMPAIGN = "campaign", _("平台活动")

    sku = models.ForeignKey("catalog.SKU", on_delete=models.PROTECT, related_name="guarantee_enrollments")
    source = models.CharField(max_length=10, choices=Source.choices)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="enrollments")
    multiplier = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("买贵必赔报名")
        verbose_name_plural = pgettext_lazy("plural", "买贵必赔报名")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["sku", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(multiplier__in=[1, 2]), name="enrollment_multiplier_1_or_2"),
            models.CheckConstraint(
                condition=Q(source="campaign", campaign__isnull=False) | Q(source="merchant", campaign__isnull=True),
                name="enrollment_campaign_iff_campaign_source",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="enrollment_window_forward",
            ),
        ]

    def __str__(self) -> str:
        return f"SKU {self.sku_id} ({self.source})"


class FeedImport(models.Model):
    """One import of the price feed (an ops upload or the command), with its progress and the bad rows."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    file_name = models.CharField(max_length=200)
    stored_as = models.CharField(max_length=200, blank=True)  # the upload in Django's storage, for the worker
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_good = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    # The first bad rows, [{"line": 12, "reason": "..."}]: the rest are counted in rows_bad.
    errors = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("比价数据导入")
        verbose_name_plural = pgettext_lazy("plural", "比价数据导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Offer(models.Model):
    """A competitor listing, keyed by platform and URL, with its latest capture (the history is in `captures`)."""

    platform = models.CharField(max_length=20)
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    brand = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    spec = models.CharField(max_length=300, blank=True)
    price_fen = models.BigIntegerField()
    shipping_fen = models.BigIntegerField(default=0)
    price_type = models.CharField(max_length=20)
    captured_at = models.DateTimeField()

    class Meta:
        verbose_name = _("竞品报价")
        verbose_name_plural = pgettext_lazy("plural", "竞品报价")
        constraints = [
            models.UniqueConstraint(fields=["platform", "url"], name="offer_platform_url_unique"),
            models.CheckConstraint(condition=Q(price_fen__gt=0, shipping_fen__gte=0), name="offer_prices_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.platform} {self.url}"


class OfferCapture(models.Model):
    """One observed price of an offer: importing the same capture again changes nothing."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="captures")
    price_fen = models.BigIntegerField()
    shipping_fen = models.BigIntegerField(default=0)
    price_type = models.CharField(max_length=20)
    captured_at = models.DateTimeField()
    feed_import = models.ForeignKey(FeedImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("竞品报价记录")
        verbose_name_plural = pgettext_lazy("plural", "竞品报价记录")
        ordering = ["-captured_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "captured_at"], name="offer_capture_once"),
            models.CheckConstraint(condition=Q(price_fen__gt=0, shipping_fen__gte=0), name="capture_prices_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} @ {self.captured_at:%Y-%m-%d %H:%M}"


class Claim(models.Model):
    """A buyer's 买贵必赔 claim on one order line: the evidence, the decision with its reasons, the money."""

    class State(models.TextChoices):
        REVIEW = "review", _("人工审核中")
        APPROVED = "approved", _("已赔付")
        REJECTED = "rejected", _("未通过")

    class PayTo(models.TextChoices):
        ORIGINAL = "original", _("原路退回")
        COUPON = "coupon", _("无门槛优惠券")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="price_claims")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="price_claims")
    enrollment = models.ForeignKey(Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    key = models.CharField(max_length=200)  # the buyer's Idempotency-Key: the same key is the same claim
    # The evidence as the buyer gave it.
    platform = models.CharField(max_length=20)
    url = models.CharField(max_length=500)
    url_key = models.CharField(max_length=500)  # the URL normalised, for the "same URL, many buyers" signal
    title = models.CharField(max_length=300)
    price_seen_fen = models.BigIntegerField()
    spec_text = models.CharField(max_length=300, blank=True)
    pay_to = models.CharField(max_length=10, choices=PayTo.choices, default=PayTo.ORIGINAL)
    # The decision.
    state = models.CharField(max_length=10, choices=State.choices)
    decided_by = models.CharField(max_length=10, blank=True)  # "auto" or "ops"
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)  # in plain words, shown to the buyer
    # A rule's reason untranslated ({"msgid": ..., "params": {...}}), so each reader gets it in their language.
    reason_message = models.JSONField(default=dict, blank=True)
    signals = models.JSONField(default=list, blank=True)  # fraud signals that sent it to a person
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    capture = models.ForeignKey(OfferCapture, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    comparable_fen = models.BigIntegerField(null=True, blank=True)
    match_probability = models.FloatField(null=True, blank=True)
    match_reasons = models.JSONField(default=list, blank=True)
    multiplier = models.PositiveSmallIntegerField(default=1)
    compensation_fen = models.BigIntegerField(default=0)
    charged_to = models.CharField(max_length=60, blank=True)  # the ledger account that paid it
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)  # manual review's 48 h
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("买贵必赔申请")
        verbose_name_plural = pgettext_lazy("plural", "买贵必赔申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"]),
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["url_key", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="claim_idempotency_unique"),
            models.UniqueConstraint(fields=["line"], condition=Q(state="approved"), name="claim_one_paid_per_line"),
            models.UniqueConstraint(fields=["line"], condition=Q(state="review"), name="claim_one_in_review_per_line"),
            models.CheckConstraint(
                condition=Q(price_seen_fen__gt=0, compensation_fen__gte=0), name="claim_amounts_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} on line {self.line_id}"


class ClaimScreenshot(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="screenshots")
    image = models.CharField(max_length=IMAGE_NAME_MAX)
    image_large = models.CharField(max_length=IMAGE_NAME_MAX)
    image_small = models.CharField(max_length=IMAGE_NAME_MAX)
    phash = models.CharField(max_length=16, db_index=True)  # 64-bit perceptual hash, hex
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("比价截图")
        verbose_name_plural = pgettext_lazy("plural", "比价截图")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image


class ProtectionPayout(models.Model):
    """价保: one payment of a price drop's difference to one order line. Over several drops the payouts of a line
    sum to at most (paid unit price - lowest list price in the window) x quantity."""

    class Trigger(models.TextChoices):
        AUTO = "auto", _("降价自动保价")
        BUYER = "buyer", _("买家申请")

    line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="protection_payouts")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lowest_unit_fen = models.BigIntegerField()  # the lowest list price seen in the window when this was paid
    amount_fen = models.BigIntegerField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    refund = models.ForeignKey("payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("价保赔付")
        verbose_name_plural = pgettext_lazy("plural", "价保赔付")
        ordering = ["created_at", "pk"]
        constraints = [
            # One payout per line per lowest price: a second worker or a second click finds it and pays nothing.
            models.UniqueConstraint(fields=["line", "lowest_unit_fen"], name="protection_once_per_low"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="protection_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"价保 {self.amount_fen} on line {self.line_id}"
