"""The seller center's catalog (merchant staff only): products, their SKUs and stock, and the
personalization questions a buyer answers. Another merchant's product answers 404."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog import queries, services
from anxin.catalog.pages.forms import ProductForm, SKUForm
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import apply_error, page_of, staff_required, yuan_to_fen

PRODUCTS_PAGE_SIZE = 30
SKU_ERROR_ALIASES = {"price_fen": "price", "available": "stock"}


# --- products -----------------------------------------------------------------------------------------


@require_GET
@staff_required
def product_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, queries.merchant_product_list(request.user.merchant_id), PRODUCTS_PAGE_SIZE)
    return render(request, "catalog/seller/product_list.html", {"page": page, "products": page.object_list})


def _product_initial(product) -> dict:
    initial = {field: getattr(product, field) for field in services.PRODUCT_FIELDS}
    initial["category"] = product.category_id
    return initial


def _render_product(request: HttpRequest, product, form, sku_form=None, status=200) -> HttpResponse:
    skus = list(product.skus.select_related("stock").order_by("pk"))
    for sku in skus:
        sku.available = queries.available(sku)
    context = {
        "product": product,
        "form": form,
        "skus": skus,
        "sku_form": sku_form or SKUForm(initial={"is_active": True, "stock": 0}),
        "question_count": product.questions.count(),
    }
    return render(request, "catalog/seller/product_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def product_new(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                product = services.create_product(request.user, form.service_data())
            except AnxinError as exc:
                apply_error(form, exc, aliases={"category_id": "category"})
            else:
                messages.success(request, _("商品已创建，请添加 SKU 和库存。"))
                return redirect("web:seller_product_edit", product_id=product.pk)
        return render(request, "catalog/seller/product_form.html", {"form": form, "product": None}, status=400)
    return render(request, "catalog/seller/product_form.html", {"form": form, "product": None})


@require_http_methods(["GET", "POST"])
@staff_required
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.own_product(request.user, product_id)
    if request.method == "GET":
        return _render_product(request, product, ProductForm(initial=_product_initial(product)))
    form = ProductForm(request.POST)
    if form.is_valid():
        try:
            services.update_product(request.user, product.pk, form.service_data())
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
def sku_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.own_product(request.user, product_id)
    form = SKUForm(request.POST)
    if form.is_valid():
        try:
            services.add_sku(request.user, product.pk, _sku_data(form), stock=form.cleaned_data["stock"] or 0)
        except AnxinError as exc:
            apply_error(form, exc, aliases=SKU_ERROR_ALIASES)
        else:
            messages.success(request, _("SKU 已添加。"))
            return redirect("web:seller_product_edit", product_id=product.pk)
    return _render_product(request, product, ProductForm(initial=_product_initial(product)), form, status=400)


def _spec_text(spec: dict) -> str:
    return "; ".join(f"{key}: {value}" for key, value in (spec or {}).items())


@require_http_methods(["GET", "POST"])
@staff_required
def sku_edit(request: HttpRequest, sku_id: int) -> HttpResponse:
    sku = services.own_sku(request.user, sku_id)
    initial = {
        "code": sku.code,
        "spec": _spec_text(sku.spec),
        "price": format_fen(sku.price_fen).lstrip("¥"),
        "weight_g": sku.weight_g,
        "stock": queries.available(sku),
        "is_active": sku.is_active,
    }
    form = SKUForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_sku(request.user, sku.pk, _sku_data(form), stock=form.cleaned_data["stock"])
            except AnxinError as exc:
                apply_error(form, exc, aliases=SKU_ERROR_ALIASES)
            else:
                messages.success(request, _("SKU 已保存。"))
                return redirect("web:seller_product_edit", product_id=sku.product_id)
    return render(request, "catalog/seller/sku_form.html", {"sku": sku, "form": form}, status=status)


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
            delta = yuan_to_fen(price) or 0
        except forms.ValidationError:
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
def questions(request: HttpRequest, product_id: int) -> HttpResponse:
    product = services.own_product(request.user, product_id)
    error, unsaved, status = "", False, 200
    if request.method == "GET":
        product = queries.product_with_questions(product.pk)
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
                    services.replace_questions(request.user, product.pk, items)
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
    return render(request, "catalog/seller/questions.html", context, status=status)
