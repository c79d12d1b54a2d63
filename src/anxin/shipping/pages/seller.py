"""The seller center's shipping templates (运费模板, merchant staff only): the list, the editor with a fee
preview per province, and which of the merchant's products use a template."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.core.errors import AnxinError, NotFound
from anxin.core.pages import staff_required
from anxin.geo.queries import province_name
from anxin.shipping import queries, services
from anxin.shipping.models import FreeRule, ShippingTemplate
from anxin.shipping.pages.forms import TemplateEditor, province_choices

PREVIEW_WEIGHTS_G = (500, 1000, 2000, 5000, 10000)
ASSIGNABLE_PRODUCTS = 500


def _own_template(request: HttpRequest, template_id: int) -> ShippingTemplate:
    return queries.own_template_with_rules(services.own_template(request.user, template_id))


@require_GET
@staff_required
def shipping_list(request: HttpRequest) -> HttpResponse:
    templates = queries.merchant_templates(request.user.merchant_id)
    without = queries.products_without_template(request.user.merchant_id)
    context = {"templates": templates, "without_template": without}
    return render(request, "shipping/seller/shipping_list.html", context)


def _preview_weight(request) -> int:
    try:
        weight = int(request.GET.get("weight_g", "1000"))
    except ValueError:
        weight = 1000
    return weight if weight in PREVIEW_WEIGHTS_G else 1000


def _editor_page(
    request: HttpRequest, editor: TemplateEditor, template=None, *, status: int = 200, unsaved: bool = False
) -> HttpResponse:
    remote = set(queries.geography().hubs)
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
            for code, name, fee in services.preview(template, weight)
        ]
        context["preview_weight_g"] = weight
        context["preview_weights"] = [(g, f"{g / 1000:g}") for g in PREVIEW_WEIGHTS_G]
        context["products"] = queries.assignable_products(request.user.merchant_id, ASSIGNABLE_PRODUCTS)
    return render(request, "shipping/seller/shipping_form.html", context, status=status)


def _save_editor(request: HttpRequest, template=None) -> HttpResponse:
    editor = TemplateEditor.from_post(request.POST)
    if editor.apply_action(request.POST.get("action", "save")):
        return _editor_page(request, editor, template, unsaved=True)
    data = editor.service_data()
    if data is None:
        editor.general.insert(0, _("请按提示修改后再保存。"))
        return _editor_page(request, editor, template, status=400)
    try:
        saved = services.save_template(request.user, data, template.pk if template else None)
    except NotFound:
        raise
    except AnxinError as exc:
        editor.apply_error(exc)
        return _editor_page(request, editor, template, status=exc.status)
    messages.success(request, _("运费模板已保存。"))
    return redirect("web:seller_shipping_edit", template_id=saved.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def shipping_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_editor(request)
    return _editor_page(request, TemplateEditor.blank())


@require_http_methods(["GET", "POST"])
@staff_required
def shipping_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = _own_template(request, template_id)
    if request.method == "POST":
        return _save_editor(request, template)
    return _editor_page(request, TemplateEditor.from_template(template), template)


@require_POST
@staff_required
def shipping_assign(request: HttpRequest, template_id: int) -> HttpResponse:
    """Of the products listed on the page, the ticked ones get this template and the unticked ones that had it go
    back to the platform default (products not listed are left alone)."""
    template = _own_template(request, template_id)

    def ids(name: str) -> set[int]:
        return {int(v) for v in request.POST.getlist(name) if v.isdigit() and len(v) <= 12}

    try:
        services.set_template_products(request.user, template.pk, ids("product_ids"), ids("listed"))
    except NotFound:
        messages.error(request, _("找不到所选的商品，请刷新后重试。"))
    else:
        messages.success(request, _("已更新使用这个模板的商品。"))
    return redirect(reverse("web:seller_shipping_edit", args=[template.pk]) + "#products")
