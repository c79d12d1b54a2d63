"""Browsing the catalog (public) and managing one's own products (merchant staff)."""

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile

from anxin.catalog import queries, rules, search, services
from anxin.catalog.models import Category
from anxin.core.errors import AnxinError, NotFound
from anxin.core.images import image_url
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate

router = Router(tags=["catalog"])
# The multipart field of the photo uploads; optional in the schema, so a missing file is the service's clear
# 400 `image_missing` (after the ownership check) rather than a bare validation error.
PHOTO_FILE = File(None, description="The picture: JPEG, PNG or WebP, at most 5 MB.")


class CategoryOut(Schema):
    id: int
    name: str
    name_en: str
    slug: str
    parent_id: int | None


class MerchantBrief(Schema):
    id: int
    name: str
    slug: str


class ProductCard(Schema):
    id: int
    title: str
    title_en: str
    brand: str
    is_fresh: bool
    merchant: MerchantBrief
    category_id: int
    cover_url: str = Field("", description="The cover photo's small thumbnail ('' when it has none).")

    @staticmethod
    def resolve_cover_url(product) -> str:
        return image_url(product.cover_small)


class ImageOut(Schema):
    """One stored photo: the re-encoded picture and its square thumbnails (800 and 360 px)."""

    id: int
    position: int
    url: str
    large_url: str
    small_url: str

    @staticmethod
    def resolve_url(image) -> str:
        return image_url(image.original)

    @staticmethod
    def resolve_large_url(image) -> str:
        return image_url(image.large)

    @staticmethod
    def resolve_small_url(image) -> str:
        return image_url(image.small)


class ImageOrderIn(Input):
    image_ids: list[int] = Field(..., max_length=9, description="The photos to keep, in order; the rest go.")


class SearchHit(ProductCard):
    price_from_fen: int
    personalizable: bool
    sales_30d: int


class SearchParams(Schema):
    """The storefront's search as query parameters (the pages' `?q=&sort=...` in typed form)."""

    q: str = Field("", max_length=100)
    category: str = Field("", max_length=60)
    sort: Literal["", "relevance", "sales", "price_up", "price_down", "newest"] = ""
    brand: str = Field("", max_length=60)
    shop: str = Field("", max_length=80)
    price_min_fen: int | None = Field(None, ge=0, le=100_000_000)
    price_max_fen: int | None = Field(None, ge=0, le=100_000_000)
    personalizable: bool = False

    def asked(self, *, free_shipping: bool = False) -> rules.SearchRequest:
        """The search these parameters ask for; a minimum above the maximum is a 400 naming both."""
        problem = rules.price_range_problem(self.price_min_fen, self.price_max_fen)
        if problem is not None:
            raise AnxinError(problem, code="invalid_price_range", fields={"price_min_fen": problem})
        return rules.SearchRequest(
            text=self.q,
            category_slug=self.category,
            sort=self.sort,
            brand=self.brand.strip(),
            shop_slug=self.shop,
            price_min_fen=self.price_min_fen,
            price_max_fen=self.price_max_fen,
            personalizable=self.personalizable,
            free_shipping=free_shipping,
        )


class OptionOut(Schema):
    id: int
    label: str
    label_en: str
    price_delta_fen: int


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
    label_en: str
    required: bool
    max_chars: int
    min_select: int
    max_select: int
    options: list[OptionOut]

    @staticmethod
    def resolve_options(question) -> list:
        return list(question.options.all())


class SkuOut(Schema):
    id: int
    code: str
    spec: dict[str, str]
    spec_en: dict[str, str]
    value_ids: list[int] = Field(..., description="its value in each of the product's dimensions, in their order")
    price_fen: int
    weight_g: int
    is_active: bool
    available: int
    image_large_url: str = Field("", description="The SKU's own photo ('' when it has none).")
    image_small_url: str = ""

    @staticmethod
    def resolve_image_large_url(sku) -> str:
        return image_url(sku.image_large)

    @staticmethod
    def resolve_image_small_url(sku) -> str:
        return image_url(sku.image_small)

    @staticmethod
    def resolve_available(sku) -> int:
        stock = getattr(sku, "stock", None)
        return stock.available if stock is not None else 0

    @staticmethod
    def resolve_value_ids(sku) -> list[int]:
        choices = sorted(sku.spec_choices.all(), key=lambda c: (c.dimension.position, c.dimension_id))
        return [c.value_id for c in choices]


class SpecValueOut(Schema):
    id: int
    name: str
    name_en: str


class DimensionOut(Schema):
    id: int
    name: str
    name_en: str
    values: list[SpecValueOut]


class ProductOut(ProductCard):
    description: str
    no_reason_return: str
    handling_hours: int
    price_protection_days: int
    remote_deliverable: bool
    shipping_template_id: int | None
    is_active: bool
    dimensions: list[DimensionOut]
    skus: list[SkuOut]
    questions: list[QuestionOut]
    images: list[ImageOut]

    @staticmethod
    def resolve_images(product) -> list:
        return list(product.images.all())

    @staticmethod
    def resolve_skus(product) -> list:
        return list(product.skus.all())

    @staticmethod
    def resolve_questions(product) -> list:
        return list(product.questions.all())

    @staticmethod
    def resolve_dimensions(product) -> list:
        return [
            {"id": d.pk, "name": d.name, "name_en": d.name_en, "values": list(d.values.all())}
            for d in product.spec_dimensions.all()
        ]


class ProductIn(Input):
    title: str = Field(..., max_length=120)
    title_en: str = Field("", max_length=160)
    brand: str = Field("", max_length=60)
    description: str = Field("", max_length=5000)
    category_id: int
    is_fresh: bool = False
    no_reason_return: Literal["yes", "no", "unopened"] = "yes"
    handling_hours: int = Field(48, ge=1, le=720)
    price_protection_days: int = Field(0, description="价保 days after payment: 0, 7, 15 or 30")
    remote_deliverable: bool = True
    is_active: bool = True


class ProductPatch(Input):
    title: str | None = Field(None, max_length=120)
    title_en: str | None = Field(None, max_length=160)
    brand: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=5000)
    category_id: int | None = None
    is_fresh: bool | None = None
    no_reason_return: Literal["yes", "no", "unopened"] | None = None
    handling_hours: int | None = Field(None, ge=1, le=720)
    price_protection_days: int | None = Field(None, description="价保 days after payment: 0, 7, 15 or 30")
    remote_deliverable: bool | None = None
    is_active: bool | None = None


class SkuIn(Input):
    code: str = Field(..., max_length=64)
    spec: dict[str, str] = {}
    price_fen: int = Field(..., ge=1, le=100_000_000)
    weight_g: int = Field(0, ge=0, le=1_000_000)
    stock: int = Field(0, ge=0, le=10_000_000)


class SkuPatch(Input):
    code: str | None = Field(None, max_length=64)
    spec: dict[str, str] | None = None
    price_fen: int | None = Field(None, ge=1, le=100_000_000)
    weight_g: int | None = Field(None, ge=0, le=1_000_000)
    is_active: bool | None = None


class StockIn(Input):
    available: int = Field(..., ge=0, le=10_000_000)


class StockOut(Schema):
    sku_id: int
    available: int
    allocated: int


class OptionIn(Input):
    label: str = Field(..., min_length=1, max_length=60)
    label_en: str = Field("", max_length=60)
    price_delta_fen: int = Field(0, ge=0, le=10_000_000)


class QuestionIn(Input):
    kind: Literal["text", "choice"]
    label: str = Field(..., min_length=1, max_length=60)
    label_en: str = Field("", max_length=60)
    required: bool = True
    max_chars: int = Field(20, ge=1, le=100)
    min_select: int = Field(1, ge=0, le=50)
    max_select: int = Field(1, ge=1, le=50)
    options: list[OptionIn] = Field([], max_length=50)


class SpecValueIn(Input):
    name: str = Field(..., min_length=1, max_length=60)
    name_en: str = Field("", max_length=60)


class DimensionIn(Input):
    name: str = Field(..., min_length=1, max_length=30)
    name_en: str = Field("", max_length=60)
    values: list[SpecValueIn] = Field(..., min_length=1, max_length=30)


class CombinationIn(Input):
    values: list[str] = Field(..., min_length=1, max_length=3, description="one value name per dimension, in order")
    price_fen: int = Field(..., ge=1, le=100_000_000)
    stock: int = Field(0, ge=0, le=10_000_000)
    code: str = Field("", max_length=64, description="empty: kept, or made up for a new SKU")
    weight_g: int = Field(0, ge=0, le=1_000_000)
    is_active: bool = True


class SpecMatrixIn(Input):
    dimensions: list[DimensionIn] = Field(..., min_length=1, max_length=3)
    skus: list[CombinationIn] = Field(..., min_length=1, max_length=300)


class CombinationOut(Schema):
    id: int
    values: list[str]
    price_fen: int
    stock: int
    code: str
    weight_g: int
    is_active: bool


class SpecMatrixOut(Schema):
    dimensions: list[DimensionOut]
    skus: list[CombinationOut]


def _product_or_404(product_id: int):
    product = queries.product_page(product_id)
    if product is None:
        raise NotFound(_("找不到这个商品。"))
    return product


@router.get("/categories", auth=None, response=list[CategoryOut])
def list_categories(request: HttpRequest):
    return list(Category.objects.all())


@router.get("/products", auth=None, response=list[SearchHit])
@paginate
def list_products(request: HttpRequest, params: Query[SearchParams]):
    """Search the storefront as its page does: words (Chinese matched by characters and pairs, so 球鞋 finds
    足球鞋), sorts and filters. The 包邮 filter needs a province: `GET /api/search`."""
    return search.results(params.asked())


@router.get("/products/{product_id}", auth=None, response=ProductOut)
def get_product(request: HttpRequest, product_id: int):
    return _product_or_404(product_id)


@router.get("/seller/products", response=list[ProductCard], tags=["seller"])
@paginate
def seller_products(request: HttpRequest):
    require_role(request.auth, "merchant_staff")
    return queries.merchant_products(request.auth.merchant_id).select_related("merchant")


@router.post("/seller/products", response={201: ProductOut}, tags=["seller"])
def create_product(request: HttpRequest, payload: ProductIn):
    product = services.create_product(request.auth, payload.dict())
    return 201, queries.product_page(product.pk) or product


@router.patch("/seller/products/{product_id}", response=ProductOut, tags=["seller"])
def update_product(request: HttpRequest, product_id: int, payload: ProductPatch):
    product = services.update_product(request.auth, product_id, payload.dict(exclude_none=True))
    return queries.product_page(product.pk) or product


@router.post("/seller/products/{product_id}/skus", response={201: SkuOut}, tags=["seller"])
def add_sku(request: HttpRequest, product_id: int, payload: SkuIn):
    data = payload.dict()
    stock = data.pop("stock")
    sku = services.add_sku(request.auth, product_id, data, stock=stock)
    return 201, services.own_sku(request.auth, sku.pk)


@router.patch("/seller/skus/{sku_id}", response=SkuOut, tags=["seller"])
def update_sku(request: HttpRequest, sku_id: int, payload: SkuPatch):
    sku = services.update_sku(request.auth, sku_id, payload.dict(exclude_none=True))
    return services.own_sku(request.auth, sku.pk)


@router.put("/seller/skus/{sku_id}/stock", response=StockOut, tags=["seller"])
def set_stock(request: HttpRequest, sku_id: int, payload: StockIn):
    return services.set_stock(request.auth, sku_id, payload.available)


@router.put("/seller/products/{product_id}/questions", response=list[QuestionOut], tags=["seller"])
def replace_questions(request: HttpRequest, product_id: int, payload: list[QuestionIn]):
    """Replace the product's personalization questions (at most 5), in the order given."""
    return services.replace_questions(request.auth, product_id, [q.dict() for q in payload])


@router.get("/seller/products/{product_id}/specs", response=SpecMatrixOut, tags=["seller"])
def get_spec_matrix(request: HttpRequest, product_id: int):
    """The product's spec dimensions, their values, and the SKU of each combination."""
    product = services.own_product(request.auth, product_id)
    return queries.spec_matrix(product.pk)


@router.put("/seller/products/{product_id}/specs", response=SpecMatrixOut, tags=["seller"])
def replace_spec_matrix(request: HttpRequest, product_id: int, payload: SpecMatrixIn):
    """Replace the whole matrix: new combinations get SKUs, removed ones are deactivated (never deleted)."""
    services.replace_spec_matrix(request.auth, product_id, payload.dict())
    return queries.spec_matrix(product_id)


@router.post("/seller/products/{product_id}/images", response={201: ImageOut}, tags=["seller"])
def add_product_image(request: HttpRequest, product_id: int, image: UploadedFile | None = PHOTO_FILE):
    """Upload a photo (multipart field `image`: JPEG, PNG or WebP, at most 5 MB, 200 to 8000 px a side); it
    goes after the others, at most nine. Refusals: `image_type`, `image_too_big`, `image_too_small`,
    `image_too_large`, `image_unreadable`, `image_missing`, 409 `too_many_images`."""
    return 201, services.add_product_image(request.auth, product_id, image)


@router.put("/seller/products/{product_id}/images", response=list[ImageOut], tags=["seller"])
def arrange_product_images(request: HttpRequest, product_id: int, payload: ImageOrderIn):
    """Keep the photos listed, in that order (the first is the cover); the others are removed."""
    return services.arrange_product_images(request.auth, product_id, payload.image_ids)


@router.post("/seller/skus/{sku_id}/image", response={201: SkuOut}, tags=["seller"])
def set_sku_image(request: HttpRequest, sku_id: int, image: UploadedFile | None = PHOTO_FILE):
    """Upload the SKU's own photo (multipart field `image`, checked as product photos are), replacing its last."""
    sku = services.set_sku_image(request.auth, sku_id, image)
    return 201, services.own_sku(request.auth, sku.pk)


@router.delete("/seller/skus/{sku_id}/image", response=SkuOut, tags=["seller"])
def remove_sku_image(request: HttpRequest, sku_id: int):
    sku = services.remove_sku_image(request.auth, sku_id)
    return services.own_sku(request.auth, sku.pk)
