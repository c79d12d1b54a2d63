"""The after-sales pages' URLs (composed under the `web` namespace by `anxin.web.urls`)."""

from django.urls import path

from anxin.aftersales.pages import buyer, ops, seller

buyer_urls: list = [
    path("aftersales/", buyer.case_list, name="case_list"),
    path("aftersales/<int:case_id>/", buyer.case_detail, name="case_detail"),
    path("aftersales/<int:case_id>/return/", buyer.case_ship_return, name="case_ship_return"),
    path("aftersales/<int:case_id>/escalate/", buyer.case_escalate, name="case_escalate"),
    path("aftersales/<int:case_id>/message/", buyer.case_message, name="case_message"),
    *(
        path(f"aftersales/<int:case_id>/{step}/", buyer.case_step, {"step": step}, name=f"case_{step}")
        for step in buyer.SIMPLE_STEPS
    ),
    path("orders/<int:order_id>/lines/<int:order_line_id>/aftersales/", buyer.case_new, name="case_new"),
]

seller_urls: list = [
    path("seller/aftersales/", seller.case_list, name="seller_cases"),
    path("seller/aftersales/<int:case_id>/", seller.case_detail, name="seller_case"),
    path("seller/aftersales/<int:case_id>/approve/", seller.approve, name="seller_case_approve"),
    path("seller/aftersales/<int:case_id>/reject/", seller.reject, name="seller_case_reject"),
    path("seller/aftersales/<int:case_id>/offer/", seller.offer, name="seller_case_offer"),
    path("seller/aftersales/<int:case_id>/receive/", seller.receive, name="seller_case_receive"),
    path("seller/aftersales/<int:case_id>/ship/", seller.ship_replacement, name="seller_case_ship"),
    path("seller/aftersales/<int:case_id>/message/", seller.message, name="seller_case_message"),
]

ops_urls: list = [
    path("ops/aftersales/", ops.queue, name="ops_cases"),
    path("ops/aftersales/figures/", ops.figures, name="ops_case_figures"),
    path("ops/aftersales/<int:case_id>/", ops.case_detail, name="ops_case"),
    path("ops/aftersales/<int:case_id>/rule/", ops.rule, name="ops_case_rule"),
    path("ops/aftersales/<int:case_id>/message/", ops.message, name="ops_case_message"),
]

urlpatterns = [*buyer_urls, *seller_urls, *ops_urls]
