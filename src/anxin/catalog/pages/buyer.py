"""The storefront: products found by text or category, a page at a time. The product page itself is the
checkout's (it adds to the cart and quotes delivery, floors above the catalog)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.catalog import queries
from anxin.core.pages import page_of

PAGE_SIZE = 24


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    category_slug = request.GET.get("c", "").strip()[:60]
    page = page_of(request, queries.storefront_page_products(text, category_slug), PAGE_SIZE)
    context = {
        "page": page,
        "products": page.object_list,
        "categories": queries.top_categories(),
        "search_text": text,
        "category_slug": category_slug,
    }
    return render(request, "catalog/buyer/home.html", context)
