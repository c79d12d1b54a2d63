"""The buyer's pages: sign-up and log-in, storefront, product page, cart, addresses, checkout, my orders.

Views are thin: they parse the request, call the same services the API calls, and put the services'
AnxinError messages back next to the field they name, keeping what the person typed.
"""

import uuid
from collections import OrderedDict
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.accounts import services as accounts
from anxin.catalog.models import SKU, Category, PersonalizationQuestion
from anxin.catalog.queries import product_page, storefront_products
from anxin.checkout import services as checkouts
from anxin.checkout.models import CartLine
from anxin.core import clock, events
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.fulfilment import queries as fulfilment
from anxin.geo import queries as geo
from anxin.orders import queries
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.payments import provider as payment_provider
from anxin.shipping import queries as shipping
from anxin.shipping.queries import refusal_message
from anxin.web.forms import AddressForm, SignUpForm, apply_error
from anxin.web.templatetags.anxin_web import local_name

PAGE_SIZE = 24
ORDERS_PAGE_SIZE = 20


# --- helpers ------------------------------------------------------------------------------------------


def role_required(*roles: str):
    """Anonymous people are sent to log in; a signed-in person of another role gets 404 (DESIGN: permissions)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


buyer_required = role_required("buyer")


def _int_or_raw(value):
    """An int when the text is one; otherwise the text itself, so the service reports it as invalid."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return value


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _available(sku) -> int:
    stock = getattr(sku, "stock", None)
    return stock.available if stock is not None else 0


# --- sign-up, log-in, log-out -------------------------------------------------------------------------


class AnxinLoginView(LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class AnxinLogoutView(LogoutView):
    http_method_names = ["post", "options"]


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignUpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.sign_up_buyer(
                form.cleaned_data["username"],
                form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
            )
        except AnxinError as exc:
            apply_error(form, exc)
            error = exc.message
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("欢迎来到安心！"))
            return redirect(_safe_next(request, reverse("web:home")))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/signup.html", {"form": form, "error": error}, status=status)


# --- storefront ---------------------------------------------------------------------------------------


@require_GET
def home(request):
    text = request.GET.get("q", "").strip()[:100]
    category_slug = request.GET.get("c", "").strip()[:60]
    cheapest = SKU.objects.filter(product=OuterRef("pk"), is_active=True).order_by("price_fen").values("price_fen")[:1]
    products = storefront_products(text, category_slug).annotate(
        price_from_fen=Subquery(cheapest),
        personalizable=Exists(PersonalizationQuestion.objects.filter(product=OuterRef("pk"))),
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    categories = list(Category.objects.filter(parent__isnull=True).order_by("position", "id"))
    context = {
        "page": page,
        "products": page.object_list,
        "categories": categories,
        "search_text": text,
        "category_slug": category_slug,
    }
    return render(request, "web/home.html", context)


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


def _preview(product, skus, questions, data) -> dict:
    """Unit price and the line that will be printed, from what is typed so far (never raises)."""
    sku_id = _int_or_raw(data.get("sku_id"))
    sku = next((s for s in skus if s.pk == sku_id), None) or (skus[0] if skus else None)
    quantity = _int_or_raw(data.get("quantity", 1))
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
        sku.available = _available(sku)
    questions = list(product.questions.all())
    for question in questions:
        question.field_name = f"q_{question.pk}"
    return product, skus, questions


def region_names(codes) -> dict[str, str]:
    """Names of regions by code in one query, in English when the page is."""
    return {code: local_name(region) for code, region in geo.regions_by_code(codes).items()}


def hub_name(hub_code: str) -> str:
    """`西安市` (`Xi'an`) for `610100`; the code itself when the table does not hold it."""
    if not hub_code:
        return ""
    return region_names([hub_code]).get(hub_code, hub_code)


def delivery_offer(request, product, sku) -> dict:
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
        "hub_name": hub_name(hub),
    }


@require_http_methods(["GET", "POST"])
def product_detail(request, product_id: int):
    product, skus, questions = _product_or_404(product_id)
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        answers = _personalization_from(data, questions)
        try:
            checkouts.add_to_cart(
                request.user,
                _int_or_raw(data.get("sku_id")),
                _int_or_raw(data.get("quantity", "1")),
                answers,
            )
        except AnxinError as exc:
            status = exc.status
            for key, message in exc.fields.items():
                if key.startswith("answers.") and key[len("answers.") :].isdigit():
                    errors[f"q_{key[len('answers.') :]}"] = message
                elif key in {"quantity", "sku_id"}:
                    errors[key] = message
                else:
                    general.append(message)
            general.insert(0, exc.message)
        else:
            messages.success(request, _("已加入购物车。"))
            if request.POST.get("then") == "checkout":
                return redirect("web:checkout")
            return redirect("web:cart")
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
    return render(request, "web/product.html", context, status=status)


@require_GET
def product_preview(request, product_id: int):
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
    return render(request, "web/_preview.html", context)


# --- cart ---------------------------------------------------------------------------------------------


def _cart_groups(user) -> list[dict]:
    """The buyer's cart lines grouped by merchant, with unit prices and totals (a fixed number of queries)."""
    lines = (
        CartLine.objects.filter(cart__buyer=user)
        .select_related("sku", "sku__product", "sku__product__merchant", "sku__stock")
        .order_by("pk")
    )
    groups: OrderedDict[int, dict] = OrderedDict()
    for line in lines:
        product = line.sku.product
        line.unit_fen = checkouts.cart_unit_price(line)
        line.total_fen = line.unit_fen * line.quantity
        line.available = _available(line.sku)
        group = groups.setdefault(product.merchant_id, {"merchant": product.merchant, "lines": [], "goods_fen": 0})
        group["lines"].append(line)
        group["goods_fen"] += line.total_fen
    return list(groups.values())


def _render_cart(request, *, line_errors=None, status=200):
    groups = _cart_groups(request.user)
    context = {
        "groups": groups,
        "goods_fen": sum(g["goods_fen"] for g in groups),
        "line_errors": line_errors or {},
    }
    return render(request, "web/cart.html", context, status=status)


@require_GET
@buyer_required
def cart(request):
    return _render_cart(request)


@require_POST
@buyer_required
def cart_line_quantity(request, line_id: int):
    try:
        checkouts.set_cart_quantity(request.user, line_id, _int_or_raw(request.POST.get("quantity")))
    except NotFound:
        raise Http404 from None
    except AnxinError as exc:
        return _render_cart(request, line_errors={line_id: exc.fields.get("quantity", exc.message)}, status=exc.status)
    return redirect("web:cart")


@require_POST
@buyer_required
def cart_line_remove(request, line_id: int):
    try:
        checkouts.remove_cart_line(request.user, line_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("已从购物车删除。"))
    return redirect("web:cart")


# --- addresses ----------------------------------------------------------------------------------------


def _region_choices(province_code: str, city_code: str) -> dict:
    """The three selects' options: provinces always, cities of the province, counties of the city."""

    def safe_children(code):
        if not code:
            return []
        try:
            return list(geo.children(code))
        except AnxinError:
            return []

    cities = safe_children(province_code)
    if city_code and not any(c.code == city_code for c in cities):
        city_code = ""
    counties = safe_children(city_code) if city_code else []
    return {"provinces": list(geo.children(None)), "cities": cities, "counties": counties}


def _address_context(form, *, address=None):
    data = form.data if form.is_bound else form.initial
    province_code = (data.get("province_code") or "").strip()
    city_code = (data.get("city_code") or "").strip()
    county_code = (data.get("county_code") or "").strip()
    return {
        "form": form,
        "address": address,
        "regions": _region_choices(province_code, city_code),
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
    }


@require_GET
@buyer_required
def address_list(request):
    addresses = list(request.user.addresses.all())
    names = geo.regions_by_code(c for a in addresses for c in (a.province_code, a.city_code, a.county_code))
    for a in addresses:
        a.region_text = " ".join(
            names[c].name if c in names else c for c in dict.fromkeys((a.province_code, a.city_code, a.county_code))
        )
    return render(request, "web/addresses.html", {"addresses": addresses, "next": _safe_next(request, "")})


def _address_form_view(request, *, address=None):
    initial = {}
    if address is not None:
        initial = {field: getattr(address, field) for field in accounts.ADDRESS_FIELDS}
        initial["make_default"] = address.is_default
    if request.method == "GET":
        initial.update({k: v[:200] for k, v in request.GET.items() if k in accounts.ADDRESS_FIELDS})
    form = AddressForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {field: form.cleaned_data.get(field, "") for field in accounts.ADDRESS_FIELDS}
            missing = {
                field: message
                for field, message in (
                    ("province_code", _("请选择省份")),
                    ("city_code", _("请选择城市")),
                    ("county_code", _("请选择区县")),
                )
                if not data[field]
            }
            try:
                if address is None:
                    accounts.add_address(request.user, data, make_default=form.cleaned_data["make_default"])
                else:
                    accounts.update_address(
                        request.user, address.pk, data, make_default=form.cleaned_data["make_default"]
                    )
            except NotFound:
                raise Http404 from None
            except AnxinError as exc:
                # An empty select is named as such, whatever the service says about the empty code.
                named = bool(exc.fields)
                exc.fields = {key: value for key, value in exc.fields.items() if key not in missing}
                if exc.fields or not named:
                    apply_error(form, exc)
                for field, message in missing.items():
                    form.add_error(field, message)
            else:
                messages.success(request, _("地址已保存。"))
                return redirect(_safe_next(request, reverse("web:address_list")))
        status = 400
    context = _address_context(form, address=address)
    context["next"] = _safe_next(request, "")
    return render(request, "web/address_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@buyer_required
def address_new(request):
    return _address_form_view(request)


@require_http_methods(["GET", "POST"])
@buyer_required
def address_edit(request, address_id: int):
    try:
        address = accounts.owned_address(request.user, address_id)
    except NotFound:
        raise Http404 from None
    return _address_form_view(request, address=address)


@require_POST
@buyer_required
def address_delete(request, address_id: int):
    try:
        accounts.delete_address(request.user, address_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("地址已删除。"))
    return redirect("web:address_list")


@require_GET
def region_selects(request):
    """htmx: the province/city/county selects again after one of them changed."""
    province_code = request.GET.get("province_code", "").strip()[:6]
    city_code = request.GET.get("city_code", "").strip()[:6]
    county_code = request.GET.get("county_code", "").strip()[:6]
    if city_code[:2] != province_code[:2]:
        city_code, county_code = "", ""
    if county_code[:4] != city_code[:4]:
        county_code = ""
    context = {
        "regions": _region_choices(province_code, city_code),
        "province_code": province_code,
        "city_code": city_code,
        "county_code": county_code,
        "form": AddressForm(),
    }
    return render(request, "web/_region_selects.html", context)


# --- checkout -----------------------------------------------------------------------------------------


def _checkout_context(request, address_id, key: str, error: str = "") -> dict:
    addresses = list(request.user.addresses.all())
    chosen = next((a for a in addresses if a.pk == address_id), None)
    if chosen is None:
        chosen = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
    groups = _cart_groups(request.user)
    quotes = checkouts.shipping_for_cart(request.user, chosen.province_code) if chosen is not None else {}
    refusals = []
    for group in groups:
        quote = quotes.get(group["merchant"].pk)
        group["shipping_fen"] = quote.fee_fen if quote else 0
        group["via_hub"] = bool(quote and quote.via_hub)
        refusals += [refusal_message(r) for r in quote.refusals] if quote else []
        group["total_fen"] = group["goods_fen"] + group["shipping_fen"]
    shipping_error = " ".join(refusals)
    names = geo.regions_by_code(c for a in addresses for c in (a.province_code, a.city_code, a.county_code))
    for a in addresses:
        a.region_text = " ".join(
            names[c].name if c in names else c for c in dict.fromkeys((a.province_code, a.city_code, a.county_code))
        )
    return {
        "addresses": addresses,
        "chosen": chosen,
        "groups": groups,
        "total_fen": sum(g["total_fen"] for g in groups),
        "idempotency_key": key,
        "error": error or shipping_error,
    }


def _checkout_error(exc: AnxinError, groups: list[dict]) -> str:
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
def checkout(request):
    if request.method == "GET":
        key = uuid.uuid4().hex
        context = _checkout_context(request, _int_or_raw(request.GET.get("address_id")), key)
        template = "web/_checkout_summary.html" if request.htmx else "web/checkout.html"
        return render(request, template, context)
    key = (request.POST.get("idempotency_key") or "").strip()[:200]
    address_id = _int_or_raw(request.POST.get("address_id"))
    try:
        if not isinstance(address_id, int):
            raise AnxinError(_("请选择收货地址。"), code="invalid_address", fields={"address_id": _("请选择")})
        placed = checkouts.place_order(request.user, address_id=address_id, idempotency_key=key or uuid.uuid4().hex)
        payment = checkouts.start_payment(request.user, placed.pk)
    except Conflict as exc:
        if exc.code == "already_paid":
            messages.info(request, exc.message)
            return redirect("web:order_list")
        context = _checkout_context(request, address_id, key or uuid.uuid4().hex, exc.message)
        return render(request, "web/checkout.html", context, status=exc.status)
    except AnxinError as exc:
        context = _checkout_context(request, address_id, key or uuid.uuid4().hex)
        context["error"] = _checkout_error(exc, context["groups"])
        return render(request, "web/checkout.html", context, status=exc.status)
    return HttpResponseRedirect(payment_provider.pay_url(payment))


# --- my orders ----------------------------------------------------------------------------------------

ORDER_STATES = Order.State.choices


def event_label(kind: str) -> str:
    labels = {
        "order.placed": _("下单"),
        "order.paid": _("付款成功"),
        "order.shipped": _("商家已发货"),
        "order.delivered": _("已送达"),
        "order.completed": _("交易完成"),
        "order.cancelled": _("订单已取消"),
        "order.shipment_overdue": _("商家超时未发货"),
        "order.delivery_late": _("晚于承诺时间送达"),
        "shipment.arrived_hub": _("包裹到达中转仓"),
        "shipment.left_hub": _("中转仓发出第二段"),
        "shipment.delivered_after_completion": _("交易完成后收到签收扫描"),
    }
    return labels.get(kind, kind)


def timeline(order) -> list[dict]:
    return [
        {"label": event_label(e.kind), "at": e.at, "kind": e.kind, "data": e.data} for e in events.for_subject(order)
    ]


def tracking_context(order) -> dict:
    """The tracking timeline's data: the shipment with its legs and scans, and the hub's name (three queries)."""
    return {"shipment": fulfilment.shipment_of(order), "hub_name": hub_name(order.hub_code)}


@require_GET
@buyer_required
def order_list(request):
    state = request.GET.get("state", "")
    if state not in dict(ORDER_STATES):
        state = ""
    page = Paginator(queries.buyer_orders(request.user, state), ORDERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/order_list.html",
        {"page": page, "orders": page.object_list, "state": state, "states": ORDER_STATES},
    )


def _render_order(request, order_id: int, *, error: str = "", status: int = 200):
    try:
        orders.own_order(request.user, order_id)
    except NotFound:
        raise Http404 from None
    order = queries.buyer_orders(request.user).get(pk=order_id)
    context = {"order": order, "timeline": timeline(order), "error": error, **tracking_context(order)}
    return render(request, "web/order_detail.html", context, status=status)


@require_GET
@buyer_required
def order_detail(request, order_id: int):
    return _render_order(request, order_id)


def _order_action(request, order_id: int, action, done_message: str):
    try:
        action(request.user, order_id)
    except NotFound:
        raise Http404 from None
    except AnxinError as exc:
        return _render_order(request, order_id, error=exc.message, status=exc.status)
    messages.success(request, done_message)
    return redirect("web:order_detail", order_id=order_id)


@require_POST
@buyer_required
def order_cancel(request, order_id: int):
    return _order_action(request, order_id, orders.cancel_order, _("订单已取消。"))


@require_POST
@buyer_required
def order_confirm(request, order_id: int):
    return _order_action(request, order_id, orders.confirm_receipt, _("已确认收货，交易完成。"))


@require_POST
@buyer_required
def order_pay(request, order_id: int):
    try:
        order = orders.own_order(request.user, order_id)
        payment = checkouts.start_payment(request.user, order.checkout_id)
    except NotFound:
        raise Http404 from None
    except AnxinError as exc:
        return _render_order(request, order_id, error=exc.message, status=exc.status)
    return HttpResponseRedirect(payment_provider.pay_url(payment))
