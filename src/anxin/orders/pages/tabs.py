"""The tabs of the buyer's order list, as buyers know them from every Chinese shop: 待付款 / 待发货 / 待收货 /
已完成 / 已取消, each with its count.

A tab is a condition on orders, so an app above `orders` (after-sales: 退款/售后) adds its own in its
AppConfig.ready() with `register`, as it adds order-page sections (`sections.py`), and the list shows it
after these five. Such a tab may be a page of its own (`url`: 退款/售后 lists cases, not orders); the order
list still counts it by its condition, and that page shows the same tabs (`orders/buyer/_tabs.html`).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anxin.orders import queries
from anxin.orders.models import Order


@dataclass(frozen=True)
class Tab:
    """`code` is the `?tab=` value; `condition` selects the orders the tab lists and counts; `url`, when
    given, is the page the tab opens instead of the filtered order list."""

    code: str
    label: str | Promise
    condition: Q
    url: str | Promise = ""


_tabs: list[Tab] = [
    Tab("unpaid", _("待付款"), Q(state=Order.State.PENDING_PAYMENT)),
    Tab("to_ship", _("待发货"), Q(state=Order.State.PAID)),
    Tab("to_receive", _("待收货"), Q(state__in=[Order.State.SHIPPED, Order.State.DELIVERED])),
    Tab("completed", _("已完成"), Q(state=Order.State.COMPLETED)),
    Tab("cancelled", _("已取消"), Q(state=Order.State.CANCELLED)),
]


def register(tab: Tab) -> None:
    """Add `tab` after those registered before; the same code again replaces it (a reloaded app, a test)."""
    codes = [t.code for t in _tabs]
    if tab.code in codes:
        _tabs[codes.index(tab.code)] = tab
    else:
        _tabs.append(tab)


def order_tabs() -> list[Tab]:
    return list(_tabs)


def tab_links(buyer) -> list[tuple[str, str | Promise, int, str | Promise]]:
    """What `_tabs.html` shows of each of the buyer's tabs: code, label, count (one query) and the page it
    opens ("" for the order list)."""
    counts = queries.buyer_counts(buyer, {t.code: t.condition for t in _tabs})
    return [(t.code, t.label, counts[t.code], t.url) for t in _tabs]


def chosen_tab(request: HttpRequest) -> Tab | None:
    """The `?tab=` asked for when it is one; otherwise none (all orders)."""
    code = request.GET.get("tab", "")
    return next((tab for tab in _tabs if tab.code == code), None)
