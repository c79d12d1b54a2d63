"""Read helpers for the catalog: product pages, shop pages, and the question specs that the rules check (the
search is `catalog.search`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from anxin.catalog.models import (
    SKU,
    Category,
    ChoiceOption,
    Merchant,
    PersonalizationQuestion,
    Product,
    SKUSpecValue,
    SpecDimension,
    SpecValue,
)
from anxin.catalog.rules import ChipSku, OptionSpec, QuestionSpec


def questions_prefetch() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=PersonalizationQuestion.objects.order_by("position", "id").prefetch_related(
            Prefetch("options", queryset=ChoiceOption.objects.order_by("position", "id"))
        ),
    )


def spec_of(question: PersonalizationQuestion) -> QuestionSpec:
    return QuestionSpec(
        id=question.pk,
        kind=question.kind,
        label=question.label,
        required=question.required,
        max_chars=question.max_chars,
        min_select=question.min_select,
        max_select=question.max_select,
        options=tuple(OptionSpec(o.pk, o.label, o.price_delta_fen, o.label_en) for o in question.options.all()),
        label_en=question.label_en,
    )


def question_specs_for(product_ids: Iterable[int]) -> dict[int, list[QuestionSpec]]:
    """Question specs of many products in two queries (checkout re-validates every line with them)."""
    specs: dict[int, list[QuestionSpec]] = {pk: [] for pk in product_ids}
    questions = (
        PersonalizationQuestion.objects.filter(product_id__in=list(specs))
        .order_by("product_id", "position", "id")
        .prefetch_related(Prefetch("options", queryset=ChoiceOption.objects.order_by("position", "id")))
    )
    for question in questions:
        specs[question.product_id].append(spec_of(question))
    return specs


def product_page(product_id: int) -> Product | None:
    """A product with its SKUs, stock and questions, ready for the product page (a fixed number of queries)."""
    return (
        Product.objects.filter(pk=product_id, is_active=True, merchant__is_active=True)
        .select_related("merchant", "merchant__origin_province", "category")
        .prefetch_related(
            Prefetch(
                "skus",
                queryset=SKU.objects.filter(is_active=True)
                .select_related("stock")
                .prefetch_related(choices_prefetch()),
            ),
            dimensions_prefetch(),
            questions_prefetch(),
            "images",
        )
        .first()
    )


def merchant_products(merchant_id: int) -> QuerySet[Product]:
    return Product.objects.filter(merchant_id=merchant_id).select_related("category").order_by("-created_at", "-id")


def top_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True).order_by("position", "id"))


def merchant_product_list(merchant_id: int) -> QuerySet[Product]:
    """The seller's products with their SKUs (and stock) and questions, for the product list."""
    return merchant_products(merchant_id).prefetch_related(
        Prefetch("skus", queryset=SKU.objects.select_related("stock").order_by("pk")), "questions"
    )


def available(sku: SKU) -> int:
    """What can still be sold of a SKU (0 without a stock row)."""
    stock = getattr(sku, "stock", None)
    return stock.available if stock is not None else 0


def product_with_questions(product_id: int) -> Product:
    """A product with its questions and their options (the seller's question editor)."""
    return Product.objects.prefetch_related(questions_prefetch()).get(pk=product_id)


def dimensions_prefetch() -> Prefetch:
    return Prefetch(
        "spec_dimensions",
        queryset=SpecDimension.objects.order_by("position", "id").prefetch_related(
            Prefetch("values", queryset=SpecValue.objects.order_by("position", "id"))
        ),
    )


def choices_prefetch() -> Prefetch:
    return Prefetch("spec_choices", queryset=SKUSpecValue.objects.select_related("dimension"))


def chip_skus(product: Product, skus: list[SKU]) -> list[ChipSku] | None:
    """The product page's SKUs as chips see them (value ids in the dimensions' order, buyable or not), or None
    when the product has no dimensions or a SKU lacks a value, and the page lists the SKUs instead.
    Reads only what `product_page` prefetched."""
    dimension_ids = [d.pk for d in product.spec_dimensions.all()]
    if not dimension_ids or not skus:
        return None
    chips = []
    for sku in skus:
        by_dimension = {choice.dimension_id: choice.value_id for choice in sku.spec_choices.all()}
        if set(by_dimension) != set(dimension_ids):
            return None
        values = tuple(by_dimension[pk] for pk in dimension_ids)
        chips.append(ChipSku(sku.pk, values, sku.is_active and available(sku) > 0))
    return chips


def spec_matrix(product_id: int) -> dict[str, Any]:
    """A product's matrix in the shape `services.replace_spec_matrix` takes (plus each SKU's id), for the API
    and the seller's editor: the SKUs in the matrix, the first dimension varying slowest."""
    dimensions = list(SpecDimension.objects.filter(product_id=product_id).prefetch_related("values"))
    position = {v.pk: (d.position, v.position) for d in dimensions for v in d.values.all()}
    skus = SKU.objects.filter(product_id=product_id).exclude(spec_key="").select_related("stock")
    rows = []
    for sku in skus.prefetch_related(Prefetch("spec_choices", queryset=SKUSpecValue.objects.select_related("value"))):
        choices = sorted(sku.spec_choices.all(), key=lambda c: position.get(c.value_id, (0, 0)))
        rows.append(
            {
                "id": sku.pk,
                "values": [c.value.name for c in choices],
                "order": [position.get(c.value_id, (0, 0))[1] for c in choices],
                "code": sku.code,
                "price_fen": sku.price_fen,
                "stock": available(sku),
                "weight_g": sku.weight_g,
                "is_active": sku.is_active,
            }
        )
    rows.sort(key=lambda row: row.pop("order"))
    return {
        "dimensions": [
            {
                "id": d.pk,
                "name": d.name,
                "name_en": d.name_en,
                "values": [{"id": v.pk, "name": v.name, "name_en": v.name_en} for v in d.values.all()],
            }
            for d in dimensions
        ],
        "skus": rows,
    }


@dataclass(frozen=True)
class ShopFacts:
    """What a shop page promises from its active products: the slowest handling time, whether every one takes
    7-day no-reason returns, and whether any can be personalized."""

    product_count: int
    max_handling_hours: int
    all_no_reason_return: bool
    any_personalizable: bool


def shop(slug: str) -> Merchant | None:
    """An active shop by its slug, with its province, for its public page."""
    return Merchant.objects.filter(slug=slug, is_active=True).select_related("origin_province").first()


def shop_facts(merchant_id: int) -> ShopFacts:
    products = Product.objects.filter(merchant_id=merchant_id, is_active=True)
    facts = products.aggregate(
        count=Count("pk"),
        slowest=Max("handling_hours"),
        not_returnable=Count("pk", filter=~Q(no_reason_return=Product.NoReasonReturn.YES)),
    )
    return ShopFacts(
        product_count=facts["count"],
        max_handling_hours=facts["slowest"] or 0,
        all_no_reason_return=facts["count"] > 0 and facts["not_returnable"] == 0,
        any_personalizable=PersonalizationQuestion.objects.filter(product__in=products).exists(),
    )
