"""The storefront's search and the shop pages. They live on the checkout floor, not in catalog, because the
包邮 filter and the shops' free-shipping promises are the shipping floor's answers; the search itself is the
catalog's (`catalog.search`)."""

from dataclasses import replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anxin.catalog import badges, search
from anxin.catalog import queries as catalog
from anxin.catalog import rules as catalog_rules
from anxin.checkout.pages.forms import SORT_LABELS, SearchForm
from anxin.core.errors import translate
from anxin.core.pages import page_of
from anxin.geo.data import PROVINCES
from anxin.geo.queries import province_name
from anxin.shipping import queries as shipping

PAGE_SIZE = 24


def buyer_province(request: HttpRequest, form: SearchForm) -> str:
    """Where 包邮 is asked about: the province chosen in the page (`?to=`), else the signed-in buyer's
    default address, else none."""
    chosen = form.cleaned_data.get("to")  # the form is cleaned already; a bad value is absent
    if chosen:
        return chosen
    user = request.user
    if user.is_authenticated and getattr(user, "role", "") == "buyer":
        address = user.addresses.first()  # the default one first
        if address is not None:
            return address.province_code
    return ""


def _results(request: HttpRequest, *, shop_slug: str = "") -> dict[str, Any]:
    """Search, filters, counts and the page asked for, as both pages show them."""
    form = SearchForm(request.GET)
    asked, notes = form.asked()
    if shop_slug:
        asked = replace(asked, shop_slug=shop_slug)
    province = buyer_province(request, form)
    ships_free = shipping.free_shipping_products(province) if province else None
    page = page_of(request, search.results(asked, ships_free=ships_free), PAGE_SIZE)
    return {
        "form": form,
        "asked": asked,
        "notes": notes,
        "counts": search.counts(asked, ships_free=ships_free),
        "sort": asked.effective_sort,
        "page": page,
        "products": page.object_list,
        "price_badges": badges.product_badges([product.pk for product in page.object_list]),
        "province": province,
        "provinces": [(p.code, province_name(p.code)) for p in PROVINCES],
        "sorts": [
            (value, label)
            for value, label in SORT_LABELS.items()
            if value != catalog_rules.SORT_RELEVANCE or asked.text
        ],
        "categories": catalog.top_categories(),
        "search_text": asked.text,
        "category_slug": asked.category_slug,
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout/buyer/storefront.html", _results(request))


@require_GET
def shop(request: HttpRequest, shop_slug: str) -> HttpResponse:
    merchant = catalog.shop(shop_slug)
    if merchant is None:
        raise Http404
    facts = catalog.shop_facts(merchant.pk)
    remote_free = shipping.remote_free_provinces(merchant.pk)
    badges = catalog_rules.shop_promises(
        max_handling_hours=facts.max_handling_hours,
        all_no_reason_return=facts.all_no_reason_return,
        any_personalizable=facts.any_personalizable,
        remote_free=[province_name(code) for code in remote_free],
        every_remote_free=len(remote_free) == len(shipping.remote_program().hubs) > 0,
    )
    context = _results(request, shop_slug=merchant.slug)
    context.update({"shop": merchant, "facts": facts, "badges": [translate(badge) for badge in badges]})
    return render(request, "checkout/buyer/shop.html", context)
