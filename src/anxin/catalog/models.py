"""Shops, categories, products, SKUs and the personalization questions a product asks (RULES §2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anxin.catalog.rules import MAX_PRODUCT_IMAGES, PRICE_PROTECTION_DAYS

IMAGE_NAME_MAX = 200  # a storage name: folder, random token, size suffix


class Merchant(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    origin_province = models.ForeignKey("geo.Region", on_delete=models.PROTECT, related_name="+")
    origin_city_code = models.CharField(max_length=6, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("店铺")
        verbose_name_plural = pgettext_lazy("plural", "店铺")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    name = models.CharField(max_length=40)
    name_en = models.CharField(max_length=60, blank=True)
    slug = models.SlugField(max_length=60, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("类目")
        verbose_name_plural = pgettext_lazy("plural", "类目")
        ordering = ["position", "id"]

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
    # 价保 (RULES §6): for this many days after payment a drop of a SKU's list price is paid back to the buyer.
    price_protection_days = models.PositiveSmallIntegerField(default=0, choices=[(d, d) for d in PRICE_PROTECTION_DAYS])
    shipping_template = models.ForeignKey(
        "shipping.ShippingTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    # RULES §4: the only way a merchant may keep a product from remote regions; buyers there see why.
    remote_deliverable = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # The small thumbnail of the first photo, kept by the image services: every list of products (cards,
    # search, carts) shows it without another query.
    cover_small = models.CharField(max_length=IMAGE_NAME_MAX, blank=True)

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = pgettext_lazy("plural", "商品")
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


class SpecDimension(models.Model):
    """One row of chips on the product page (颜色, 尺码 ...), in the merchant's order."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="spec_dimensions")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=30)
    name_en = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="spec_dimension_unique_name")]

    def __str__(self) -> str:
        return self.name


class SpecValue(models.Model):
    dimension = models.ForeignKey(SpecDimension, on_delete=models.CASCADE, related_name="values")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=60)
    name_en = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["dimension", "name"], name="spec_value_unique_name")]

    def __str__(self) -> str:
        return self.name


class SKU(models.Model):
    """One buyable variant: one value per spec dimension, its price and weight.

    `spec` (and `spec_en`) keep the combination as text, {dimension: value}, which carts and order lines copy;
    `spec_key` is the combination's identity in its product (`rules.combination_key`), empty for a SKU that
    left the matrix, so each combination has at most one SKU."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="skus")
    code = models.CharField(max_length=64)
    spec = models.JSONField(default=dict, blank=True)
    spec_en = models.JSONField(default=dict, blank=True)
    spec_key = models.CharField(max_length=400, blank=True, default="")
    spec_values = models.ManyToManyField(SpecValue, through="SKUSpecValue", related_name="skus")
    price_fen = models.BigIntegerField()
    weight_g = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # The SKU's own photo (a colour's picture), optional; storage names as in `ProductImage`.
    image_original = models.CharField(max_length=IMAGE_NAME_MAX, blank=True)
    image_large = models.CharField(max_length=IMAGE_NAME_MAX, blank=True)
    image_small = models.CharField(max_length=IMAGE_NAME_MAX, blank=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = pgettext_lazy("plural", "SKU")
        ordering = ["product_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gt=0), name="sku_price_positive"),
            models.UniqueConstraint(fields=["product", "code"], name="sku_code_unique_per_product"),
            models.UniqueConstraint(
                fields=["product", "spec_key"], condition=~Q(spec_key=""), name="sku_combination_unique_per_product"
            ),
        ]

    def __str__(self) -> str:
        spec = " ".join(str(v) for v in self.spec.values())
        return f"{self.product.title} {spec}".strip()

    @property
    def photo_small(self) -> str:
        """What a line of this SKU shows: its own photo, else the product's cover ('' for neither)."""
        return self.image_small or self.product.cover_small


class ProductImage(models.Model):
    """One of a product's photos, `position` 0 its cover. The names are storage names (`core.images`); the unique
    position below nine holds the limit of nine photos in the database too."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField()
    original = models.CharField(max_length=IMAGE_NAME_MAX)
    large = models.CharField(max_length=IMAGE_NAME_MAX)
    small = models.CharField(max_length=IMAGE_NAME_MAX)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "position"], name="product_image_position_unique"),
            models.CheckConstraint(
                condition=Q(position__lt=MAX_PRODUCT_IMAGES), name="product_image_position_below_limit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"


class SKUSpecValue(models.Model):
    """A SKU's value in one dimension: at most one per dimension."""

    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="spec_choices")
    dimension = models.ForeignKey(SpecDimension, on_delete=models.CASCADE, related_name="+")
    value = models.ForeignKey(SpecValue, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sku", "dimension"], name="sku_one_value_per_dimension")]


class PersonalizationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("文字")
        CHOICE = "choice", _("选项")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    label = models.CharField(max_length=60)
    label_en = models.CharField(max_length=60, blank=True)
    required = models.BooleanField(default=True)
    max_chars = models.PositiveSmallIntegerField(default=20)
    min_select = models.PositiveSmallIntegerField(default=1)
    max_select = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("定制问题")
        verbose_name_plural = pgettext_lazy("plural", "定制问题")
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
    label_en = models.CharField(max_length=60, blank=True)
    price_delta_fen = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("定制选项")
        verbose_name_plural = pgettext_lazy("plural", "定制选项")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(price_delta_fen__gte=0), name="option_delta_non_negative")]

    def __str__(self) -> str:
        return self.label


class SearchDocument(models.Model):
    """A product's words as the search index holds them (`catalog.rules.index_tokens`), kept by the catalog's
    services. On SQLite a trigger mirrors it into an FTS5 table; on PostgreSQL a GIN index covers the token
    array (both made by migration 0004): `catalog.search` asks whichever the database has."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, primary_key=True, related_name="search")
    title_tokens = models.TextField()  # title (Chinese and English) and brand
    body_tokens = models.TextField()  # description, category, shop, specs, questions and their synonyms


class DailySales(models.Model):
    """Units of a product paid for on one day (Beijing date): the catalog's own count for 'sort by sales',
    since the catalog sits below orders and cannot read them."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="daily_sales")
    day = models.DateField()
    units = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "daily sales"
        constraints = [models.UniqueConstraint(fields=["product", "day"], name="daily_sales_one_row_per_day")]
        indexes = [models.Index(fields=["day", "product"])]
