"""Shipping templates (运费模板): what a parcel costs to each province (RULES §4)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ShippingTemplate(models.Model):
    class Mode(models.TextChoices):
        WEIGHT = "weight", _("按重量")
        PIECE = "piece", _("按件数")

    merchant = models.ForeignKey("catalog.Merchant", on_delete=models.CASCADE, related_name="shipping_templates")
    name = models.CharField(max_length=60)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.WEIGHT)
    # WEIGHT: grams; PIECE: pieces. The first block costs first_fen, each further started step step_fen.
    first_units = models.PositiveIntegerField(default=1000)
    first_fen = models.BigIntegerField(default=800)
    step_units = models.PositiveIntegerField(default=1000)
    step_fen = models.BigIntegerField(default=300)
    # Two-digit province prefixes ("54" Tibet) this template does not deliver to (不配送).
    excluded_provinces = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("运费模板")
        verbose_name_plural = pgettext_lazy("plural", "运费模板")
        ordering = ["merchant_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_fen__gte=0, step_fen__gte=0), name="template_fees_non_negative"),
            models.CheckConstraint(condition=Q(first_units__gte=1, step_units__gte=1), name="template_units_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RegionFee(models.Model):
    """Provinces with their own first/step fees; a province appears in at most one rule of a template."""

    template = models.ForeignKey(ShippingTemplate, on_delete=models.CASCADE, related_name="region_fees")
    provinces = models.JSONField()
    first_fen = models.BigIntegerField()
    step_fen = models.BigIntegerField()

    class Meta:
        verbose_name = _("地区运费")
        verbose_name_plural = pgettext_lazy("plural", "地区运费")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(first_fen__gte=0, step_fen__gte=0), name="region_fee_non_negative")
        ]


class FreeRule(models.Model):
    """Free shipping to some provinces (all when empty): always, from a subtotal, or from a piece count."""

    class Kind(models.TextChoices):
        ALWAYS = "always", _("包邮")
        SUBTOTAL = "subtotal", _("满额包邮")
        PIECES = "pieces", _("满件包邮")

    template = models.ForeignKey(ShippingTemplate, on_delete=models.CASCADE, related_name="free_rules")
    provinces = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    threshold = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("包邮条件")
        verbose_name_plural = pgettext_lazy("plural", "包邮条件")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(threshold__gte=0), name="free_rule_threshold_non_negative")]
