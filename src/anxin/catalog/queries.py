"""Read helpers for the catalog: search, product pages, and the question specs that the rules check."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from anxin.catalog.models import SKU, Category, ChoiceOption, PersonalizationQuestion, Product
from anxin.catalog.rules import OptionSpec, QuestionSpec


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
        options=tuple(OptionSpec(o.pk, o.label, o.price_delta_fen) for o in question.options.all()),
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


def storefront_products(text: str = "", category_slug: str = "") -> QuerySet[Product]:
    """Active products of active shops, newest first; `text` matches title (zh/en) or brand."""
    products = Product.objects.filter(is_active=True, merchant__is_active=True).select_related("merchant", "category")
    for word in text.split()[:5]:
        products = products.filter(Q(title__icontains=word) | Q(title_en__icontains=word) | Q(brand__icontains=word))
    if category_slug:
        products = products.filter(Q(category__slug=category_slug) | Q(category__parent__slug=category_slug))
    return products.order_by("-created_at", "-id")


def product_page(product_id: int) -> Product | None:
    """A product with its SKUs, stock and questions, ready for the product page (a fixed number of queries)."""
    return (
        Product.objects.filter(pk=product_id, is_active=True, merchant__is_active=True)
        .select_related("merchant", "merchant__origin_province", "category")
        .prefetch_related(
            Prefetch("skus", queryset=SKU.objects.filter(is_active=True).select_related("stock")),
            questions_prefetch(),
        )
        .first()
    )


def merchant_products(merchant_id: int) -> QuerySet[Product]:
    return Product.objects.filter(merchant_id=merchant_id).select_related("category").order_by("-created_at", "-id")


def storefront_page_products(text: str = "", category_slug: str = "") -> QuerySet[Product]:
    """The storefront's products with their lowest active price and whether they can be personalized."""
    cheapest = SKU.objects.filter(product=OuterRef("pk"), is_active=True).order_by("price_fen").values("price_fen")[:1]
    return storefront_products(text, category_slug).annotate(
        price_from_fen=Subquery(cheapest),
        personalizable=Exists(PersonalizationQuestion.objects.filter(product=OuterRef("pk"))),
    )


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
