"""Browsing the catalog (public) and managing one's own products (merchant staff)."""

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from anxin.catalog import queries, services
from anxin.catalog.models import Category
from anxin.core.errors import NotFound
from anxin.core.permissions import require_role
from anxin.core.schemas import Input, paginate

router = Router(tags=["catalog"])


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


class OptionOut(Schema):
    id: int
    label: str
    price_delta_fen: int


class QuestionOut(Schema):
    id: int
    kind: str
    label: str
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
    price_fen: int
    weight_g: int
    is_active: bool
    available: int

    @staticmethod
    def resolve_available(sku) -> int:
        stock = getattr(sku, "stock", None)
        return stock.available if stock is not None else 0


class ProductOut(ProductCard):
    description: str
    no_reason_return: str
    handling_hours: int
    remote_deliverable: bool
    shipping_template_id: int | None
    is_active: bool
    skus: list[SkuOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_skus(product) -> list:
        return list(product.skus.all())

    @staticmethod
    def resolve_questions(product) -> list:
        return list(product.questions.all())


class ProductIn(Input):
    title: str = Field(..., max_length=120)
    title_en: str = Field("", max_length=160)
    brand: str = Field("", max_length=60)
    description: str = Field("", max_length=5000)
    category_id: int
    is_fresh: bool = False
    no_reason_return: Literal["yes", "no", "unopened"] = "yes"
    handling_hours: int = Field(48, ge=1, le=720)
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
    price_delta_fen: int = Field(0, ge=0, le=10_000_000)


class QuestionIn(Input):
    kind: Literal["text", "choice"]
    label: str = Field(..., min_length=1, max_length=60)
    required: bool = True
    max_chars: int = Field(20, ge=1, le=100)
    min_select: int = Field(1, ge=0, le=50)
    max_select: int = Field(1, ge=1, le=50)
    options: list[OptionIn] = Field([], max_length=50)


def _product_or_404(product_id: int):
    product = queries.product_page(product_id)
    if product is None:
        raise NotFound(_("找不到这个商品。"))
    return product


@router.get("/categories", auth=None, response=list[CategoryOut])
def list_categories(request: HttpRequest):
    return list(Category.objects.all())


@router.get("/products", auth=None, response=list[ProductCard])
@paginate
def list_products(request: HttpRequest, q: str = "", category: str = ""):
    """Search active products by words in the title (Chinese or English) or brand."""
    return queries.storefront_products(q[:100], category[:60])


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
