"""The price guarantee's pages (composed under the `web` namespace by `anxin.web.urls`)."""

from django.urls import path

from anxin.guarantee.pages import ops_figures, protection
from anxin.orders.pages import buyer as order_pages

urlpatterns: list = [
    # 价保: the buyer order page's 申请价保 button posts to its section of that page.
    path(
        "orders/<int:order_id>/price-protection/",
        order_pages.order_section,
        {"section": protection.SECTION},
        name="order_price_protection",
    ),
    path("ops/guarantee/figures/", ops_figures.figures, name="ops_guarantee_figures"),
]
