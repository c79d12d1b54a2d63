"""The buyer's buying pages: the product page (price and print preview, delivery offer, add to cart), the
cart, and the checkout that places the order and sends the buyer to pay.

The product page lives here, not in catalog, because adding to the cart and the delivery offer belong to
floors above catalog (checkout, shipping). Pages are thin: they parse the request, call the same services
the API calls, and put the services' AnxinError messages back next to the field they name.
"""

import uuid
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog.queries import available, product_page
from anxin.checkout import queries, services
from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.pages import buyer_required, int_or_raw
from anxin.geo import queries as geo
from anxin.payments import provider as payment_provider
from anxin.shipping import queries as shipping

# --- the product page ---------------------------------------------------------------------------------


def _personalization_from(data, questions) -> dict[str, object]:
    """The raw answers as the service takes them: {"<question id>": text or [option ids]}."""
    raw: dict[str, object] = {}
    for question in questions:
        name = f"q_{question.pk}"
        if question.kind == "choice":
            raw[str(question.pk)] = [value for value in data.getlist(name) if value != ""]
        else:
            raw[str(question.pk)] = data.get(name, "")
    return raw


def _preview(product, skus, questions, data) -> dict[str, Any]:
    """Unit price and the line that will be printed, from what is typed so far (never raises)."""
    sku_id = int_or_raw(data.get("sku_id"))
    sku = next((s for s in skus if s.pk == sku_id), None) or (skus[0] if skus else None)
    quantity = int_or_raw(data.get("quantity", 1))
    quantity = quantity if isinstance(quantity, int) and quantity > 0 else 1
    parts, delta = [], 0
    for question in questions:
        if question.kind == "choice":
            chosen = {str(v) for v in data.getlist(f"q_{question.pk}")}
            options = [o for o in question.options.all() if str(o.pk) in chosen]
            delta += sum(o.price_delta_fen for o in options)
            if options:
                parts.append(f"{question.label}: {', '.join(o.label for o in options)}")
        else:
            text = (data.get(f"q_{question.pk}") or "").strip()
            if text:
                parts.append(f"{question.label}: {text}")
    unit = (sku.price_fen if sku else 0) + delta
    return {"sku": sku, "unit_fen": unit, "quantity": quantity, "total_fen": unit * quantity, "line": " · ".join(parts)}


def _product_or_404(product_id: int):
    product = product_page(product_id)
    if product is None:
        raise Http404
    skus = list(product.skus.all())
    for sku in skus:
        sku.available = available(sku)
    questions = list(product.questions.all())
    for question in questions:
        question.field_name = f"q_{question.pk}"
    return product, skus, questions


def delivery_offer(request: HttpRequest, product, sku) -> dict[str, Any]:
    """What the product page says about delivery: for a signed-in buyer, the fee to their default address, the
    hub for a remote one, 预计送达, or why this product cannot go there. A few queries, cached geography."""
    user = request.user
    if not user.is_authenticated:
        return {"state": "anonymous"}
    if user.role != "buyer" or sku is None:
        return {"state": "none"}
    address = user.addresses.first()  # the default one first
    if address is None:
        return {"state": "no_address"}
    offer = shipping.offer(product, sku, address.province_code, clock.now())
    hub = shipping.geography().hubs.get(address.province_code[:2], "") if offer.via_hub else ""
    return {
        "state": "refused" if offer.refusal else "offer",
        "offer": offer,
        "address": address,
        "hub_code": hub,
        "hub_name": geo.hub_name(hub),
    }


def _cart_errors(exc: AnxinError) -> tuple[dict[str, str], list[str]]:
    """The service's field errors beside their question, quantity or SKU; the rest at the top."""
    errors: dict[str, str] = {}
    general = [exc.message]
    for key, message in exc.fields.items():
        if key.startswith("answers.") and key[len("answers.") :].isdigit():
            errors[f"q_{key[len('answers.') :]}"] = message
        elif key in {"quantity", "sku_id"}:
            errors[key] = message
        else:
            general.append(message)
    return errors, general


@require_http_methods(["GET", "POST"])
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product, skus, questions = _product_or_404(product_id)
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.add_to_cart(
                request.user,
                int_or_raw(data.get("sku_id")),
                int_or_raw(data.get("quantity", "1")),
                _personalization_from(data, questions),
            )
        except AnxinError as exc:
            status = exc.status
            errors, general = _cart_errors(exc)
        else:
            messages.success(request, _("已加入购物车。"))
            return redirect("web:checkout" if request.POST.get("then") == "checkout" else "web:cart")
    preview = _preview(product, skus, questions, data)
    chosen_sku = preview["sku"]
    values = {
        f"q_{q.pk}": (data.getlist(f"q_{q.pk}") if q.kind == "choice" else data.get(f"q_{q.pk}", "")) for q in questions
    }
    context = {
        "product": product,
        "skus": skus,
        "questions": questions,
        "values": values,
        "chosen_sku_id": chosen_sku.pk if chosen_sku else None,
        "quantity": data.get("quantity", "1"),
        "errors": errors,
        "general_errors": general,
        "preview": preview,
        "delivery": delivery_offer(request, product, chosen_sku),
        "product_url": request.path,
    }
    return render(request, "checkout/buyer/product.html", context, status=status)


@require_GET
def product_preview(request: HttpRequest, product_id: int) -> HttpResponse:
    """htmx: the price and the print preview for what is typed so far, and the delivery offer of that SKU."""
    product, skus, questions = _product_or_404(product_id)
    preview = _preview(product, skus, questions, request.GET)
    context = {
        "preview": preview,
        "delivery": delivery_offer(request, product, preview["sku"]),
        "product": product,
        "product_url": reverse("web:product", args=[product.pk]),
        "oob": True,
    }
    return render(request, "checkout/buyer/_preview.html", context)


# --- cart ---------------------------------------------------------------------------------------------


def _cart_groups(user) -> list[dict[str, Any]]:
    """The buyer's cart lines grouped by merchant, with unit prices and totals (a fixed number of queries)."""
    groups: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for line in queries.cart_lines(user):
        product = line.sku.product
        line.unit_fen = services.cart_unit_price(line)
        line.total_fen = line.unit_fen * line.quantity
        line.available = available(line.sku)
        group = groups.setdefault(product.merchant_id, {"merchant": product.merchant, "lines": [], "goods_fen": 0})
        group["lines"].append(line)
        group["goods_fen"] += line.total_fen
    return list(groups.values())


def _render_cart(request: HttpRequest, *, line_errors=None, status: int = 200) -> HttpResponse:
    groups = _cart_groups(request.user)
    context = {
        "groups": groups,
        "goods_fen": sum(g["goods_fen"] for g in groups),
        "line_errors": line_errors or {},
    }
    return render(request, "checkout/buyer/cart.html", context, status=status)


@require_GET
@buyer_required
def cart(request: HttpRequest) -> HttpResponse:
    return _render_cart(request)


@require_POST
@buyer_required
def cart_line_quantity(request: HttpRequest, line_id: int) -> HttpResponse:
    try:
        services.set_cart_quantity(request.user, line_id, int_or_raw(request.POST.get("quantity")))
    except NotFound:
        raise
    except AnxinError as exc:
        return _render_cart(request, line_errors={line_id: exc.fields.get("quantity", exc.message)}, status=exc.status)
    return redirect("web:cart")


@require_POST
@buyer_required
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    services.remove_cart_line(request.user, line_id)
    messages.success(request, _("已从购物车删除。"))
    return redirect("web:cart")


# --- checkout -----------------------------------------------------------------------------------------


def _checkout_context(request: HttpRequest, address_id, key: str, error: str = "") -> dict[str, Any]:
    addresses = list(request.user.addresses.all())
    chosen = next((a for a in addresses if a.pk == address_id), None)
    if chosen is None:
        chosen = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
    groups = _cart_groups(request.user)
    quotes = services.shipping_for_cart(request.user, chosen.province_code) if chosen is not None else {}
    refusals = []
    for group in groups:
        quote = quotes.get(group["merchant"].pk)
        group["shipping_fen"] = quote.fee_fen if quote else 0
        group["via_hub"] = bool(quote and quote.via_hub)
        refusals += [shipping.refusal_message(r) for r in quote.refusals] if quote else []
        group["total_fen"] = group["goods_fen"] + group["shipping_fen"]
    return {
        "addresses": geo.add_region_text(addresses),
        "chosen": chosen,
        "groups": groups,
        "total_fen": sum(g["total_fen"] for g in groups),
        "idempotency_key": key,
        "error": error or " ".join(refusals),
    }


def _checkout_error(exc: AnxinError, groups: list[dict[str, Any]]) -> str:
    """The service's message, with each line it names (`<sku id>` or `lines.<line id>`) called by its title."""
    by_sku = {str(line.sku_id): line for group in groups for line in group["lines"]}
    by_line = {f"lines.{line.pk}": line for group in groups for line in group["lines"]}
    details = []
    for key, message in exc.fields.items():
        line = by_line.get(key) or by_sku.get(key)
        if line is not None:
            details.append(f"{line.sku.product.title}：{message}")
        elif key != "address_id":
            details.append(message)
    return " ".join([exc.message, *details])


@require_http_methods(["GET", "POST"])
@buyer_required
def checkout(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        context = _checkout_context(request, int_or_raw(request.GET.get("address_id")), uuid.uuid4().hex)
        template = "checkout/buyer/_checkout_summary.html" if request.htmx else "checkout/buyer/checkout.html"
        return render(request, template, context)
    key = (request.POST.get("idempotency_key") or "").strip()[:200]
    address_id = int_or_raw(request.POST.get("address_id"))
    try:
        if not isinstance(address_id, int):
            raise AnxinError(_("请选择收货地址。"), code="invalid_address", fields={"address_id": _("请选择")})
        payment = services.place_and_start_payment(
            request.user, address_id=address_id, idempotency_key=key or uuid.uuid4().hex
        )
    except Conflict as exc:
        if exc.code == "already_paid":
            messages.info(request, exc.message)
            return redirect("web:order_list")
        context = _checkout_context(request, address_id, key or uuid.uuid4().hex, exc.message)
        return render(request, "checkout/buyer/checkout.html", context, status=exc.status)
    except AnxinError as exc:
        context = _checkout_context(request, address_id, key or uuid.uuid4().hex)
        context["error"] = _checkout_error(exc, context["groups"])
        return render(request, "checkout/buyer/checkout.html", context, status=exc.status)
    return HttpResponseRedirect(payment_provider.pay_url(payment))
