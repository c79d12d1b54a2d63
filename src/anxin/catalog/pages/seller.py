"""The seller center's catalog (merchant staff only): products, their SKUs and stock (the
personalization questions have their own editor, `question_editor.py`). Another merchant's product answers 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.catalog import queries, rules, services
from anxin.catalog.pages.forms import ProductForm, SKUForm, move_row
from anxin.core.errors import AnxinError
from anxin.core.money import format_fen
from anxin.core.pages import apply_error, page_of, staff_required

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


def _render_product(request: HttpRequest, product, form, status=200, image_error: str = "") -> HttpResponse:
    skus = list(product.skus.select_related("stock").order_by("pk"))
    for sku in skus:
        sku.available = queries.available(sku)
    images = list(product.images.all())
    context = {
        "product": product,
        "form": form,
        "skus": skus,
        "dimensions": list(product.spec_dimensions.prefetch_related("values")),
        "question_count": product.questions.count(),
        "images": images,
        "max_images": rules.MAX_PRODUCT_IMAGES,
        "room": rules.MAX_PRODUCT_IMAGES - len(images),
        "image_error": image_error,
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
                messages.success(request, _("商品已创建，请在规格表中添加规格、价格和库存。"))
                return redirect("web:seller_specs", product_id=product.pk)
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
        "price_fen": form.cleaned_data["price"],
        "is_active": form.cleaned_data["is_active"],
    }
    if form.cleaned_data.get("weight_g") is not None:
        data["weight_g"] = form.cleaned_data["weight_g"]
    return data


def rearranged(image_ids: list[int], action: str) -> list[int] | None:
    """The photo order after one button of the photo section (`cover:ID`, `up:ID`, `down:ID`, `remove:ID`), or
    None for a button naming no photo of this product (a stale page)."""
    verb, _sep, raw_id = action.partition(":")
    ids = list(image_ids)
    try:
        i = ids.index(int(raw_id))
    except ValueError:
        return None
    if verb == "cover":
        return [ids.pop(i), *ids]
    if verb not in {"remove", "up", "down"}:
        return None
    return move_row(ids, verb, str(i))


@require_POST
@staff_required
def product_images(request: HttpRequest, product_id: int) -> HttpResponse:
    """The photo section's forms: `action=upload` with one or more files, or one photo's button (reorder,
    remove)."""
    product = services.own_product(request.user, product_id)
    action = request.POST.get("action", "upload")
    try:
        if action == "upload":
            services.add_product_images(request.user, product.pk, request.FILES.getlist("image"))
            messages.success(request, _("图片已上传。"))
        else:
            order = rearranged([image.pk for image in product.images.all()], action)
            if order is None:
                message = _("这张图片已不在这个商品中，请刷新页面。")
                raise AnxinError(message, code="invalid_image_order")
            services.arrange_product_images(request.user, product.pk, order)
            messages.success(request, _("图片已更新。"))
    except AnxinError as exc:
        form = ProductForm(initial=_product_initial(product))
        return _render_product(request, product, form, status=exc.status, image_error=exc.message)
    return redirect(reverse("web:seller_product_edit", args=[product.pk]) + "#photos")


@require_http_methods(["GET", "POST"])
@staff_required
def sku_edit(request: HttpRequest, sku_id: int) -> HttpResponse:
    sku = services.own_sku(request.user, sku_id)
    initial = {
        "code": sku.code,
        "price": format_fen(sku.price_fen).lstrip("¥"),
        "weight_g": sku.weight_g,
        "stock": queries.available(sku),
        "is_active": sku.is_active,
    }
    form = SKUForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and "image_action" in request.POST:
        return _sku_image(request, sku, form)
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


def _sku_image(request: HttpRequest, sku, form: SKUForm) -> HttpResponse:
    """The SKU page's photo form: upload (replacing the SKU's photo) or remove it."""
    try:
        if request.POST["image_action"] == "remove":
            services.remove_sku_image(request.user, sku.pk)
            messages.success(request, _("SKU 图片已删除。"))
        else:
            services.set_sku_image(request.user, sku.pk, request.FILES.get("image"))
            messages.success(request, _("SKU 图片已上传。"))
    except AnxinError as exc:
        form = SKUForm(initial=form.initial)
        context = {"sku": sku, "form": form, "image_error": exc.message}
        return render(request, "catalog/seller/sku_form.html", context, status=exc.status)
    return redirect("web:seller_sku_edit", sku_id=sku.pk)
