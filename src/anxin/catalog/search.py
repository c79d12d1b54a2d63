"""Product search: the token index (kept by the catalog's services), the full-text match on whichever database
runs, and the storefront's filters, sorts and counts on top of it.

The tokens come from `rules.index_tokens` (Chinese characters and character pairs, Latin words), so both
databases match the same way: SQLite through an FTS5 table that triggers keep equal to `SearchDocument`,
PostgreSQL through a GIN index on the token array. Ranking is a pure rule (`rules.relevance_key`) applied to
the matches, so it too is the same on both."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, overload

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from anxin.catalog import rules
from anxin.catalog.models import SKU, DailySales, PersonalizationQuestion, Product, SearchDocument
from anxin.core import clock

FACET_SIZE = 12

# Made by migration 0004 for the database it runs on; `matching` reads them.
SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE catalog_search_fts USING fts5(title, body, tokenize='unicode61')",
    "CREATE TRIGGER catalog_search_ai AFTER INSERT ON catalog_searchdocument BEGIN "
    "INSERT INTO catalog_search_fts(rowid, title, body) VALUES (new.product_id, new.title_tokens, new.body_tokens); "
    "END",
    "CREATE TRIGGER catalog_search_au AFTER UPDATE ON catalog_searchdocument BEGIN "
    "UPDATE catalog_search_fts SET title = new.title_tokens, body = new.body_tokens WHERE rowid = old.product_id; "
    "END",
    "CREATE TRIGGER catalog_search_ad AFTER DELETE ON catalog_searchdocument BEGIN "
    "DELETE FROM catalog_search_fts WHERE rowid = old.product_id; END",
]
SQLITE_INDEX_DROP = [
    "DROP TRIGGER IF EXISTS catalog_search_ai",
    "DROP TRIGGER IF EXISTS catalog_search_au",
    "DROP TRIGGER IF EXISTS catalog_search_ad",
    "DROP TABLE IF EXISTS catalog_search_fts",
]
_PG_TOKENS = "string_to_array(title_tokens || ' ' || body_tokens, ' ')"
POSTGRES_INDEX = [f"CREATE INDEX catalog_search_tokens_gin ON catalog_searchdocument USING gin (({_PG_TOKENS}))"]
POSTGRES_INDEX_DROP = ["DROP INDEX IF EXISTS catalog_search_tokens_gin"]


# --- the index ----------------------------------------------------------------------------------------------


def _texts(product: Any) -> tuple[str, str]:
    """The title side (title, English title, brand) and the body side of a product with its relations
    (`category`, `skus`, `questions` and their options), as plain text. The shop's name is left out: every
    product of 绿茵定制球鞋工作室 would match 球鞋 (the shop filter and the shop page find a shop's products)."""
    title = " ".join([product.title, product.title_en, product.brand])
    body: list[str] = [product.description, product.category.name, product.category.name_en]
    for sku in product.skus.all():
        body.extend(str(value) for value in (sku.spec or {}).values())
    questions = list(product.questions.all())
    for question in questions:
        body.append(question.label)
        body.extend(option.label for option in question.options.all())
    if questions:
        body.append(rules.PERSONALIZABLE_WORDS)
    return title, " ".join(body)


def document_of(product: Any) -> tuple[str, str]:
    """The (title, body) token strings the index keeps for a product."""
    title, body = _texts(product)
    return " ".join(rules.index_tokens(title)), " ".join(rules.index_tokens(body))


def reindex(product_ids: Iterable[int], *, products: Any = Product, documents: Any = SearchDocument) -> int:
    """Write the index rows of these products (called by every catalog service that changes what is indexed).

    `products`/`documents` are the model classes; a migration passes its historical ones."""
    ids = sorted(set(product_ids))
    rows = products.objects.filter(pk__in=ids).select_related("category").prefetch_related("skus", "questions__options")
    for product in rows:
        title, body = document_of(product)
        documents.objects.update_or_create(product_id=product.pk, defaults={"title_tokens": title, "body_tokens": body})
    return len(ids)


def rebuild(
    *,
    products: Any = Product,
    documents: Any = SearchDocument,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Index every product again (after a change of the tokeniser, or for a database made before the index);
    `progress(done, total)` after each batch."""
    ids = list(products.objects.order_by("pk").values_list("pk", flat=True))
    documents.objects.exclude(product_id__in=ids).delete()
    for start in range(0, len(ids), batch):
        done = start + reindex(ids[start : start + batch], products=products, documents=documents)
        if progress is not None:
            progress(done, len(ids))
    return len(ids)


def matching(terms: list[str]) -> RawSQL:
    """The ids of products holding every term, as a subquery for `pk__in` (the index of the database in use)."""
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT product_id FROM catalog_searchdocument WHERE {_PG_TOKENS} @> %s::text[]", [terms])
    expression = " ".join(f'"{term}"' for term in terms)  # terms hold only letters, digits and Chinese
    return RawSQL("SELECT rowid FROM catalog_search_fts WHERE catalog_search_fts MATCH %s", [expression])


# --- sales --------------------------------------------------------------------------------------------------


def sales_since(day: date) -> Coalesce:
    """Units sold of the product (OuterRef pk) from `day` on, 0 when none."""
    units = (
        DailySales.objects.filter(product=OuterRef("pk"), day__gte=day)
        .values("product")
        .annotate(total=Sum("units"))
        .values("total")
    )
    return Coalesce(Subquery(units, output_field=IntegerField()), 0)


def sales_window_start(today: date) -> date:
    return today - timedelta(days=rules.SALES_WINDOW_DAYS - 1)


# --- the storefront's search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Counts:
    """How many products each filter value would leave, the other filters applied (a filter's own count
    leaves itself out, so switching brand shows what the other brands hold)."""

    brands: list[Facet] = field(default_factory=list)
    shops: list[Facet] = field(default_factory=list)
    personalizable: int = 0
    free_shipping: int | None = None  # None when the buyer's province is unknown


class RankedProducts(Sequence[Product]):
    """Products in relevance order: the ids are ranked once, each page's products fetched when sliced."""

    def __init__(self, ids: list[int], products: QuerySet[Product]):
        self.ids = ids
        self._products = products

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Product: ...
    @overload
    def __getitem__(self, index: slice) -> list[Product]: ...
    def __getitem__(self, index: int | slice) -> Product | list[Product]:
        if isinstance(index, int):
            return self._products.get(pk=self.ids[index])
        ids = self.ids[index]
        found = self._products.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self) -> Iterator[Product]:
        return iter(self[:])


def storefront() -> QuerySet[Product]:
    """What the storefront may show: active products of active shops with something to buy, with their lowest
    price and whether they ask questions."""
    cheapest = SKU.objects.filter(product=OuterRef("pk"), is_active=True).order_by("price_fen").values("price_fen")[:1]
    return (
        Product.objects.filter(is_active=True, merchant__is_active=True)
        .annotate(
            price_from_fen=Subquery(cheapest),
            personalizable=Exists(PersonalizationQuestion.objects.filter(product=OuterRef("pk"))),
        )
        .filter(price_from_fen__isnull=False)
        .select_related("merchant", "category")
    )


def _filters(request: rules.SearchRequest, ships_free: QuerySet | None) -> dict[str, Q]:
    """One condition per filter asked for, by name, so each count can leave its own filter out."""
    conditions: dict[str, Q] = {}
    if request.text.strip():
        terms = rules.query_terms(request.text)
        conditions["text"] = Q(pk__in=matching(terms)) if terms else Q(pk__in=[])
    if request.category_slug:
        conditions["category"] = Q(category__slug=request.category_slug) | Q(
            category__parent__slug=request.category_slug
        )
    if request.brand:
        conditions["brand"] = Q(brand=request.brand)
    if request.shop_slug:
        conditions["shop"] = Q(merchant__slug=request.shop_slug)
    if request.price_min_fen is not None:
        conditions["price_min"] = Q(price_from_fen__gte=request.price_min_fen)
    if request.price_max_fen is not None:
        conditions["price_max"] = Q(price_from_fen__lte=request.price_max_fen)
    if request.personalizable:
        conditions["personalizable"] = Q(personalizable=True)
    if request.free_shipping and ships_free is not None:
        conditions["free_shipping"] = Q(pk__in=ships_free)
    return conditions


def _without(products: QuerySet[Product], conditions: dict[str, Q], left_out: str) -> QuerySet[Product]:
    for name, condition in conditions.items():
        if name != left_out:
            products = products.filter(condition)
    return products


def _ordered(products: QuerySet[Product], request: rules.SearchRequest, sort: str) -> Sequence[Product]:
    if sort == rules.SORT_RELEVANCE:
        terms = rules.query_terms(request.text)
        titles = SearchDocument.objects.filter(product__in=products.values("pk")).values_list(
            "product_id", "title_tokens"
        )
        ranked = sorted(titles, key=lambda row: rules.relevance_key(terms, row[1], row[0]))
        return RankedProducts([pk for pk, _title in ranked], products)
    order = {
        rules.SORT_SALES: ["-sales_30d", "-created_at", "-id"],
        rules.SORT_PRICE_UP: ["price_from_fen", "-id"],
        rules.SORT_PRICE_DOWN: ["-price_from_fen", "-id"],
    }.get(sort, ["-created_at", "-id"])
    return products.order_by(*order)


def results(request: rules.SearchRequest, *, ships_free: QuerySet | None = None) -> Sequence[Product]:
    """The storefront's (and a shop page's) products in the order asked for, with their lowest price, whether
    they ask questions and their units sold in the last 30 days; a sequence the pagers slice (two queries per
    page). `ships_free` is the ids of the products that ship free to the buyer's province (the shipping floor
    computes it); without it the 包邮 filter is off."""
    products = _without(storefront(), _filters(request, ships_free), "")
    today = timezone.localdate(clock.now())
    return _ordered(
        products.annotate(sales_30d=sales_since(sales_window_start(today))), request, request.effective_sort
    )


def counts(request: rules.SearchRequest, *, ships_free: QuerySet | None = None) -> Counts:
    """The counts beside the filters: the top brands and shops, the personalizable ones and, with
    `ships_free`, those that ship free (four queries)."""
    conditions = _filters(request, ships_free)
    base = storefront()
    brands = (
        _without(base, conditions, "brand")
        .exclude(brand="")
        .values("brand")
        .annotate(n=Count("pk"))
        .order_by("-n", "brand")[:FACET_SIZE]
    )
    shops = (
        _without(base, conditions, "shop")
        .values("merchant__slug", "merchant__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "merchant__slug")[:FACET_SIZE]
    )
    free = None
    if ships_free is not None:
        free = _without(base, conditions, "free_shipping").filter(pk__in=ships_free).count()
    return Counts(
        brands=[Facet(row["brand"], row["brand"], row["n"]) for row in brands],
        shops=[Facet(row["merchant__slug"], row["merchant__name"], row["n"]) for row in shops],
        personalizable=_without(base, conditions, "personalizable").filter(personalizable=True).count(),
        free_shipping=free,
    )
