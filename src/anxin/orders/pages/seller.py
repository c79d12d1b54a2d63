"""The seller center's orders (merchant staff only): the dashboard, the order search and its CSV export, an
order's page (the ship form is fulfilment's section), the packing slip and the production list of
personalized lines, which the merchant marks made.

Another merchant's order answers 404, as does the whole center for any other role.
"""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anxin.core import clock
from anxin.core.errors import AnxinError
from anxin.core.money import yuan_text
from anxin.core.pages import int_or_raw, page_of, staff_required
from anxin.core.rules import spreadsheet_cell
from anxin.geo.queries import hub_name
from anxin.orders import queries, services
from anxin.orders.models import Order
from anxin.orders.pages import sections
from anxin.orders.pages.common import cancel_reason_label, show_order
from anxin.orders.pages.forms import OrderSearchForm

ORDERS_PAGE_SIZE = 30
PRODUCTION_LIMIT = 500
TEMPLATE = "orders/seller/order_detail.html"


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    context = {
        "merchant": request.user.merchant,
        "now": now,
        **queries.merchant_dashboard(request.user.merchant_id, now),
    }
    return render(request, "orders/seller/dashboard.html", context)


@require_GET
@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    form = OrderSearchForm(request.GET)
    if not form.is_valid():
        return _refused_search(request, form)
    page = page_of(request, queries.search_merchant_orders(request.user.merchant_id, form.search()), ORDERS_PAGE_SIZE)
    context = {
        "page": page,
        "orders": page.object_list,
        "form": form,
        "filtered": any(form.cleaned_data.values()),
        "export_query": request.GET.urlencode(),
        "now": clock.now(),
    }
    return render(request, "orders/seller/order_list.html", context)


def _refused_search(request: HttpRequest, form: OrderSearchForm) -> HttpResponse:
    """A search that is not one (a date out of range, the end before the start): its errors and no orders."""
    context = {"page": None, "orders": [], "form": form, "now": clock.now()}
    return render(request, "orders/seller/order_list.html", context, status=400)


EXPORT_LIMIT = 50_000


class _Echo:
    """A file-like object whose `write` hands the line back, so csv.writer can feed a streamed response."""

    def write(self, value: str) -> str:
        return value


def _export_header() -> list[str]:
    return [
        _("订单号"),
        _("下单时间"),
        _("付款时间"),
        _("状态"),
        _("买家"),
        _("收货人"),
        _("电话"),
        _("收货地址"),
        _("商品"),
        _("件数"),
        _("商品金额（元）"),
        _("运费（元）"),
        _("订单金额（元）"),
        _("已退款（元）"),
    ]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _export_row(order: Order) -> list[str]:
    address = order.address or {}
    lines = list(order.lines.all())
    place = "".join(str(address.get(k, "")) for k in ("province_name", "city_name", "county_name", "street"))
    items = "; ".join(f"{line.title} × {line.quantity}" for line in lines)
    texts = [
        order.number,
        _local(order.created_at),
        _local(order.paid_at),
        str(order.get_state_display()),
        str(order.buyer),
        str(address.get("recipient", "")),
        str(address.get("phone", "")),
        place,
        items,
    ]
    amounts = [order.goods_fen, order.shipping_fen, order.total_fen, order.refunded_fen]
    return (
        [spreadsheet_cell(text) for text in texts]
        + [str(sum(line.quantity for line in lines))]
        + [yuan_text(fen) for fen in amounts]
    )


def _csv_lines(orders: Iterable[Order]) -> Iterator[str]:
    """The BOM first (so Excel reads the file as UTF-8 and shows Chinese), then the header and one row per order."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(_export_header())
    for order in orders:
        yield writer.writerow(_export_row(order))


@require_GET
@staff_required
def order_export(request: HttpRequest) -> HttpResponse:
    """Exactly the orders the search shows (every page of them, up to EXPORT_LIMIT), streamed as CSV."""
    form = OrderSearchForm(request.GET)
    if not form.is_valid():
        return _refused_search(request, form)
    orders = queries.search_merchant_orders(request.user.merchant_id, form.search())[:EXPORT_LIMIT]
    rows = _csv_lines(orders.iterator(chunk_size=500))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    filename = f"orders-{timezone.localtime(clock.now()):%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _merchant_order(request: HttpRequest, order_id: int) -> Order:
    services.merchant_order(request.user, order_id)
    return queries.merchant_orders(request.user.merchant_id).get(pk=order_id)


@require_http_methods(["GET", "POST"])
@staff_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """A POST goes to the section it names (`section`), or to the first that takes one: the ship form."""
    order = _merchant_order(request, order_id)
    refused = None
    if request.method == "POST":
        outcome = sections.post_to(request, order, "seller", request.POST.get("section", ""))
        if not isinstance(outcome, tuple):
            return outcome
        refused = outcome
    context = {
        "now": clock.now(),
        "hub_name": hub_name(order.hub_code),
        "personalized": [line for line in order.lines.all() if line.answers],
        "cancel_reason": cancel_reason_label(order.cancel_reason),
    }
    return show_order(request, order, "seller", TEMPLATE, context, refused=refused)


@require_GET
@staff_required
def packing_slip(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _merchant_order(request, order_id)
    context = {"order": order, "now": clock.now(), "hub_name": hub_name(order.hub_code)}
    return render(request, "orders/seller/packing_slip.html", context)


@require_GET
@staff_required
def production(request: HttpRequest) -> HttpResponse:
    lines = list(queries.production_list(request.user.merchant_id)[:PRODUCTION_LIMIT])
    to_make = Counter(line.order_id for line in lines if line.made_at is None)
    several = {order_id for order_id, count in to_make.items() if count > 1}
    context = {"lines": lines, "now": clock.now(), "several_to_make": several}
    return render(request, "orders/seller/production.html", context)


@require_POST
@staff_required
def mark_made(request: HttpRequest, order_id: int) -> HttpResponse:
    """One line (`line`) or the whole order marked made; back to the page the button was on (`back`)."""
    line = int_or_raw(request.POST.get("line", ""))
    try:
        made = services.mark_made(request.user, order_id, line if isinstance(line, int) else None, whole=line == "")
    except AnxinError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已标记 %(n)d 件定制商品制作完成。") % {"n": len(made)})
    if request.POST.get("back") == "order":
        return redirect("web:seller_order", order_id=order_id)
    return redirect("web:seller_production")
