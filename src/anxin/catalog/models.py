"""Shops, categories, products, SKUs and the personalization questions a product asks (RULES §2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Merchant(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    origin_province = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    origin_city_code = models.CharField(max_length=6, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(max_length=40)
    name_en = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class NoReasonReturn(models.TextChoices):
        YES = "yes", _("支持7天无理由退货")
        NO = "no", _("不支持7天无理由退货")
        UNOPENED = "unopened", _("未拆封支持7天无理由退货")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    title = models.CharField(max_length=120)
    title_en = models.CharField(max_length=160, blank=True)
    brand = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    is_fresh = models.BooleanField(default=False)
    no_reason_return = models.CharField(max_length=10, choices=NoReasonReturn.choices, default=NoReasonReturn.YES)
    handling_hours = models.PositiveIntegerField(default=48)
    shipping_template = models.ForeignKey(
        "shipping.ShippingTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    # RULES §4: the only way a merchant may keep a product from remote regions; buyers there see why.
    remote_deliverable = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["is_active", "category"]),
            models.Index(fields=["merchant", "is_active"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handling_hours__gte=1, handling_hours__lte=24 * 30),
                name="product_handling_hours_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SKU(models.Model):
    """One buyable variant: its spec attributes (colour, size, capacity ...), price and weight."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="skus")
    code = models.CharField(max_length=64)
    spec = models.JSONField(default=dict, blank=True)
    price_fen = models.BigIntegerField()
    weight_g = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "SKU"
        ordering = ["product_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="sku_price_positive"),
            models.UniqueConstraint(fields=["product", "code"], name="sku_code_unique_per_product"),
        ]

    def __str__(self) -> str:
        spec = " ".join(str(v) for v in self.spec.values())
        return f"{self.product.title} {spec}".strip()


class PersonalizationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        CHOICE = "choice", _("选项")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    label = models.CharField(max_length=60)
    required = models.BooleanField(default=True)
    max_chars = models.PositiveSmallIntegerField(default=20)
    min_select = models.PositiveSmallIntegerField(default=1)
    max_select = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_chars__gte=1, max_chars__lte=100), name="question_max_chars_range"),
            models.CheckConstraint(condition=Q(min_select__lte=models.F("max_select")), name="question_min_le_max"),
        ]

    def __str__(self) -> str:
        return self.label


class ChoiceOption(models.Model):
    question = models.ForeignKey(PersonalizationQuestion, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=60)
    price_delta_fen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(price_delta_fen__gte=0), name="option_delta_non_negative")]

    def __str__(self) -> str:
        return self.label
