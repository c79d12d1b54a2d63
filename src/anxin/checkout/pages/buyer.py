"""The buyer's buying pages: the product page (price and print preview, delivery offer, add to cart), the
cart, and the checkout that places the order and sends the buyer to pay.

The product page lives here, not in catalog, because adding to the cart and the delivery offer belong to
floors above catalog (checkout, shipping). Pages are thin: they parse the request, call the same services
the API calls, and put the services' AnxinError messages back next to the field they name.
"""

import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog import badges, rules
from anxin.catalog.queries import available, chip_skus, product_page
from anxin.checkout import queries, services
from anxin.core import clock
from anxin.core.errors import AnxinError, Conflict, NotFound
from anxin.core.images import image_url
from anxin.core.money import format_fen
from anxin.core.pages import buyer_required, english, int_or_raw, local_name, safe_next
from anxin.core.permissions import require_role
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


def _preview(product, skus, questions, data, sku_id: object, *, check: bool = False) -> dict[str, Any]:
    """The unit price of the chosen SKU; once the buyer has chosen or typed something (`check`), the line
    checked exactly as adding it to the cart checks it: its total, the line that will be printed and the
    required questions still blank, or the cart's refusal instead, never a total or a print line that the
    cart would refuse. Never raises."""
    sku = next((s for s in skus if s.pk == sku_id), None) or (skus[0] if skus else None)
    preview: dict[str, Any] = {"sku": sku, "unit_fen": sku.price_fen if sku else 0, "checked": check}
    if not check:
        return preview
    try:
        line = services.check_line(
            sku_id, int_or_raw(data.get("quantity", "1")), _personalization_from(data, questions), unanswered_ok=True
        )
    except AnxinError as exc:
        return {**preview, "error": _preview_error(exc, questions)}
    return {
        **preview,
        "unit_fen": line.unit_fen,
        "quantity": line.quantity,
        "total_fen": line.unit_fen * line.quantity,
        "line": line.summary,
        "unanswered": line.unanswered,
    }


def _preview_error(exc: AnxinError, questions) -> dict[str, Any]:
    """The cart's refusal as the preview shows it: its code and message, and each answer's problem by its
    question's label (the quantity's and the SKU's message already say what is wrong)."""
    labels = {f"answers.{q.pk}": q.label for q in questions}
    fields = [(labels[key], message) for key, message in exc.fields.items() if key in labels]
    return {"code": exc.code, "status": exc.status, "message": exc.message, "fields": fields}


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


def _spec_choice(data, dimensions, chips: list[rules.ChipSku] | None) -> tuple[int | None, ...]:
    """The value id chosen in each chip row (None where none is), as the form posts them: `spec_<dimension id>`."""
    if chips is None:
        return ()
    valid = [{v.pk for v in d.values.all()} for d in dimensions]
    raw = (int_or_raw(data.get(f"spec_{d.pk}")) for d in dimensions)
    return tuple(v if isinstance(v, int) and v in ok else None for v, ok in zip(raw, valid, strict=True))


def _chosen_sku_id(data, chips: list[rules.ChipSku] | None, choice: tuple[int | None, ...]) -> object:
    """The SKU the buyer picked: by the chips when any row is chosen (so the form works without script), else
    the `sku_id` field; with chips and nothing chosen yet, the first SKU that can be bought."""
    if chips is not None and any(v is not None for v in choice):
        return rules.sku_for_choice(chips, choice)
    if chips is not None and not data.get("sku_id"):
        return next((c.id for c in chips if c.buyable), chips[0].id)
    return int_or_raw(data.get("sku_id"))


def _refuse_unchosen_rows(dimensions, choice: tuple[int | None, ...]) -> None:
    """A choice with a row left open names that row, rather than a SKU the buyer never saw."""
    if any(v is not None for v in choice) and None in choice:
        rows = _("、").join(local_name(d) for d, v in zip(dimensions, choice, strict=True) if v is None)
        message = _("请选择：%(rows)s") % {"rows": rows}
        raise AnxinError(message, code="spec_not_chosen", fields={"sku_id": message})


def _image_url(sku) -> str:
    """The chosen SKU's own picture beside its chips, or empty (the gallery shows the product's photos)."""
    return image_url(sku.image_small)


def _spec_chips(product, skus, chips, choice, chosen_id) -> dict[str, Any] | None:
    """The chip rows for `_spec_chips.html`: each value checked or not, closed when nothing buyable has it at all
    (disabled) or none with what is chosen in the other rows (greyed; the script disables those too)."""
    if chips is None:
        return None
    dimensions = list(product.spec_dimensions.all())
    chosen = next((c for c in chips if c.id == chosen_id), None)
    current = choice if any(v is not None for v in choice) else (chosen.values if chosen else ())
    current = current or tuple(None for _d in dimensions)
    rows = []
    for index, dimension in enumerate(dimensions):
        anywhere = rules.open_values(chips, tuple(None for _d in dimensions), index)
        here = rules.open_values(chips, current, index)
        values = [
            {"value": v, "checked": current[index] == v.pk, "disabled": v.pk not in anywhere, "off": v.pk not in here}
            for v in dimension.values.all()
        ]
        rows.append({"dimension": dimension, "values": values})
    by_id = {sku.pk: sku for sku in skus}
    data = {
        "dimensions": [d.pk for d in dimensions],
        "skus": [
            {
                "id": c.id,
                "values": list(c.values),
                "buyable": c.buyable,
                "price": format_fen(by_id[c.id].price_fen),
                "stock": by_id[c.id].available,
                "image": _image_url(by_id[c.id]),
            }
            for c in chips
        ],
    }
    chosen_sku = by_id.get(chosen_id) if isinstance(chosen_id, int) else None
    summary = " · ".join(
        f"{local_name(row['dimension'])}: {local_name(chip['value'])}"
        for row in rows
        for chip in row["values"]
        if chip["checked"]
    )
    return {
        "rows": rows,
        "data": data,
        "chosen": chosen_sku,
        "summary": summary,  # in the dimensions' order, which a spec dict read from PostgreSQL's jsonb does not keep
        "image": _image_url(chosen_sku) if chosen_sku else "",
    }


@dataclass(frozen=True)
class Destination:
    """Where the product page quotes delivery to: one of the buyer's addresses, or a province (and city)."""

    province_code: str
    city_code: str
    address: Any = None


def _destination(addresses: list, provinces: set[str], data) -> Destination | None:
    """The destination the buyer picked (`dest_address`, or else `dest_province` and `dest_city`); with no
    pick at all, the default address. None when nothing is known yet (a visitor, or "another region")."""
    picked_address = data.get("dest_address")
    address_id = int_or_raw(picked_address)
    address = next((a for a in addresses if a.pk == address_id), None)
    if address is None and picked_address is None and not data.get("dest_province") and addresses:
        address = addresses[0]  # the default one first
    if address is not None:
        return Destination(address.province_code, address.city_code, address)
    province = str(data.get("dest_province") or "")
    if province not in provinces:
        return None
    city = str(data.get("dest_city") or "")
    return Destination(province, city if city[:2] == province[:2] and city != province else "")


def delivery_offer(request: HttpRequest, product, sku, data) -> dict[str, Any]:
    """What the product page says about delivery: the fee to the chosen destination (the buyer's default
    address unless they pick another address or any province/city), the hub for a remote one, 预计送达, or why
    this product cannot go there; with the pickers to change it."""
    user = request.user
    if sku is None or (user.is_authenticated and user.role != "buyer"):
        return {"state": "none"}
    addresses = list(user.addresses.all()) if user.is_authenticated else []
    provinces = list(geo.children(None))
    chosen = _destination(addresses, {p.code for p in provinces}, data)
    picking = chosen is None or chosen.address is None
    context: dict[str, Any] = {
        "addresses": geo.add_region_text(addresses),
        "provinces": provinces,
        # the pickers stay open while the destination is not the default address (htmx re-renders them)
        "open": picking or chosen.address.pk != addresses[0].pk,
        "picking_region": picking,
        "destination": chosen,
    }
    if chosen is None:
        return {**context, "state": "choose"}
    names = geo.local_region_names([chosen.province_code, chosen.city_code])
    context["cities"] = list(geo.children(chosen.province_code)) if picking else []
    parts = [names[c] for c in (chosen.province_code, chosen.city_code) if c in names]
    context["place"] = ", ".join(reversed(parts)) if english() else " ".join(parts)  # 西藏自治区 拉萨市 / Lhasa, Tibet
    offer = shipping.offer(product, sku, chosen.province_code, clock.now())
    hub = shipping.geography().hubs.get(chosen.province_code[:2], "") if offer.via_hub else ""
    return {
        **context,
        "state": "refused" if offer.refusal else "offer",
        "offer": offer,
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


PENDING_ITEM = "anxin.pending_item"  # a signed-out visitor's item, added (or bought) once they have logged in
BUY_NOW_ITEM = "anxin.buy_now_item"  # the item 立即购买 hands to its checkout page


def _buy_from_product_page(request: HttpRequest, data, questions, sku_id: object) -> HttpResponse:
    """加入购物车 or 立即购买. Signed out, the checked item waits in the session (server-side, bounded by the
    product's own limits) through log-in or sign-up, never in a URL, and is added or bought after it."""
    quantity = int_or_raw(data.get("quantity", "1"))
    answers = _personalization_from(data, questions)
    buy_now = data.get("then") == "buy"
    if not request.user.is_authenticated:
        item = services.check_buy_now(sku_id, quantity, answers)
        request.session[PENDING_ITEM] = {**_item_dict(item), "buy_now": buy_now}
        return redirect_to_login(reverse("web:cart_pending"))
    require_role(request.user, "buyer")  # staff and ops browse; the page says why they cannot buy
    if buy_now:
        request.session[BUY_NOW_ITEM] = _item_dict(services.check_buy_now(sku_id, quantity, answers))
        return redirect("web:checkout_now")
    services.add_to_cart(request.user, sku_id, quantity, answers)
    messages.success(request, _("已加入购物车。"))
    return redirect("web:cart")


def _item_dict(item: services.BuyNow) -> dict[str, Any]:
    return {"sku_id": item.sku_id, "quantity": item.quantity, "answers": item.answers}


def _item_from(stored: Any) -> services.BuyNow | None:
    if not isinstance(stored, dict):
        return None
    return services.BuyNow(stored.get("sku_id"), stored.get("quantity"), stored.get("answers") or {})


@require_GET
@login_required
def cart_pending(request: HttpRequest) -> HttpResponse:
    """Where log-in and sign-up send a visitor who chose an item signed out: it goes into the cart (or to
    立即购买's checkout) now, once; what no longer fits (sold out meanwhile) is said on the cart page."""
    stored = request.session.pop(PENDING_ITEM, None)
    item = _item_from(stored)
    if item is None or request.user.role != "buyer":
        return redirect("web:cart" if request.user.role == "buyer" else "web:home")
    if stored.get("buy_now"):
        request.session[BUY_NOW_ITEM] = _item_dict(item)
        return redirect("web:checkout_now")
    try:
        services.add_to_cart(request.user, item.sku_id, item.quantity, item.answers)
    except AnxinError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已加入购物车。"))
    return redirect("web:cart")


@require_http_methods(["GET", "POST"])
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product, skus, questions = _product_or_404(product_id)
    data = request.POST if request.method == "POST" else request.GET
    chips = chip_skus(product, skus)
    choice = _spec_choice(data, product.spec_dimensions.all(), chips)
    sku_id = _chosen_sku_id(data, chips, choice)
    errors: dict[str, str] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            _refuse_unchosen_rows(product.spec_dimensions.all(), choice)
            done = _buy_from_product_page(request, data, questions, sku_id)
        except AnxinError as exc:
            status = exc.status
            errors, general = _cart_errors(exc)
        else:
            return done
    preview = _preview(product, skus, questions, data, sku_id, check=request.method == "POST")
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
        "spec": _spec_chips(product, skus, chips, choice, sku_id),
        "quantity": data.get("quantity", "1"),
        "errors": errors,
        "general_errors": general,
        "preview": preview,
        "delivery": delivery_offer(request, product, chosen_sku, data),
        "product_url": request.path,
        "price_badges": badges.product_badges([product.pk]),
    }
    return render(request, "checkout/buyer/product.html", context, status=status)


@require_POST
def product_preview(request: HttpRequest, product_id: int) -> HttpResponse:
    """htmx: the price and the print preview of what is chosen so far, checked as the cart checks it (a
    refusal answers with the cart's status and message), and the delivery offer of that SKU. A POST, so the
    form's CSRF token travels in the body and the X-CSRFToken header, never in a URL."""
    product, skus, questions = _product_or_404(product_id)
    chips = chip_skus(product, skus)
    sku_id = _chosen_sku_id(request.POST, chips, _spec_choice(request.POST, product.spec_dimensions.all(), chips))
    preview = _preview(product, skus, questions, request.POST, sku_id, check=True)
    context = {
        "preview": preview,
        "delivery": delivery_offer(request, product, preview["sku"], request.POST),
        "product": product,
        "product_url": reverse("web:product", args=[product.pk]),
        "oob": True,
    }
    status = preview["error"]["status"] if "error" in preview else 200
    return render(request, "checkout/buyer/_preview.html", context, status=status)


# --- cart ---------------------------------------------------------------------------------------------

ID_LIMIT = 2**63  # a database id is below this; a bigger number names nothing and must not reach the database


def _cart_groups(user) -> list[dict[str, Any]]:
    """The buyer's cart lines grouped by merchant, with unit prices and the totals of the ticked lines."""
    groups: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for line in queries.cart_lines(user):
        product = line.sku.product
        line.unit_fen = services.cart_unit_price(line)
        line.total_fen = line.unit_fen * line.quantity
        line.available = available(line.sku)
        group = groups.setdefault(
            product.merchant_id, {"merchant": product.merchant, "lines": [], "goods_fen": 0, "selected": True}
        )
        group["lines"].append(line)
        group["goods_fen"] += line.total_fen if line.selected else 0
        group["selected"] = group["selected"] and line.selected
    return list(groups.values())


def _render_cart(request: HttpRequest, *, line_errors=None, error: str = "", status: int = 200) -> HttpResponse:
    groups = _cart_groups(request.user)
    lines = [line for group in groups for line in group["lines"]]
    context = {
        "groups": groups,
        "goods_fen": sum(g["goods_fen"] for g in groups),
        "selected_pieces": sum(line.quantity for line in lines if line.selected),
        "all_selected": all(line.selected for line in lines),
        "line_errors": line_errors or {},
        "error": error,
        "price_badges": badges.sku_badges([line.sku_id for line in lines]),
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


def _selection_scope(data) -> dict[str, Any]:
    """A checkbox's form as the service's scope: `line` or `shop` with its id, or `all`."""
    scope, target = data.get("scope"), int_or_raw(data.get("id"))
    if scope == "all":
        return {}
    if scope in {"line", "shop"} and isinstance(target, int) and 0 < target < ID_LIMIT:
        return {"line_ids": [target]} if scope == "line" else {"merchant_id": target}
    raise AnxinError(_("请选择要勾选的商品。"), code="invalid_selection", fields={"scope": _("请选择")})


@require_POST
@buyer_required
def cart_select(request: HttpRequest) -> HttpResponse:
    """The cart's checkboxes (a line, a shop, 全选), and the checkout's 移出本次结算: the choice is kept on the
    lines, so a reload and the checkout page agree. htmx swaps the cart; without JS the form posts and returns."""
    try:
        services.select_cart_lines(
            request.user, "1" in request.POST.getlist("selected"), **_selection_scope(request.POST)
        )
    except NotFound:
        raise
    except AnxinError as exc:
        return _render_cart(request, error=exc.message, status=exc.status)
    back = safe_next(request, "")
    if back:
        return redirect(back)
    return _render_cart(request) if request.htmx else redirect("web:cart")


# --- checkout -----------------------------------------------------------------------------------------

BUY_NOW_SALT = "anxin.checkout.buy_now"
BUY_NOW_MAX_AGE = 24 * 3600


def _buy_now_token(item: services.BuyNow) -> str:
    """The item bought now, signed into its checkout form, so the submit buys what this page showed even
    when another tab has chosen something else to buy now since."""
    return signing.dumps(_item_dict(item), salt=BUY_NOW_SALT)


def _buy_now_from_token(token: str) -> services.BuyNow:
    try:
        item = _item_from(signing.loads(token, salt=BUY_NOW_SALT, max_age=BUY_NOW_MAX_AGE))
    except signing.BadSignature:
        item = None
    if item is None:
        raise AnxinError(_("立即购买的商品信息已失效，请回到商品页重新购买。"), code="invalid_buy_now")
    return item


def _checkout_context(
    request: HttpRequest,
    address_id,
    key: str,
    *,
    buy_now: services.BuyNow | None = None,
    error: str = "",
    coupon_ids: list[int] | None = None,
) -> dict[str, Any]:
    """The checkout as it will be placed to the chosen address: per merchant the lines that go there with the
    fee, 预计送达 and the hub note, the lines that cannot with the reason (left out of the total), and what
    the submit button will buy. `services.plan_orders` is the very plan `place_order` places."""
    addresses = list(request.user.addresses.all())
    chosen = next((a for a in addresses if a.pk == address_id), None)
    if chosen is None:
        chosen = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
    context: dict[str, Any] = {
        "addresses": geo.add_region_text(addresses),
        "chosen": chosen,
        "plans": [],
        "idempotency_key": key,
        "error": error,
        "buy_now": buy_now,
        "buy_now_token": _buy_now_token(buy_now) if buy_now else "",
        "action": reverse("web:checkout_now" if buy_now else "web:checkout"),
    }
    try:
        items = services.items_to_buy(request.user, buy_now=buy_now)
    except AnxinError as exc:
        context["nothing"] = exc.code in {"empty_cart", "empty_selection"}
        context["error"] = error or ("" if context["nothing"] else exc.message)
        return context
    if chosen is None:  # what will be bought is still shown; fees and promises need an address
        context["unplanned"] = items
        return context
    plans = services.plan_orders(items, chosen.province_code)
    for plan in plans:
        plan.hub_name = geo.hub_name(plan.hub_code)
    going = [item for plan in plans for item in plan.items]
    context["price_badges"] = badges.sku_badges([item.sku.pk for item in going])
    choice = services.coupon_choice(request.user, plans, coupon_ids)
    for plan in plans:
        plan.coupons = choice.by_shop.get(plan.merchant.pk, [])
        plan.discount_fen = choice.discount_by_shop.get(plan.merchant.pk, 0)
        plan.pay_fen = plan.total_fen - plan.discount_fen
    context.update(
        coupons=choice,
        plans=plans,
        line_ids=[item.cart_line_id for item in going if item.cart_line_id],
        pieces=sum(item.quantity for item in going),
        refused_count=sum(item.quantity for plan in plans for item, _reason in plan.refused),
        total_fen=sum(plan.total_fen for plan in plans if plan.items) - choice.discount_fen,
        orders_count=sum(1 for plan in plans if plan.items),
        here=f"{context['action']}?address_id={chosen.pk}",
    )
    return context


def _checkout_error(exc: AnxinError, plans: list) -> str:
    """The service's message, with each line it names (`lines.<line id>`, `products.<id>`, `<sku id>`) called
    by its title."""
    titles: dict[str, str] = {}
    for plan in plans:
        for item in [*plan.items, *(refused for refused, _reason in plan.refused)]:
            title = item.sku.product.title
            titles.update({str(item.sku.pk): title, f"products.{item.sku.product_id}": title})
            if item.cart_line_id:
                titles[f"lines.{item.cart_line_id}"] = title
    details = []
    for key, message in exc.fields.items():
        if key in titles:
            details.append(f"{titles[key]}：{message}")
        elif key != "address_id":
            details.append(message)
    return " ".join([exc.message, *details])


def _line_ids(data) -> list[int] | None:
    """The lines the page showed as going (hidden `line` fields); none at all means the cart's ticked lines."""
    if "line" not in data:
        return None
    ids = [int_or_raw(value) for value in data.getlist("line")]
    if not all(isinstance(pk, int) and 0 < pk < ID_LIMIT for pk in ids):
        raise AnxinError(_("所选商品有误，请刷新后再试。"), code="invalid_selection", fields={"line": _("请刷新")})
    return [pk for pk in ids if isinstance(pk, int)]


def _coupon_ids(data) -> list[int] | None:
    """The coupons the page's selects chose (`coupons_chosen` says the buyer chose, even none); None: not yet
    chosen, so the best ones are preselected."""
    if "coupons_chosen" not in data:
        return None
    ids = [int_or_raw(value) for value in data.getlist("coupon") if value]
    return [pk for pk in ids if isinstance(pk, int) and 0 < pk < ID_LIMIT]


def _show_checkout(request: HttpRequest, buy_now: services.BuyNow | None) -> HttpResponse:
    context = _checkout_context(
        request,
        int_or_raw(request.GET.get("address_id")),
        uuid.uuid4().hex,
        buy_now=buy_now,
        coupon_ids=_coupon_ids(request.GET),
    )
    template = "checkout/buyer/_checkout_summary.html" if request.htmx else "checkout/buyer/checkout.html"
    return render(request, template, context)


def _submit_checkout(request: HttpRequest) -> HttpResponse:
    """Place what the page showed (the ticked lines that go to the address, or the one item bought now) and
    send the buyer to pay; a refusal shows the page again with the reason beside the line it names."""
    key = (request.POST.get("idempotency_key") or "").strip()[:200]
    address_id = int_or_raw(request.POST.get("address_id"))
    coupon_ids = _coupon_ids(request.POST)
    buy_now = None
    try:
        buy_now = _buy_now_from_token(request.POST["item"]) if "item" in request.POST else None
        if not isinstance(address_id, int):
            raise AnxinError(_("请选择收货地址。"), code="invalid_address", fields={"address_id": _("请选择")})
        payment = services.place_and_start_payment(
            request.user,
            address_id=address_id,
            idempotency_key=key or uuid.uuid4().hex,
            line_ids=None if buy_now else _line_ids(request.POST),
            buy_now=buy_now,
            coupon_ids=coupon_ids or [],
        )
    except Conflict as exc:
        if exc.code == "already_paid":
            messages.info(request, exc.message)
            return redirect("web:order_list")
        context = _checkout_context(
            request, address_id, key or uuid.uuid4().hex, buy_now=buy_now, error=exc.message, coupon_ids=coupon_ids
        )
        return render(request, "checkout/buyer/checkout.html", context, status=exc.status)
    except AnxinError as exc:
        context = _checkout_context(
            request, address_id, key or uuid.uuid4().hex, buy_now=buy_now, coupon_ids=coupon_ids
        )
        context["error"] = _checkout_error(exc, context["plans"])
        return render(request, "checkout/buyer/checkout.html", context, status=exc.status)
    if buy_now:
        request.session.pop(BUY_NOW_ITEM, None)
    return HttpResponseRedirect(payment_provider.pay_url(payment))


@require_http_methods(["GET", "POST"])
@buyer_required
def checkout(request: HttpRequest) -> HttpResponse:
    """The cart's ticked lines."""
    return _submit_checkout(request) if request.method == "POST" else _show_checkout(request, None)


@require_http_methods(["GET", "POST"])
@buyer_required
def checkout_now(request: HttpRequest) -> HttpResponse:
    """立即购买: the one item chosen on the product page; the cart is left as it is."""
    if request.method == "POST":
        return _submit_checkout(request)
    item = _item_from(request.session.get(BUY_NOW_ITEM))
    if item is None:
        messages.info(request, _("没有待购买的商品，请在商品页点击“立即购买”。"))
        return redirect("web:cart")
    return _show_checkout(request, item)
