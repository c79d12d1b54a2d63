"""The seller center (merchant staff only): orders to ship, production list, packing slips, products, shipping
templates.

Another merchant's order or product answers 404, as does the whole center for any other role.
"""

from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog import services as catalog
from anxin.catalog.models import SKU, Product
from anxin.catalog.queries import merchant_products, questions_prefetch
from anxin.core import clock
from anxin.core.errors import AnxinError, NotFound
from anxin.core.money import format_fen, parse_yuan
from anxin.fulfilment import services as fulfilment
from anxin.orders import queries
from anxin.orders import services as orders
from anxin.orders.models import Order
from anxin.shipping import queries as shipping_queries
from anxin.shipping import services as shipping
from anxin.shipping.models import FreeRule, ShippingTemplate
from anxin.web.forms import ProductForm, ShipForm, SKUForm, TemplateEditor, apply_error, province_choices
from anxin.web.templatetags.anxin_web import province_name
from anxin.web.views import ORDER_STATES, hub_name, role_required, timeline, tracking_context

staff_required = role_required("merchant_staff")
ORDERS_PAGE_SIZE = 30


def _start_of_local_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@require_GET
@staff_required
def dashboard(request):
    merchant_id = request.user.merchant_id
    now = clock.now()
    mine = Order.objects.filter(merchant_id=merchant_id)
    counts = mine.aggregate(
        to_ship=Count("pk", filter=Q(state=Order.State.PAID)),
        overdue=Count("pk", filter=Q(state=Order.State.PAID, ship_by__lt=now)),
        pending_payment=Count("pk", filter=Q(state=Order.State.PENDING_PAYMENT)),
    )
    today = mine.filter(paid_at__gte=_start_of_local_day(now)).exclude(state=Order.State.CANCELLED)
    sales = today.aggregate(n=Count("pk"), fen=Sum(F("total_fen") - F("refunded_fen")))
    to_ship = list(queries.merchant_orders(merchant_id, Order.State.PAID).order_by("ship_by", "pk")[:20])
    context = {
        "merchant": request.user.merchant,
        "counts": counts,
        "sales_count": sales["n"] or 0,
        "sales_fen": sales["fen"] or 0,
        "production_count": queries.production_list(merchant_id).count(),
        "to_ship": to_ship,
        "now": now,
    }
    return render(request, "web/seller/dashboard.html", context)


@require_GET
@staff_required
def order_list(request):
    state = request.GET.get("state", "")
    if state not in dict(ORDER_STATES):
        state = ""
    page = Paginator(queries.merchant_orders(request.user.merchant_id, state), ORDERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "orders": page.object_list, "state": state, "states": ORDER_STATES, "now": clock.now()}
    return render(request, "web/seller/order_list.html", context)


def _merchant_order_or_404(request, order_id: int) -> Order:
    try:
        orders.merchant_order(request.user, order_id)
    except NotFound:
        raise Http404 from None
    return queries.merchant_orders(request.user.merchant_id).get(pk=order_id)


@require_http_methods(["GET", "POST"])
@staff_required
def order_detail(request, order_id: int):
    order = _merchant_order_or_404(request, order_id)
    form = ShipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                fulfilment.ship(
                    request.user,
                    order.pk,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                )
            except AnxinError as exc:
                apply_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("已发货。"))
                return redirect("web:seller_order", order_id=order.pk)
        else:
            status = 400
    context = {
        "order": order,
        "form": form,
        "timeline": timeline(order),
        "now": clock.now(),
        "show_flags": True,
        **tracking_context(order),
    }
    return render(request, "web/seller/order_detail.html", context, status=status)


@require_GET
@staff_required
def packing_slip(request, order_id: int):
    order = _merchant_order_or_404(request, order_id)
    context = {"order": order, "now": clock.now(), "hub_name": hub_name(order.hub_code)}
    return render(request, "web/seller/packing_slip.html", context)


@require_GET
@staff_required
def production(request):
    lines = list(queries.production_list(request.user.merchant_id)[:500])
    return render(request, "web/seller/production.html", {"lines": lines, "now": clock.now()})


# --- products -----------------------------------------------------------------------------------------


@require_GET
@staff_required
def product_list(request):
    products = merchant_products(request.user.merchant_id).prefetch_related(
        Prefetch("skus", queryset=SKU.objects.select_related("stock").order_by("pk")), "questions"
    )
    page = Paginator(products, 30).get_page(request.GET.get("page"))
    return render(request, "web/seller/product_list.html", {"page": page, "products": page.object_list})


def _own_product_or_404(request, product_id: int):
    try:
        return catalog.own_product(request.user, product_id)
    except NotFound:
        raise Http404 from None


def _product_initial(product) -> dict:
    initial = {field: getattr(product, field) for field in catalog.PRODUCT_FIELDS}
    initial["category"] = product.category_id
    return initial


def _render_product(request, product, form, sku_form=None, status=200):
    skus = list(product.skus.select_related("stock").order_by("pk"))
    for sku in skus:
        stock = getattr(sku, "stock", None)
        sku.available = stock.available if stock else 0
    context = {
        "product": product,
        "form": form,
        "skus": skus,
        "sku_form": sku_form or SKUForm(initial={"is_active": True, "stock": 0}),
        "question_count": product.questions.count(),
    }
    return render(request, "web/seller/product_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def product_new(request):
    form = ProductForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                product = catalog.create_product(request.user, form.service_data())
            except AnxinError as exc:
                apply_error(form, exc, aliases={"category_id": "category"})
            else:
                messages.success(request, _("商品已创建，请添加 SKU 和库存。"))
                return redirect("web:seller_product_edit", product_id=product.pk)
        return render(request, "web/seller/product_form.html", {"form": form, "product": None}, status=400)
    return render(request, "web/seller/product_form.html", {"form": form, "product": None})


@require_http_methods(["GET", "POST"])
@staff_required
def product_edit(request, product_id: int):
    product = _own_product_or_404(request, product_id)
    if request.method == "GET":
        return _render_product(request, product, ProductForm(initial=_product_initial(product)))
    form = ProductForm(request.POST)
    if form.is_valid():
        try:
            catalog.update_product(request.user, product.pk, form.service_data())
        except AnxinError as exc:
            apply_error(form, exc, aliases={"category_id": "category"})
        else:
            messages.success(request, _("商品已保存。"))
            return redirect("web:seller_product_edit", product_id=product.pk)
    return _render_product(request, product, form, status=400)


def _sku_data(form: SKUForm) -> dict:
    data = {
        "code": form.cleaned_data["code"],
        "spec": form.cleaned_data["spec"],
        "price_fen": form.cleaned_data["price"],
        "is_active": form.cleaned_data["is_active"],
    }
    if form.cleaned_data.get("weight_g") is not None:
        data["weight_g"] = form.cleaned_data["weight_g"]
    return data


@require_POST
@staff_required
def sku_add(request, product_id: int):
    product = _own_product_or_404(request, product_id)
    form = SKUForm(request.POST)
    if form.is_valid():
        try:
            catalog.add_sku(request.user, product.pk, _sku_data(form), stock=form.cleaned_data["stock"] or 0)
        except AnxinError as exc:
            apply_error(form, exc, aliases={"price_fen": "price", "available": "stock"})
        else:
            messages.success(request, _("SKU 已添加。"))
            return redirect("web:seller_product_edit", product_id=product.pk)
    return _render_product(request, product, ProductForm(initial=_product_initial(product)), form, status=400)


def _spec_text(spec: dict) -> str:
    return "; ".join(f"{key}: {value}" for key, value in (spec or {}).items())


@require_http_methods(["GET", "POST"])
@staff_required
def sku_edit(request, sku_id: int):
    try:
        sku = catalog.own_sku(request.user, sku_id)
    except NotFound:
        raise Http404 from None
    stock = getattr(sku, "stock", None)
    initial = {
        "code": sku.code,
        "spec": _spec_text(sku.spec),
        "price": format_fen(sku.price_fen).lstrip("¥"),
        "weight_g": sku.weight_g,
        "stock": stock.available if stock else 0,
        "is_active": sku.is_active,
    }
    form = SKUForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                catalog.update_sku(request.user, sku.pk, _sku_data(form))
                if form.cleaned_data["stock"] is not None:
                    catalog.set_stock(request.user, sku.pk, form.cleaned_data["stock"])
            except AnxinError as exc:
                apply_error(form, exc, aliases={"price_fen": "price", "available": "stock"})
            else:
                messages.success(request, _("SKU 已保存。"))
                return redirect("web:seller_product_edit", product_id=sku.product_id)
    return render(request, "web/seller/sku_form.html", {"sku": sku, "form": form}, status=status)


# --- personalization questions --------------------------------------------------------------------------

MAX_ROWS = 5


def _blank_row(kind: str = "text") -> dict:
    return {
        "kind": kind,
        "label": "",
        "required": True,
        "max_chars": "20",
        "min_select": "1",
        "max_select": "1",
        "options": "",
        "errors": {},
    }


def _rows_from_questions(product) -> list[dict]:
    rows = []
    for q in product.questions.all():
        rows.append(
            {
                "kind": q.kind,
                "label": q.label,
                "required": q.required,
                "max_chars": str(q.max_chars),
                "min_select": str(q.min_select),
                "max_select": str(q.max_select),
                "options": "\n".join(
                    f"{o.label} | {format_fen(o.price_delta_fen).lstrip('¥')}" for o in q.options.all()
                ),
                "errors": {},
            }
        )
    return rows


def _rows_from_post(data) -> list[dict]:
    try:
        count = min(int(data.get("rows", "0")), MAX_ROWS + 1)
    except ValueError:
        count = 0
    rows = []
    for i in range(max(count, 0)):
        prefix = f"q{i}_"
        rows.append(
            {
                "kind": data.get(prefix + "kind", "text")
                if data.get(prefix + "kind") in {"text", "choice"}
                else "text",
                "label": data.get(prefix + "label", "")[:60],
                "required": bool(data.get(prefix + "required")),
                "max_chars": data.get(prefix + "max_chars", "20")[:6],
                "min_select": data.get(prefix + "min_select", "1")[:6],
                "max_select": data.get(prefix + "max_select", "1")[:6],
                "options": data.get(prefix + "options", "")[:2000],
                "errors": {},
            }
        )
    return rows


def _parse_int(row: dict, key: str, low: int, high: int) -> int | None:
    try:
        value = int(str(row[key]).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        row["errors"][key] = _("请输入 %(low)d 到 %(high)d 之间的整数。") % {"low": low, "high": high}
        return None
    return value


def _parse_options(row: dict) -> list[dict]:
    options = []
    for number, raw in enumerate(row["options"].splitlines(), start=1):
        if not raw.strip():
            continue
        label, _sep, price = raw.replace("｜", "|").partition("|")
        label = label.strip()
        if not label:
            row["errors"]["options"] = _("第 %(n)d 行缺少选项名称。") % {"n": number}
            continue
        try:
            delta = parse_yuan(price) if price.strip() else 0
        except ValueError:
            row["errors"]["options"] = _("第 %(n)d 行的加价不是金额（例如 5.00）。") % {"n": number}
            continue
        if delta < 0:
            row["errors"]["options"] = _("第 %(n)d 行的加价不能为负。") % {"n": number}
            continue
        options.append({"label": label[:60], "price_delta_fen": delta})
    return options


def _items_from_rows(rows: list[dict]) -> list[dict] | None:
    """The question list for replace_questions, or None after marking each row's errors."""
    items, ok = [], True
    for row in rows:
        item = {"kind": row["kind"], "label": row["label"].strip(), "required": row["required"]}
        if not item["label"]:
            row["errors"]["label"] = _("请填写问题标题。")
        if row["kind"] == "text":
            item["max_chars"] = _parse_int(row, "max_chars", 1, 100)
        else:
            item["options"] = _parse_options(row)
            item["min_select"] = _parse_int(row, "min_select", 0, 20)
            item["max_select"] = _parse_int(row, "max_select", 1, 20)
            if not item["options"] and "options" not in row["errors"]:
                row["errors"]["options"] = _("至少填写一个选项，每行一个：名称 | 加价。")
        ok = ok and not row["errors"]
        items.append(item)
    return items if ok else None


def _apply_action(rows: list[dict], action: str) -> list[dict]:
    verb, _sep, index = action.partition(":")
    if verb in {"add_text", "add_choice"}:
        if len(rows) < MAX_ROWS:
            rows.append(_blank_row("text" if verb == "add_text" else "choice"))
        return rows
    try:
        i = int(index)
    except ValueError:
        return rows
    if not 0 <= i < len(rows):
        return rows
    if verb == "remove":
        rows.pop(i)
    elif verb == "up" and i > 0:
        rows[i - 1], rows[i] = rows[i], rows[i - 1]
    elif verb == "down" and i < len(rows) - 1:
        rows[i + 1], rows[i] = rows[i], rows[i + 1]
    return rows


@require_http_methods(["GET", "POST"])
@staff_required
def questions(request, product_id: int):
    product = _own_product_or_404(request, product_id)
    error, unsaved, status = "", False, 200
    if request.method == "GET":
        product = type(product).objects.prefetch_related(questions_prefetch()).get(pk=product.pk)
        rows = _rows_from_questions(product)
    else:
        rows = _rows_from_post(request.POST)
        action = request.POST.get("action", "save")
        if action != "save":
            rows, unsaved = _apply_action(rows, action), True
        else:
            items = _items_from_rows(rows)
            if items is None:
                error, status = _("请按提示修改后再保存。"), 400
            else:
                try:
                    catalog.replace_questions(request.user, product.pk, items)
                except AnxinError as exc:
                    error, status = exc.message, exc.status
                else:
                    messages.success(request, _("定制问题已保存。"))
                    return redirect("web:seller_questions", product_id=product.pk)
    context = {
        "product": product,
        "rows": rows,
        "error": error,
        "unsaved": unsaved,
        "can_add": len(rows) < MAX_ROWS,
        "max_rows": MAX_ROWS,
    }
    return render(request, "web/seller/questions.html", context, status=status)


# --- shipping templates (运费模板) ---------------------------------------------------------------------------

PREVIEW_WEIGHTS_G = (500, 1000, 2000, 5000, 10000)
ASSIGNABLE_PRODUCTS = 500


def _own_template_or_404(request, template_id: int):
    try:
        template = shipping.own_template(request.user, template_id)
    except NotFound:
        raise Http404 from None
    return shipping_queries.with_rules(type(template).objects.filter(pk=template.pk)).get()


@require_GET
@staff_required
def shipping_list(request):
    templates = list(
        shipping_queries.with_rules(
            ShippingTemplate.objects.filter(merchant_id=request.user.merchant_id).annotate(
                product_count=Count("products")
            )
        ).order_by("pk")
    )
    without = Product.objects.filter(merchant_id=request.user.merchant_id, shipping_template__isnull=True).count()
    context = {"templates": templates, "without_template": without}
    return render(request, "web/seller/shipping_list.html", context)


def _preview_weight(request) -> int:
    try:
        weight = int(request.GET.get("weight_g", "1000"))
    except ValueError:
        weight = 1000
    return weight if weight in PREVIEW_WEIGHTS_G else 1000


def _editor_page(request, editor: TemplateEditor, template=None, *, status: int = 200, unsaved: bool = False):
    remote = set(shipping_queries.geography().hubs)
    for row in editor.regions:  # remote orders are priced as the hub's province, so such a rule never applies there
        row["remote"] = [province_name(code) for code in row["provinces"] if code in remote]
    context = {
        "editor": editor,
        "template": template,
        "provinces": province_choices(),
        "unsaved": unsaved,
        "modes": ShippingTemplate.Mode.choices,
        "kinds": FreeRule.Kind.choices,
    }
    if template is not None:
        weight = _preview_weight(request)
        context["preview"] = [
            {"code": code, "name": name, "fee_fen": fee, "remote": code[:2] in remote}
            for code, name, fee in shipping.preview(template, weight)
        ]
        context["preview_weight_g"] = weight
        context["preview_weights"] = [(g, f"{g / 1000:g}") for g in PREVIEW_WEIGHTS_G]
        context["products"] = list(
            Product.objects.filter(merchant_id=request.user.merchant_id)
            .select_related("shipping_template")
            .order_by("-created_at", "-id")[:ASSIGNABLE_PRODUCTS]
        )
    return render(request, "web/seller/shipping_form.html", context, status=status)


def _save_editor(request, template=None):
    editor = TemplateEditor.from_post(request.POST)
    if editor.apply_action(request.POST.get("action", "save")):
        return _editor_page(request, editor, template, unsaved=True)
    data = editor.service_data()
    if data is None:
        editor.general.insert(0, _("请按提示修改后再保存。"))
        return _editor_page(request, editor, template, status=400)
    try:
        saved = shipping.save_template(request.user, data, template.pk if template else None)
    except NotFound:
        raise Http404 from None
    except AnxinError as exc:
        editor.apply_error(exc)
        return _editor_page(request, editor, template, status=exc.status)
    messages.success(request, _("运费模板已保存。"))
    return redirect("web:seller_shipping_edit", template_id=saved.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def shipping_new(request):
    if request.method == "POST":
        return _save_editor(request)
    return _editor_page(request, TemplateEditor.blank())


@require_http_methods(["GET", "POST"])
@staff_required
def shipping_edit(request, template_id: int):
    template = _own_template_or_404(request, template_id)
    if request.method == "POST":
        return _save_editor(request, template)
    return _editor_page(request, TemplateEditor.from_template(template), template)


@require_POST
@staff_required
def shipping_assign(request, template_id: int):
    """Of the products listed on the page, the ticked ones get this template and the unticked ones that had it go
    back to the platform default (products not listed are left alone)."""
    template = _own_template_or_404(request, template_id)

    def ids(name: str) -> set[int]:
        return {int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) <= 12}

    chosen, listed = ids("product_ids"), ids("listed")
    current = set(Product.objects.filter(shipping_template=template, pk__in=listed).values_list("pk", flat=True))
    try:
        with transaction.atomic():
            if chosen - current:
                shipping.assign_template(request.user, sorted(chosen - current), template.pk)
            if current - chosen:
                shipping.assign_template(request.user, sorted(current - chosen), None)
    except NotFound:
        messages.error(request, _("找不到所选的商品，请刷新后重试。"))
    else:
        messages.success(request, _("已更新使用这个模板的商品。"))
    return redirect(reverse("web:seller_shipping_edit", args=[template.pk]) + "#products")
